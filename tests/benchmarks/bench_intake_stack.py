"""Intake's database stack, measured alone (issue 22: one stack per service, chosen by this).

The same filing write (a report version and its outbox row, in one transaction) is made
`WRITES` times, `CONCURRENCY` at a time, in this process, through:
- asyncpg: a pooled connection, one statement (data-modifying CTEs: the version and the outbox
  row), atomic without BEGIN/COMMIT: intake's write path since decision 0009;
- SQLAlchemy, one statement: the runtime's engine (`make_engine`: pool pre-ping), the shared
  unit of work's transaction (`transaction`), the same CTE through `exec_driver_sql`;
- SQLAlchemy, unit of work: the version INSERT, then the event through `Outbox.emit` (what the
  shared `UnitOfWork` does), in the unit's transaction;
- asyncpg, unit of work: a pooled connection, BEGIN, the version INSERT, the outbox INSERT,
  COMMIT: the same unit on asyncpg (`minhbach.db.pg_unit_of_work`).

Reported: writes/s and this process's CPU time per write (the steadier figure on a shared
machine). Each variant writes its own rows; the outbox table is the bench's own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import ClassVar

import asyncpg
from sqlalchemy import Column, MetaData, Table, Text, Uuid, text
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.db.messaging_tables import add_messaging_tables
from minhbach.db.session import async_url, make_engine, make_sessionmaker, transaction
from minhbach.events.base import Event
from minhbach.messaging.outbox import OUTBOX_COLUMNS, Outbox, OutboxRow
from tests.benchmarks.env import BenchEnv
from tests.benchmarks.table import BenchRow

SCHEMA = "bench_intake_stack"
WRITES = 3000
CONCURRENCY = 20
ANALYSIS = "x" * 4000  # about the size of a report's JSON

metadata = MetaData(schema=SCHEMA)
versions = Table(
    "versions",
    metadata,
    Column("version_id", Uuid, primary_key=True),
    Column("analysis", Text, nullable=False),
)
messaging = add_messaging_tables(metadata)

ONE_STATEMENT = f"""
WITH version AS (
  INSERT INTO {SCHEMA}.versions (version_id, analysis) VALUES ($1, $4)
)
INSERT INTO {SCHEMA}.outbox ({OUTBOX_COLUMNS}) VALUES ($1, $2, $3)
"""
INSERT_VERSION = f"INSERT INTO {SCHEMA}.versions (version_id, analysis) VALUES ($1, $2)"
INSERT_OUTBOX = f"INSERT INTO {SCHEMA}.outbox ({OUTBOX_COLUMNS}) VALUES ($1, $2, $3)"


class Filed(Event):
    subject: ClassVar[str] = "bench.filed"
    analysis: str


async def _measure(write: Callable[[], Awaitable[None]]) -> tuple[float, float]:
    """(writes per second, CPU microseconds per write) for WRITES writes, CONCURRENCY at once."""
    todo = iter(range(WRITES))

    async def worker() -> None:
        for _ in todo:
            await write()

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return WRITES / wall, cpu / WRITES * 1e6


async def run(env: BenchEnv) -> list[BenchRow]:
    url = env.settings.database_url
    engine = make_engine(url, pool_size=CONCURRENCY)
    sessions = make_sessionmaker(engine)
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        await conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        await conn.run_sync(metadata.create_all)
    outbox = Outbox(messaging)  # no relay here: the rows stay
    dsn = async_url(url).replace("postgresql+asyncpg://", "postgresql://", 1)
    pool = await asyncpg.create_pool(dsn, min_size=CONCURRENCY, max_size=CONCURRENCY)

    async def on_asyncpg() -> None:
        event = Filed(analysis=ANALYSIS)
        async with pool.acquire() as connection:
            await connection.execute(ONE_STATEMENT, *OutboxRow.of(event), event.analysis)

    async def on_sqlalchemy_one_statement() -> None:
        event = Filed(analysis=ANALYSIS)
        async with transaction(sessions) as session:
            connection = await session.connection()
            await connection.exec_driver_sql(ONE_STATEMENT, (*OutboxRow.of(event), event.analysis))

    async def on_sqlalchemy_unit_of_work() -> None:
        event = Filed(analysis=ANALYSIS)
        async with transaction(sessions) as session:
            await _insert_version(session, event)
            await outbox.emit(session, event)

    async def on_asyncpg_unit_of_work() -> None:
        event = Filed(analysis=ANALYSIS)
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute(INSERT_VERSION, event.event_id, event.analysis)
            await connection.executemany(INSERT_OUTBOX, [OutboxRow.of(event)])

    results = {}
    try:
        for name, write in (
            ("asyncpg, one statement", on_asyncpg),
            ("SQLAlchemy, one statement", on_sqlalchemy_one_statement),
            ("SQLAlchemy, unit of work", on_sqlalchemy_unit_of_work),
            ("asyncpg, unit of work", on_asyncpg_unit_of_work),
        ):
            await _measure(write)  # warm up (pools filled, statements prepared)
            results[name] = await _measure(write)
    finally:
        await pool.close()
        await engine.dispose()
    base_rate, base_cpu = results["asyncpg, one statement"]
    rows = []
    for name, (rate, cpu) in results.items():
        rows.append(
            BenchRow("intake stack", f"{name}: writes/s", rate, "w/s", base_rate, "asyncpg")
        )
        rows.append(
            BenchRow(
                "intake stack",
                f"{name}: CPU per write",
                cpu,
                "us",
                base_cpu,
                "asyncpg",
                higher_is_better=False,
            )
        )
    return rows


async def _insert_version(session: AsyncSession, event: Filed) -> None:
    await session.execute(
        versions.insert().values(version_id=event.event_id, analysis=event.analysis)
    )
