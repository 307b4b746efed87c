"""The four services together on real NATS JetStream, PostgreSQL and SMTP (aiosmtpd), one clock:
a lead unit that does not report by the due date gets a reminder, then an overdue notice, then the
coordinator gets an escalation; the unit files through intake; the ladder stops; nothing is sent
twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from intake.app import create_app as create_intake
from intake.auth import issue_token
from minhbach.calendar import TZ
from minhbach.clock import FixedClock
from minhbach.plan import Plan
from minhbach.settings import Settings
from notifier.app import create_app as create_notifier
from notifier.db import notice_items, notices, obligations
from notifier.service import Notifier
from portal_monitor.app import create_app as create_portal_monitor
from scoring.app import create_app as create_scoring
from tests.intake.builders import report_body
from tests.notifier.helpers import SmtpServer, unique_plan
from tests.support.servers import eventually, serving

# Q2 2024 lead-unit reports are due before 02/07/2024: the last day is Monday 01/07.
ONE_DAY_LEFT = datetime(2024, 6, 28, 9, 0, tzinfo=TZ)  # Friday
ONE_DAY_LATE = datetime(2024, 7, 2, 9, 0, tzinfo=TZ)
THREE_DAYS_LATE = datetime(2024, 7, 4, 9, 0, tzinfo=TZ)  # the coordinator's step
WELL_PAST_THE_LADDER = datetime(2024, 7, 18, 9, 0, tzinfo=TZ)  # past the vice-chairman's step

Sent = tuple[str, str, int, str]  # (recipient, stage, repeat number, notice state)


@asynccontextmanager
async def four_services(
    settings: Settings, plan: Plan, clock: FixedClock
) -> AsyncIterator[tuple[str, Notifier]]:
    async with AsyncExitStack() as stack:
        notifier_app = create_notifier(settings=settings, clock=clock, plan=plan)
        intake_url = await stack.enter_async_context(
            serving(create_intake(settings=settings, clock=clock, plan=plan))
        )
        for create in (create_scoring, create_portal_monitor):
            await stack.enter_async_context(
                serving(create(settings=settings, clock=clock, plan=plan))
            )
        await stack.enter_async_context(serving(notifier_app))
        yield intake_url, notifier_app.state.notifier


async def sent_items(sessions: async_sessionmaker[AsyncSession], obligation_id: str) -> list[Sent]:
    async with sessions() as session:
        rows = await session.execute(
            select(
                notice_items.c.recipient_unit,
                notice_items.c.stage,
                notice_items.c.repeat_no,
                notices.c.state,
            )
            .join(notices, notices.c.notice_key == notice_items.c.notice_key)
            .where(notice_items.c.obligation_id == obligation_id)
            .order_by(notices.c.created_at)
        )
    return [tuple(r) for r in rows]  # type: ignore[misc]


async def fulfilled(sessions: async_sessionmaker[AsyncSession], obligation_id: str) -> bool:
    async with sessions() as session:
        at = await session.scalar(
            select(obligations.c.fulfilled_at).where(obligations.c.obligation_id == obligation_id)
        )
    return at is not None


@pytest.mark.slow
async def test_remind_tell_escalate_then_stop_once_the_unit_files(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    smtp_server: SmtpServer,
) -> None:
    plan = unique_plan()
    lead = next(code for code in plan.lead_unit_codes_all() if code.startswith("tckh-"))
    focal = plan.roles.focal_unit
    report = f"report:lead-quarterly:{lead}:{plan.year}:Q2"
    clock = FixedClock(ONE_DAY_LEFT)
    config = settings.model_copy(
        update={
            "smtp_port": smtp_server.port,
            "notifier_round_seconds": 0.2,
            "scoring_tick_seconds": 0.2,
            "public_intake_url": "http://127.0.0.1:8010/",
        }
    )
    token = await issue_token(sessions, lead, keep_others=True)

    async def stages() -> list[Sent]:
        return await sent_items(sessions, report)

    async def became(expected: list[Sent]) -> bool:
        return await stages() == expected

    async with four_services(config, plan, clock) as (intake_url, notifier):
        reminded = [(lead, "reminder_1", 0, "sent")]
        await eventually(lambda: became(reminded), timeout=60)

        clock.set(ONE_DAY_LATE)
        told = [*reminded, (lead, "overdue", 0, "sent")]
        await eventually(lambda: became(told), timeout=60)

        clock.set(THREE_DAYS_LATE)
        escalated = [*told, (focal, "escalate_1", 0, "sent")]
        # Three working days late is also the first repeat of the unit's overdue notice.
        await eventually(lambda: _contains(stages, escalated), timeout=60)

        async with httpx.AsyncClient(
            base_url=intake_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            response = await client.post("/api/v1/reports", json=report_body(plan, lead, "Q2"))
        assert response.status_code == 201, response.text
        await eventually(lambda: fulfilled(sessions, report), timeout=60)
        before = await stages()

        clock.set(WELL_PAST_THE_LADDER)
        await notifier.run_round()
        await notifier.run_round()
        after = await stages()
        # The ladder stopped: no new line (no vice-chairman, no repeat); a notice still queued
        # when the report came in may have been cancelled, a sent one stays sent.
        assert [line[:3] for line in after] == [line[:3] for line in before]
        assert all(state in ("sent", "cancelled") for *_, state in after)
        assert all(line in after for line in before if line[3] == "sent")

    assert (plan.vice_chairman_in_charge.code, "escalate_2") not in [line[:2] for line in after]
    # Nothing twice: one message per notice, each line of the ladder told once.
    mails = smtp_server.for_plan(plan)
    message_ids = [m.message["Message-ID"] for m in mails]
    assert len(message_ids) == len(set(message_ids))
    assert len(before) == len(set(before))
    lead_mails = smtp_server.to(plan.unit(lead).email)
    assert any("Quý II" in m.data.decode("utf-8", "replace") for m in lead_mails)
    focal_mails = smtp_server.to(plan.unit(focal).email)
    assert any(m.message["X-Minhbach-Stage"] == "escalate_1" for m in focal_mails)


async def _contains(stages: object, expected: list[Sent]) -> bool:
    found = await stages()  # type: ignore[operator]
    return all(item in found for item in expected)
