"""Operators' view of dead letters across services, and replay."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import nats
from sqlalchemy import MetaData, select, update

from minhbach.db.messaging_tables import add_messaging_tables
from minhbach.db.session import make_engine
from minhbach.services import ServiceSpec
from minhbach.settings import Settings


@dataclass(frozen=True)
class DeadLetter:
    service: str
    id: int
    subject: str
    event_id: UUID | None
    payload: str
    error: str
    deliveries: int
    failed_at: datetime


async def pending_dead_letters(database_url: str, specs: Sequence[ServiceSpec]) -> list[DeadLetter]:
    engine = make_engine(database_url, pool_size=1)
    found: list[DeadLetter] = []
    try:
        async with engine.connect() as conn:
            for spec in specs:
                table = add_messaging_tables(MetaData(schema=spec.schema)).dead_letters
                rows = await conn.execute(
                    select(table).where(table.c.replayed_at.is_(None)).order_by(table.c.id)
                )
                found += [
                    DeadLetter(
                        service=spec.name,
                        id=r.id,
                        subject=r.subject,
                        event_id=r.event_id,
                        payload=r.payload,
                        error=r.error,
                        deliveries=r.deliveries,
                        failed_at=r.failed_at,
                    )
                    for r in rows
                ]
    finally:
        await engine.dispose()
    return found


async def replay_dead_letter(settings: Settings, spec: ServiceSpec, dead_letter_id: int) -> None:
    """Publish the stored payload again under a fresh message id, then mark it replayed."""
    table = add_messaging_tables(MetaData(schema=spec.schema)).dead_letters
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            row = (
                await conn.execute(
                    select(table).where(table.c.id == dead_letter_id).with_for_update()
                )
            ).one_or_none()
            if row is None:
                raise LookupError(f"{spec.name} has no dead letter #{dead_letter_id}")
            client = await nats.connect(settings.nats_url)
            try:
                await client.jetstream().publish(
                    row.subject,
                    row.payload.encode(),
                    headers={"Nats-Msg-Id": f"{row.event_id}-replay-{spec.name}-{row.id}"},
                )
            finally:
                await client.close()
            await conn.execute(
                update(table)
                .where(table.c.id == dead_letter_id)
                .values(replayed_at=datetime.now(UTC))
            )
    finally:
        await engine.dispose()
