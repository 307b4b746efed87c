"""Intake starts while its PostgreSQL is down (found by the chaos run, issue 20: intake restarted
during a PostgreSQL outage failed its startup and stayed down, so no unit could file until an
operator came). Its write pool connects on first use, not at startup."""

from __future__ import annotations

import shutil
import uuid

import asyncpg
import pytest

from minhbach.db.pg import PgPool
from minhbach.infra.embedded import EmbeddedPostgres
from minhbach.settings import REPO_ROOT

pytestmark = pytest.mark.slow


async def test_the_write_pool_opens_while_postgres_is_down_and_writes_once_it_is_back() -> None:
    folder = REPO_ROOT / "var" / "test" / f"intake-outage-{uuid.uuid4().hex[:8]}"
    pg = EmbeddedPostgres(folder, database="intake_outage").start()
    url = pg.url
    pool = PgPool(url)  # intake's pool
    try:
        pg.stop()
        await pool.open()  # raised ConnectionRefusedError before: startup failed
        with pytest.raises((OSError, asyncpg.PostgresError)):
            async with pool.acquire() as connection:
                await connection.fetchval("SELECT 1")
        pg.start()
        async with pool.acquire() as connection, connection.transaction():
            assert await connection.fetchval("SELECT 41 + 1") == 42
    finally:
        await pool.close()
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)
