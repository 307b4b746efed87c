"""Write side of the transactional outbox: events join the caller's transaction."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.db.messaging_tables import MessagingTables
from minhbach.events.base import Event


async def add_to_outbox(session: AsyncSession, tables: MessagingTables, *events: Event) -> None:
    """Store events with the state they describe; the relay publishes them after commit."""
    if not events:
        return
    await session.execute(
        insert(tables.outbox),
        [
            {"event_id": e.event_id, "subject": e.subject, "payload": e.model_dump_json()}
            for e in events
        ],
    )
