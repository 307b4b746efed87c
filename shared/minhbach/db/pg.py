"""A service's database on asyncpg alone, for a hot path: the pool and its unit of work.

The same promise as `unit_of_work.UnitOfWork` (one transaction per service function; the events
it returns go to the outbox inside it; the relay is woken after the commit), without SQLAlchemy:
through a SQLAlchemy session the same filing write cost about four times the CPU of asyncpg, and
seven times with the outbox row through `Outbox.emit` (`python -m tests.benchmarks intake_stack`,
decision 0023). Intake files through this; the other services use `UnitOfWork`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeAlias, TypeVar

import asyncpg

from minhbach.db.messaging_tables import MessagingTables
from minhbach.db.session import CONNECT_TIMEOUT_SECONDS, async_url
from minhbach.db.unit_of_work import Outcome
from minhbach.messaging.outbox import OUTBOX_COLUMNS, Outbox, OutboxRow
from minhbach.observability.logging import get_logger

log = get_logger(__name__)
T = TypeVar("T")

Connection: TypeAlias = Any
"""A pooled asyncpg connection (asyncpg ships no types): what a store's functions are handed."""


class PgPool:
    """An asyncpg pool opened with the app (a runtime resource): it connects on first use, so a
    service restarted while PostgreSQL is down starts anyway, answers 503 meanwhile and
    connects when it is back (found by the chaos run: intake restarted in an outage exited for
    good). JSON columns come and go as text (no codec: a store decodes what it reads)."""

    def __init__(self, database_url: str, max_size: int = 50) -> None:
        self._dsn = async_url(database_url).replace("postgresql+asyncpg://", "postgresql://", 1)
        self._max_size = max_size
        self._pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        async with self._lock:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    self._dsn,
                    min_size=0,
                    max_size=self._max_size,
                    reset=_keep_session,
                    timeout=CONNECT_TIMEOUT_SECONDS,
                )

    async def close(self, timeout: float = 10.0) -> None:
        """Close gracefully; a connection still checked out after `timeout` is cut (shutdown
        must not hang on a request that never finishes)."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        try:
            async with asyncio.timeout(timeout):
                await pool.close()
        except TimeoutError:
            log.warning("pool did not close in time; terminating", timeout=timeout)
            pool.terminate()

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[Connection]:
        if self._pool is None:
            await self.open()
        assert self._pool is not None
        async with self._pool.acquire() as connection:
            yield connection


class PgUnitOfWork:
    """One transaction on one pooled connection per service function; the events it returns are
    inserted into the service's outbox in it, and the relay is woken after the commit."""

    def __init__(self, pool: PgPool, tables: MessagingTables, outbox: Outbox) -> None:
        self.pool = pool
        self._outbox = outbox
        table = tables.outbox
        self._insert = (
            f"INSERT INTO {table.schema}.{table.name} ({OUTBOX_COLUMNS}) VALUES ($1, $2, $3)"
        )

    async def run(self, work: Callable[[Connection], Awaitable[Outcome[T]]]) -> T:
        """Run `work` in one transaction and emit its events in it; commit, then answer its
        value. If `work` (or the emit) raises, nothing is written and no event leaves."""
        async with self.pool.acquire() as connection:
            async with connection.transaction():
                outcome = await work(connection)
                if len(outcome.events) == 1:  # the usual case: no executemany's set-up
                    await connection.execute(self._insert, *OutboxRow.of(outcome.events[0]))
                elif outcome.events:
                    await connection.executemany(
                        self._insert, [OutboxRow.of(e) for e in outcome.events]
                    )
            if outcome.events:
                self._outbox.committed()
        return outcome.value

    async def read(self, work: Callable[[Connection], Awaitable[T]]) -> T:
        """Reads on one pooled connection, each statement in its own snapshot; no events."""
        async with self.pool.acquire() as connection:
            return await work(connection)


async def _keep_session(connection: Connection) -> None:
    """Skip asyncpg's reset query on release (a round trip per request): these transactions
    change no session state (no SET, LISTEN, advisory lock or cursor outlives them)."""
