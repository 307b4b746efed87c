"""Exactly-once across crashes: a notifier child process is killed (os._exit) at each point of a
sending round, then a fresh process takes over; the SMTP server (aiosmtpd, 127.0.0.1) counts."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.calendar import TZ
from minhbach.db.session import transaction
from minhbach.plan import Plan
from minhbach.plan.loader import parse_plan
from minhbach.settings import REPO_ROOT, Settings
from minhbach_dev.smtp_sink import eml_name
from notifier import service
from notifier.db import notices
from tests.notifier.crash_child import CRASH_EXIT
from tests.notifier.helpers import SmtpServer, obligation, unique_plan_text, write_plan

NOW = datetime(2024, 10, 2, 9, 0, tzinfo=TZ)  # Q3 reports one working day late
Q3_DUE = datetime(2024, 10, 2, tzinfo=TZ)


async def run_child(point: str, env: dict[str, str]) -> int:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.notifier.crash_child",
        point,
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    code = process.returncode
    assert code is not None
    if code not in (0, CRASH_EXIT):
        raise AssertionError(f"child failed ({code}): {stderr.decode()[-3000:]}")
    return code


async def prepared(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    smtp_server: SmtpServer,
    tmp_path: Path,
    policy: str = "hold",
) -> tuple[Plan, dict[str, str]]:
    """A plan of this test's own with one overdue obligation already known to the notifier."""
    text = unique_plan_text()
    plan = parse_plan(text)
    async with transaction(sessions) as session:
        await service.apply_obligation(session, obligation(plan, "tckh", Q3_DUE))
    env = {
        "MINHBACH_DATABASE_URL": settings.database_url,
        "MINHBACH_NATS_URL": settings.nats_url,
        "MINHBACH_PLAN_FILE": str(write_plan(tmp_path, text)),
        "MINHBACH_SMTP_PORT": str(smtp_server.port),
        "MINHBACH_CLOCK_START": NOW.isoformat(),
        "MINHBACH_NOTIFIER_SENDING_LEASE_SECONDS": "0.5",
        "MINHBACH_NOTIFIER_UNCERTAIN_POLICY": policy,
        "MINHBACH_NOTIFIER_RETRY_BACKOFF_SECONDS": "[0.1]",
        "MINHBACH_LOG_LEVEL": "WARNING",
    }
    return plan, env


async def states(sessions: async_sessionmaker[AsyncSession], plan: Plan) -> list[str]:
    units = [u.code for u in plan.units]
    async with sessions() as session:
        found = await session.scalars(
            select(notices.c.state).where(notices.c.recipient_unit.in_(units))
        )
    return sorted(found)


async def test_killed_between_record_and_send_then_restarted_sends_exactly_one(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    smtp_server: SmtpServer,
    tmp_path: Path,
) -> None:
    plan, env = await prepared(settings, sessions, smtp_server, tmp_path)
    assert await run_child("after_record", env) == CRASH_EXIT
    assert await states(sessions, plan) == ["pending"]
    assert smtp_server.for_plan(plan) == []

    assert await run_child("none", env) == 0
    assert await states(sessions, plan) == ["sent"]
    assert len(smtp_server.for_plan(plan)) == 1
    # A third process has nothing left to say.
    assert await run_child("none", env) == 0
    assert len(smtp_server.for_plan(plan)) == 1


async def test_killed_after_claiming_before_the_server_answered_sends_exactly_one(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    smtp_server: SmtpServer,
    tmp_path: Path,
) -> None:
    plan, env = await prepared(settings, sessions, smtp_server, tmp_path, policy="resend")
    assert await run_child("after_claim", env) == CRASH_EXIT
    assert await states(sessions, plan) == ["sending"]
    assert smtp_server.for_plan(plan) == []

    assert await run_child("none", env) == 0  # the lease runs out, the notice is sent
    assert await states(sessions, plan) == ["sent"]
    assert len(smtp_server.for_plan(plan)) == 1


async def test_killed_after_the_server_accepted_resends_the_same_message_id(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    smtp_server: SmtpServer,
    tmp_path: Path,
) -> None:
    """The window left (docs/decisions): accepted, not yet marked. Policy "resend" re-sends the
    identical bytes with the same Message-ID, which a de-duplicating mailbox (and the local
    sink, which files by Message-ID) keeps once."""
    plan, env = await prepared(settings, sessions, smtp_server, tmp_path, policy="resend")
    assert await run_child("after_accept", env) == CRASH_EXIT
    assert await states(sessions, plan) == ["sending"]
    assert await run_child("none", env) == 0
    assert await states(sessions, plan) == ["sent"]
    first, second = smtp_server.for_plan(plan)
    assert first.data == second.data
    assert first.message["Message-ID"] == second.message["Message-ID"]
    assert eml_name(first.data, list(first.recipients)) == eml_name(
        second.data, list(second.recipients)
    )


async def test_killed_after_the_server_accepted_with_hold_policy_never_sends_twice(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    smtp_server: SmtpServer,
    tmp_path: Path,
) -> None:
    plan, env = await prepared(settings, sessions, smtp_server, tmp_path, policy="hold")
    assert await run_child("after_accept", env) == CRASH_EXIT
    assert await run_child("none", env) == 0
    assert await states(sessions, plan) == ["uncertain"]
    assert len(smtp_server.for_plan(plan)) == 1

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "minhbach",
        "notifier",
        "failed",
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    listed = [line for line in out.decode().splitlines() if "uncertain" in line]
    assert any(plan.units[0].code.rsplit("-", 1)[1] in line for line in listed)
