"""A relay that stalls holds back delivery, never a decision (issue 20, decision 0019): the
notifier's service decides and delivers in loops of their own, over real NATS JetStream,
PostgreSQL and an SMTP server (aiosmtpd) on 127.0.0.1 that answers no RCPT while stalled."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from nats.aio.client import Client as NatsClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.calendar import TZ
from minhbach.clock import FixedClock
from minhbach.plan import Plan
from minhbach.settings import Settings
from notifier.db import notices
from tests.notifier.helpers import SmtpServer, code_of, obligation, publish, unique_plan
from tests.notifier.test_service import notifier_settings, running_notifier
from tests.support.servers import eventually

Q3_DUE = datetime(2024, 10, 2, tzinfo=TZ)
ONE_DAY_LATE = datetime(2024, 10, 2, 9, 0, tzinfo=TZ)  # overdue notices, no escalation yet


async def states_by_recipient(
    sessions: async_sessionmaker[AsyncSession], plan: Plan
) -> dict[str, list[str]]:
    units = [u.code for u in plan.units]
    async with sessions() as session:
        rows = await session.execute(
            select(notices.c.recipient_unit, notices.c.state).where(
                notices.c.recipient_unit.in_(units)
            )
        )
    found: dict[str, list[str]] = {}
    for recipient, state in rows:
        found.setdefault(recipient, []).append(state)
    return found


async def test_decisions_are_recorded_while_the_relay_stalls_and_each_leaves_once_after(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
    smtp_server: SmtpServer,
) -> None:
    plan = unique_plan()
    first = obligation(plan, "tckh", Q3_DUE)
    later = [obligation(plan, "tnmt", Q3_DUE), obligation(plan, "vhtt", Q3_DUE)]
    tckh, tnmt, vhtt = (code_of(plan, c) for c in ("tckh", "tnmt", "vhtt"))
    smtp_server.stall()
    # The sender waits for the relay far longer than this test waits for a decision.
    config = notifier_settings(settings, smtp_server.port, smtp_timeout_seconds=120.0)
    clock = FixedClock(ONE_DAY_LATE)
    try:
        async with running_notifier(config, plan, clock) as (notifier, _):
            await publish(nats_client, first)
            # The first notice is decided, claimed, and its conversation hangs at RCPT.
            await eventually(lambda: smtp_server.stalls >= 1, timeout=30)
            assert await states_by_recipient(sessions, plan) == {tckh: ["sending"]}

            # Two more units become due while the relay still stalls: both are decided.
            await publish(nats_client, *later)
            decided = await eventually(
                lambda: _recorded_for(sessions, plan, {tckh, tnmt, vhtt}), timeout=30
            )
            assert decided[tckh] == ["sending"]
            assert decided[tnmt] == ["pending"] and decided[vhtt] == ["pending"]
            assert smtp_server.for_plan(plan) == []

            smtp_server.release()
            await eventually(lambda: len(smtp_server.for_plan(plan)) >= 3, timeout=30)
            await eventually(lambda: _all_sent(sessions, plan, 3), timeout=30)
            # More rounds have nothing left to send.
            await notifier.run_round()
            await notifier.run_round()
    finally:
        smtp_server.release()

    received = smtp_server.for_plan(plan)
    by_message_id = Counter(str(r.message["Message-ID"]) for r in received)
    assert len(by_message_id) == 3 and set(by_message_id.values()) == {1}
    email = {u.code: u.email for u in plan.units}
    assert sorted(r.recipients for r in received) == sorted(
        (email[code],) for code in (tckh, tnmt, vhtt)
    )


async def _recorded_for(
    sessions: async_sessionmaker[AsyncSession], plan: Plan, recipients: set[str]
) -> dict[str, list[str]] | None:
    found = await states_by_recipient(sessions, plan)
    return found if set(found) == recipients else None


async def _all_sent(sessions: async_sessionmaker[AsyncSession], plan: Plan, count: int) -> bool:
    found = await states_by_recipient(sessions, plan)
    return sorted(s for states in found.values() for s in states) == ["sent"] * count
