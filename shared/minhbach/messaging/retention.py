"""Retention: rows the messaging guarantees no longer need are deleted, so no table grows forever.

What is kept, and why that is enough (docs/decisions/0010):
- **outbox**: an unpublished row is never deleted (it is the event until NATS has it); a published
  one is kept `outbox_retention_hours` (7 days) for inspection, well past the stream's duplicate
  window (a crashed relay re-publishes within seconds, not days).
- **inbox**: a handled event id is kept `inbox_retention_days` (30). JetStream redelivers an event
  only while its delivery is unacknowledged: at most `max_deliveries` times with backoffs of
  seconds, or when a consumer that was down comes back. An inbox row therefore only has to outlive
  the longest outage of a service; 30 days is that bound (settings refuse less than a day or less
  than the duplicate window).

Ages are measured on the database's clock (`now()`), the clock the rows were stamped with, not a
service's (possibly accelerated) demo clock. Deletes go in batches so no lock is held for long.
Each service adds its own purges (`Runtime.purges`); the runtime runs them all every
`retention_interval_seconds`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta

from sqlalchemy import ColumnElement, Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.db.messaging_tables import MessagingTables
from minhbach.observability.logging import get_logger
from minhbach.settings import Settings

log = get_logger(__name__)

Purge = Callable[[], Awaitable[int]]  # deletes what is past retention; returns how many rows
BATCH = 5000


async def delete_in_batches(
    sessions: async_sessionmaker[AsyncSession],
    table: Table,
    where: ColumnElement[bool],
    key: str,
) -> int:
    """DELETE ... WHERE `where`, about `BATCH` rows per transaction, chosen by column `key` (the
    condition is repeated outside, so a key shared by several rows deletes only matching ones)."""
    total = 0
    while True:
        doomed = select(table.c[key]).where(where).limit(BATCH).scalar_subquery()
        async with sessions() as session, session.begin():
            result = await session.execute(delete(table).where(table.c[key].in_(doomed), where))
        count = int(getattr(result, "rowcount", 0) or 0)
        total += count
        if count < BATCH:
            return total


def messaging_purges(
    sessions: async_sessionmaker[AsyncSession], tables: MessagingTables, settings: Settings
) -> dict[str, Purge]:
    outbox, inbox = tables.outbox, tables.inbox
    published_before = func.now() - timedelta(hours=settings.outbox_retention_hours)
    handled_before = func.now() - timedelta(days=settings.inbox_retention_days)

    async def purge_outbox() -> int:
        # published_at IS NULL never matches `<`: unpublished rows stay.
        return await delete_in_batches(
            sessions, outbox, outbox.c.published_at < published_before, "event_id"
        )

    async def purge_inbox() -> int:
        return await delete_in_batches(
            sessions, inbox, inbox.c.handled_at < handled_before, "event_id"
        )

    return {"outbox": purge_outbox, "inbox": purge_inbox}


async def run_purges(purges: Mapping[str, Purge]) -> dict[str, int]:
    """Run each purge; one that fails is logged and the others still run."""
    counts: dict[str, int] = {}
    for name, purge in purges.items():
        try:
            counts[name] = await purge()
        except Exception as exc:
            log.warning("retention purge failed", table=name, error=repr(exc))
    purged = {name: count for name, count in counts.items() if count}
    if purged:
        log.info("retention purged rows", **purged)
    return counts
