"""The SMTP server both runs send to: it records every message it accepted, and in the chaos
run it misbehaves on command (stall, 4xx, 5xx, drop the connection after DATA).

A fault never leaves the sender unsure whether a message was taken: a stall happens before
DATA (at RCPT), and a dropped connection drops the message with it (the server crashed before
it stored anything). Every message this server stored is one the sender was told was taken, so
a second copy in `accepted` is the sender's fault, never the test's.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session

MailFault = Literal["ok", "stall", "4xx", "5xx", "drop_after_data"]


@dataclass(frozen=True)
class Delivered:
    message_id: str
    recipients: tuple[str, ...]
    subject: str
    content_sha256: str  # of the body, without the headers that differ per attempt


@dataclass
class Mailbox:
    """aiosmtpd handler; `mode` is switched by the chaos driver."""

    mode: MailFault = "ok"
    stall_seconds: float = 30.0
    accepted: list[Delivered] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)  # by fault, attempts turned away

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.mode == "stall":
            self._count("stall")
            await asyncio.sleep(self.stall_seconds)  # longer than the sender's timeout
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        if self.mode == "4xx":
            self._count("4xx")
            return "451 4.3.0 Temporary local problem, try again later"
        if self.mode == "5xx":
            self._count("5xx")
            return "554 5.3.0 Transaction failed"
        if self.mode == "drop_after_data":
            self._count("drop_after_data")
            server.transport.abort()  # no reply: the message was never taken
            return "421 4.3.0 Connection dropped"
        self.accepted.append(delivered(envelope))
        return "250 Message accepted for delivery"

    def _count(self, fault: str) -> None:
        self.refused[fault] = self.refused.get(fault, 0) + 1


def delivered(envelope: Envelope) -> Delivered:
    raw = envelope.original_content or envelope.content or b""
    data = raw if isinstance(raw, bytes) else raw.encode()
    message = message_from_bytes(data, policy=policy.default)
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    return Delivered(
        # A long Message-ID (a draft's: a 64-digit key) is folded onto the next line, which is
        # legal (RFC 5322 folding white space); unfolded it starts with the space.
        message_id=str(message.get("Message-ID", "")).strip(),
        recipients=tuple(sorted(str(r) for r in envelope.rcpt_tos)),
        subject=str(message.get("Subject", "")),
        content_sha256=hashlib.sha256(str(text).encode()).hexdigest(),
    )


def start_mailbox(port: int) -> tuple[Mailbox, Controller]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=True)
    controller.start()
    return mailbox, controller
