"""The probe schedule: one row per portal; due portals are offered to the work queue (see
workqueue)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from portal_monitor import db

# --- the schedule -------------------------------------------------------------------------------


async def register_portals(
    session: AsyncSession, portals: Sequence[tuple[str, str]], now: datetime
) -> None:
    """A schedule row for each (unit, portal URL), due now when new."""
    statement = pg_insert(db.portal_state).values(
        [
            {"unit_code": code, "portal_url": url, "next_probe_at": now, "failed_attempts": 0}
            for code, url in portals
        ]
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["unit_code"], set_={"portal_url": statement.excluded.portal_url}
        )
    )


async def claim_due(
    session: AsyncSession, unit_codes: Sequence[str], now: datetime, lease: timedelta, limit: int
) -> list[tuple[str, datetime]]:
    """The due portals not offered within the lease, oldest due first, leased now (so the next
    ticks do not offer them again); returns (unit, due instant)."""
    state = db.portal_state.c
    due = (
        select(state.unit_code, state.next_probe_at)
        .where(
            state.unit_code.in_(unit_codes),
            state.next_probe_at <= now,
            or_(state.leased_until.is_(None), state.leased_until <= now),
        )
        .order_by(state.next_probe_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = (await session.execute(due)).all()
    if rows:
        await session.execute(
            update(db.portal_state)
            .where(state.unit_code.in_([r.unit_code for r in rows]))
            .values(leased_until=now + lease)
        )
    return [(r.unit_code, r.next_probe_at) for r in rows]


async def due_backlog(
    session: AsyncSession, unit_codes: Sequence[str], now: datetime
) -> tuple[int, datetime | None]:
    """How many of the portals are due (queued or being probed), and the oldest due instant."""
    state = db.portal_state.c
    row = (
        await session.execute(
            select(func.count(), func.min(state.next_probe_at)).where(
                state.unit_code.in_(unit_codes), state.next_probe_at <= now
            )
        )
    ).one()
    return int(row[0]), row[1]


async def portal_schedule(session: AsyncSession) -> list[dict[str, Any]]:
    """Schedule and last outcome of each portal (GET /portals)."""
    rows = await session.execute(select(db.portal_state).order_by("unit_code"))
    return [
        {
            "unit_code": r.unit_code,
            "portal_url": r.portal_url,
            "next_probe_at": r.next_probe_at,
            "last_probe_at": r.last_probe_at,
            "last_outcome": r.last_outcome,
            "failed_attempts": r.failed_attempts,
            "latency_ms": r.latency_ms,
        }
        for r in rows
    ]


async def last_outcomes(session: AsyncSession) -> list[tuple[str, str]]:
    """(unit, outcome of its last probe) for every portal probed at least once."""
    state = db.portal_state.c
    rows = await session.execute(
        select(state.unit_code, state.last_outcome).where(state.last_outcome.is_not(None))
    )
    return [(unit, outcome) for unit, outcome in rows]
