"""`minhbach scoring check` and `rebuild` as an operator runs them, on a real database."""

from __future__ import annotations

import asyncio
import os
import sys

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scoring import db


async def minhbach(database_url: str, *args: str) -> tuple[int, str]:
    env = {**os.environ, "MINHBACH_DATABASE_URL": database_url, "MINHBACH_LOG_LEVEL": "WARNING"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "minhbach",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode()


async def test_check_finds_what_a_rebuild_then_puts_right(
    scoring_url: str, scoring_sessions: async_sessionmaker[AsyncSession]
) -> None:
    code, out = await minhbach(scoring_url, "scoring", "check")
    assert code == 1, out
    assert "report:lead-quarterly:ktht:2024:Q3" in out  # owed by the plan, not yet stored

    code, out = await minhbach(scoring_url, "scoring", "rebuild")
    assert code == 0, out
    assert "obligations changed:" in out
    async with scoring_sessions() as session:
        stored = await session.scalar(select(func.count()).select_from(db.obligations))
        announced = await session.scalar(select(func.count()).select_from(db.messaging.outbox))
    assert stored and announced and announced >= stored  # each one announced through the outbox

    code, out = await minhbach(scoring_url, "scoring", "check")
    assert code == 0, out
