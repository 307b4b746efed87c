"""`minhbach notifier ...` against the real database: a silence set from the command line holds a
unit's notices back until it is removed; listing and failures are readable."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.calendar import TZ
from minhbach.clock import FixedClock
from minhbach.db.session import transaction
from minhbach.messaging.outbox import Outbox
from minhbach.settings import REPO_ROOT, Settings
from notifier import service
from notifier.db import messaging, notices
from notifier.service import Notifier
from tests.notifier.helpers import SmtpServer, code_of, obligation, unique_plan

NOW = datetime(2024, 10, 2, 9, 0, tzinfo=TZ)
Q3_DUE = datetime(2024, 10, 2, tzinfo=TZ)


async def cli(settings: Settings, *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "minhbach",
        "notifier",
        *args,
        cwd=REPO_ROOT,
        env={**os.environ, "MINHBACH_DATABASE_URL": settings.database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_a_silence_from_the_command_line_holds_notices_until_removed(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    smtp_server: SmtpServer,
) -> None:
    plan = unique_plan()
    unit = code_of(plan, "tckh")
    async with transaction(sessions) as session:
        await service.apply_obligation(session, obligation(plan, "tckh", Q3_DUE))
    notifier = Notifier(
        sessions=sessions,
        emit=Outbox(messaging).emit,
        plan=plan,
        settings=settings.model_copy(update={"smtp_port": smtp_server.port}),
        clock=FixedClock(NOW),
    )

    code, out = await cli(
        settings, "silence", "--unit", unit, "--until", "2024-10-10", "--reason", "Đang kiện toàn"
    )
    assert code == 0, out
    silence_id = out.split("#", 1)[1].split(":", 1)[0]
    code, listed = await cli(settings, "silences")
    assert f"#{silence_id}  unit={unit}  until 2024-10-10 23:59" in listed
    assert "Đang kiện toàn" in listed

    await notifier.run_round()
    assert smtp_server.for_plan(plan) == []

    code, out = await cli(settings, "unsilence", silence_id)
    assert code == 0, out
    await notifier.run_round()
    assert [r.recipients for r in smtp_server.for_plan(plan)] == [(plan.unit(unit).email,)]


async def test_silence_needs_exactly_one_target(settings: Settings) -> None:
    code, out = await cli(settings, "silence", "--until", "2024-10-10", "--reason", "x")
    assert code == 2 and "exactly one" in out


async def test_failed_lists_dead_notices_and_retry_requeues_them(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    smtp_server: SmtpServer,
) -> None:
    plan = unique_plan()
    ob = obligation(plan, "tnmt", Q3_DUE)
    async with transaction(sessions) as session:
        await service.apply_obligation(session, ob)
    smtp_server.refuse = {plan.unit(ob.unit_code).email}
    notifier = Notifier(
        sessions=sessions,
        emit=Outbox(messaging).emit,
        plan=plan,
        settings=settings.model_copy(update={"smtp_port": smtp_server.port}),
        clock=FixedClock(NOW),
    )
    await notifier.run_round()
    async with sessions() as session:
        key = await session.scalar(
            select(notices.c.notice_key).where(notices.c.recipient_unit == ob.unit_code)
        )
    assert key is not None
    code, out = await cli(settings, "failed")
    assert code == 0 and key in out and "dead" in out and "550" in out

    smtp_server.refuse = set()
    code, out = await cli(settings, "retry", key)
    assert code == 0, out
    await notifier.deliver()
    assert len(smtp_server.for_plan(plan)) == 1
    async with sessions() as session:
        state = await session.scalar(select(notices.c.state).where(notices.c.notice_key == key))
    assert state == "sent"
