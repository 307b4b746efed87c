"""Helpers for the notifier tests: a plan of one's own, an SMTP server that keeps what it got,
obligations published like scoring publishes them."""

from __future__ import annotations

import asyncio
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session
from nats.aio.client import Client as NatsClient

from minhbach.events.base import Event
from minhbach.events.catalogue import ObligationChanged, ObligationKind, ObligationStatus
from minhbach.plan import Plan, default_plan_path
from minhbach.plan.loader import parse_plan


@cache
def _seed_data() -> dict[str, Any]:
    return cast(dict[str, Any], yaml.safe_load(default_plan_path().read_text(encoding="utf-8")))


def unique_plan_text(token: str | None = None, rename: dict[str, str] | None = None) -> str:
    """The seed plan with every unit code and e-mail made unique to one test.

    JetStream and PostgreSQL live for the whole test session, so each test's notifier must only
    ever recognise its own units. `rename` replaces unit names (e.g. a hostile one).
    """
    token = token or uuid.uuid4().hex[:6]
    data = yaml.safe_load(yaml.safe_dump(_seed_data(), allow_unicode=True))
    codes = {u["code"]: f"{u['code']}-{token}" for u in data["units"]}

    def renamed(node: Any) -> Any:
        # Unit codes are slugs no other field shares: rename every exact occurrence.
        if isinstance(node, str):
            return codes.get(node, node)
        if isinstance(node, list):
            return [renamed(n) for n in node]
        if isinstance(node, dict):
            return {k: renamed(v) for k, v in node.items()}
        return node

    data = renamed(data)
    for unit in data["units"]:
        seed_code = unit["code"].removesuffix(f"-{token}")
        unit["email"] = f"{unit['code']}@notifier-test.example.invalid"
        if rename and seed_code in rename:
            unit["name"] = rename[seed_code]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def unique_plan(token: str | None = None, rename: dict[str, str] | None = None) -> Plan:
    return parse_plan(unique_plan_text(token, rename), "<notifier test plan>")


def code_of(plan: Plan, seed_code: str) -> str:
    """This plan's code for a unit of the seed plan ("vhtt" -> "vhtt-1a2b3c")."""
    (found,) = [u.code for u in plan.units if u.code.rsplit("-", 1)[0] == seed_code]
    return found


def obligation(
    plan: Plan,
    seed_unit: str,
    due_at: datetime,
    *,
    oid: str | None = None,
    kind: ObligationKind = ObligationKind.QUARTERLY_REPORT,
    fulfilled_at: datetime | None = None,
    title: str = "Báo cáo quý III năm 2024",
) -> ObligationChanged:
    status = ObligationStatus.FULFILLED_LATE if fulfilled_at else ObligationStatus.OVERDUE
    return ObligationChanged(
        obligation_id=oid or f"test-{uuid.uuid4().hex[:10]}",
        unit_code=code_of(plan, seed_unit),
        kind=kind,
        title=title,
        due_at=due_at,
        period="Q3",
        fulfilled_at=fulfilled_at,
        status=status,
    )


async def publish(nats_client: NatsClient, *events: Event) -> None:
    js = nats_client.jetstream()
    for event in events:
        await js.publish(
            event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.event_id)}
        )


@dataclass
class Received:
    recipients: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return cast(EmailMessage, message_from_bytes(self.data, policy=policy.default))


@dataclass
class SmtpServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every accepted message."""

    port: int
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered with 550
    data_reply: str | None = None  # the whole transaction refused with this reply (say, 554)
    stalls: int = 0  # conversations held at RCPT so far (see `stall`)
    _controller: Controller | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _flowing: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._flowing.set()

    def stall(self) -> None:
        """Answer no RCPT from now on (the conversation hangs) until `release`."""
        self._flowing.clear()

    def release(self) -> None:
        self._flowing.set()

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        if not self._flowing.is_set():
            self.stalls += 1
            await asyncio.get_running_loop().run_in_executor(None, self._flowing.wait)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        if self.data_reply is not None:
            return self.data_reply
        content = envelope.original_content or b""
        with self._lock:
            self.received.append(Received(tuple(str(r) for r in envelope.rcpt_tos), content))
        return "250 OK"

    def start(self) -> SmtpServer:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        self.release()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, email: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if email in r.recipients]

    def for_plan(self, plan: Plan) -> list[Received]:
        emails = {u.email for u in plan.units}
        with self._lock:
            return [r for r in self.received if set(r.recipients) & emails]


def write_plan(tmp: Path, text: str) -> Path:
    path = tmp / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path
