"""Notifier: deciding a sending round over 10,000 open obligations, and delivery to a local SMTP
server (aiosmtpd) with connection reuse, each next to a baseline measured in the same run."""

from __future__ import annotations

import random
import threading
import time
from datetime import datetime, timedelta
from typing import Any

import aiosmtplib
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session
from sqlalchemy import delete, insert

from minhbach.calendar import TZ, end_of_day
from minhbach.clock import FixedClock
from minhbach.db.session import make_engine, make_sessionmaker, transaction
from minhbach.infra.embedded import free_port
from minhbach.messaging.outbox import Outbox
from minhbach.plan import load_plan
from notifier.db import messaging, notice_items, notices, obligations
from notifier.domain.ladder import Ladder, Obligation, plan_round, position
from notifier.service import Notifier
from notifier.store import deliveries
from tests.benchmarks.env import BenchEnv
from tests.benchmarks.table import BenchRow

OBLIGATIONS = 10_000
MESSAGES = 500
NOW = datetime(2024, 10, 16, 9, 0, tzinfo=TZ)  # a Wednesday, in working hours


class CountingHandler:
    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        with self._lock:
            self.count += 1
        return "250 OK"


def _obligations(units: list[str]) -> list[Obligation]:
    rng = random.Random(6)
    calendar_days = range(-20, 15)  # from three weeks late to two weeks ahead
    return [
        Obligation(
            obligation_id=f"bench:{n}",
            unit_code=rng.choice(units),
            kind="quarterly_report",
            title=f"Báo cáo quý III năm 2024 (mục {n})",
            due_at=end_of_day((NOW + timedelta(days=rng.choice(calendar_days))).date()),
            period="Q3",
        )
        for n in range(OBLIGATIONS)
    ]


async def run(env: BenchEnv) -> list[BenchRow]:
    plan = load_plan(env.settings.plan_file)
    calendar = plan.working_calendar()
    ladder = Ladder.from_plan(plan.escalation, 2)
    emails = {u.code: u.email for u in plan.units}
    units = [u.code for u in plan.units if u.kind != "leadership"]
    obs = _obligations(units)

    # Pure decision, and its floor: only the working-day arithmetic for each obligation.
    plan_round(obs[:100], ladder, calendar, NOW, emails=emails)  # warm the calendar's tables
    started = time.perf_counter()
    for ob in obs:
        position(ob.due_at, calendar, NOW)
    floor_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    planned = plan_round(obs, ladder, calendar, NOW, emails=emails)
    pure_ms = (time.perf_counter() - started) * 1000

    engine = make_engine(env.settings.database_url)
    sessions = make_sessionmaker(engine)
    async with transaction(sessions) as session:
        await session.execute(delete(notice_items))
        await session.execute(delete(notices))
        await session.execute(delete(obligations))
        await session.execute(
            insert(obligations),
            [
                {
                    "obligation_id": ob.obligation_id,
                    "unit_code": ob.unit_code,
                    "kind": ob.kind,
                    "title": ob.title,
                    "due_at": ob.due_at,
                    "period": ob.period,
                    "status": "overdue",
                    "event_at": NOW,
                }
                for ob in obs
            ],
        )

    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings = env.settings.model_copy(update={"smtp_port": port})
    notifier = Notifier(
        sessions=sessions,
        emit=Outbox(messaging).emit,
        plan=plan,
        settings=settings,
        clock=FixedClock(NOW),
    )
    try:
        started = time.perf_counter()
        recorded = await notifier.decide()
        first_round_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        again = await notifier.decide()
        steady_ms = (time.perf_counter() - started) * 1000
        assert len(recorded) == len(planned.digests) and not again

        data = await _typical_message(sessions, recorded[0])
        await _fill_queue(sessions, data, MESSAGES)
        await _clear_recorded(sessions, recorded)
        started = time.perf_counter()
        while await notifier.deliver(batch=MESSAGES):
            pass
        notifier_rate = MESSAGES / (time.perf_counter() - started)
        assert handler.count == MESSAGES, handler.count

        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
        await smtp.connect()
        started = time.perf_counter()
        for n in range(MESSAGES):
            await smtp.sendmail("minhbach@localhost", [f"bench-{n}@example.invalid"], data)
        bare_rate = MESSAGES / (time.perf_counter() - started)
        await smtp.quit()
    finally:
        controller.stop()
        await engine.dispose()

    items = sum(len(d.items) for d in planned.digests)
    label = f"{OBLIGATIONS:,} open obligations, {len(planned.digests)} digests, {items:,} items"
    return [
        BenchRow(
            "notifier",
            f"decide a round, pure ({label})",
            pure_ms,
            "ms",
            floor_ms,
            "working-day arithmetic alone",
            higher_is_better=False,
        ),
        BenchRow(
            "notifier",
            "decide a round with DB: load, compose, record",
            first_round_ms,
            "ms",
            pure_ms,
            "the pure decision",
            higher_is_better=False,
        ),
        BenchRow(
            "notifier",
            "decide a round with DB, nothing new (steady state)",
            steady_ms,
            "ms",
            pure_ms,
            "the pure decision",
            higher_is_better=False,
        ),
        BenchRow(
            "notifier",
            f"delivered to local aiosmtpd, {len(data) // 1024} KiB digests",
            notifier_rate,
            "msg/s",
            bare_rate,
            "bare aiosmtplib loop, one connection",
        ),
    ]


async def _typical_message(sessions: Any, key: str) -> bytes:
    from sqlalchemy import select

    async with sessions() as session:
        data = await session.scalar(select(notices.c.message).where(notices.c.notice_key == key))
    return bytes(data)


async def _fill_queue(sessions: Any, data: bytes, count: int) -> None:
    """`count` recorded notices, as a round would leave them, one recipient each."""
    async with transaction(sessions) as session:
        await session.execute(
            insert(notices),
            [
                {
                    "notice_key": f"bench-send-{n}",
                    "recipient_unit": "bench",
                    "recipient_email": f"bench-{n}@example.invalid",
                    "stage": "overdue",
                    "round_id": "bench",
                    "message_id": f"<bench-send-{n}@localhost>",
                    "subject": "bench",
                    "message": data,
                    "decided_at": NOW,
                }
                for n in range(count)
            ],
        )
        await session.execute(
            insert(notice_items),
            [
                {
                    "recipient_unit": "bench",
                    "obligation_id": f"bench:{n}",
                    "stage": "bench",
                    "repeat_no": 0,
                    "generation": "bench",
                    "subject_unit": "bench",
                    "notice_key": f"bench-send-{n}",
                }
                for n in range(count)
            ],
        )


async def _clear_recorded(sessions: Any, keys: list[str]) -> None:
    """The round's own notices are not part of the delivery measurement."""
    async with transaction(sessions) as session:
        await deliveries.cancel_moot(session)
        await session.execute(delete(notices).where(notices.c.notice_key.in_(keys)))
