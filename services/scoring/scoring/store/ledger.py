"""The obligations ledger as stored: written where a recomputation changed it (what changed and
what is announced: `scoring.domain.changes`), read for figures, records and the API."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, and_, bindparam, case, delete, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.events.catalogue import ObligationKind, ObligationStatus
from scoring import db
from scoring.domain.changes import STORED, LedgerChanges
from scoring.domain.obligations import Obligation

_BY_ID = select(db.obligations).where(
    db.obligations.c.obligation_id.in_(bindparam("ids", expanding=True))
)
_UPDATE = (
    update(db.obligations)
    .where(db.obligations.c.obligation_id == bindparam("oid"))
    .values({f: bindparam(f) for f in (*STORED, "updated_at")})
    .execution_options(synchronize_session=False)
)


@dataclass(frozen=True)
class ObligationScope:
    """Which stored obligations a recomputation covers, so that ones it no longer yields go
    (by default: only those it yields)."""

    document_ids: frozenset[UUID] = frozenset()
    everything: bool = False


async def write(session: AsyncSession, changes: LedgerChanges) -> None:
    """Write what `changes.ledger_changes` found: new rows, changed rows, stale ids (deleted).
    Its events are the caller's to emit."""
    table = db.obligations
    if changes.inserts:
        await session.execute(pg_insert(table), changes.inserts)
    if changes.updates:
        await session.execute(_UPDATE, changes.updates)
    if changes.stale:
        await session.execute(delete(table).where(table.c.obligation_id.in_(changes.stale)))


async def covered(
    session: AsyncSession, ids: list[str], scope: ObligationScope = ObligationScope()
) -> dict[str, Any]:
    """The stored rows a recomputation of `ids` covers (by obligation id)."""
    table = db.obligations
    if scope.everything:
        found = await session.execute(select(table))
    elif scope.document_ids:
        found = await session.execute(
            select(table).where(
                or_(
                    table.c.obligation_id.in_(ids),
                    table.c.document_id.in_(list(scope.document_ids)),
                )
            )
        )
    else:
        found = await session.execute(_BY_ID, {"ids": ids})
    return {r.obligation_id: r._mapping for r in found}


async def existing_ids(session: AsyncSession, ids: Iterable[str]) -> set[str]:
    rows = await session.execute(
        select(db.obligations.c.obligation_id).where(db.obligations.c.obligation_id.in_(list(ids)))
    )
    return {r.obligation_id for r in rows}


def live_status(now: datetime) -> Any:
    """SQL for an obligation's status at `now` (the same rule as `derive_status`)."""
    c = db.obligations.c
    at = literal(now)
    return case(
        (and_(c.fulfilled_at.is_not(None), c.fulfilled_at < c.due_at), "fulfilled_on_time"),
        (c.fulfilled_at.is_not(None), "fulfilled_late"),
        (c.due_at <= at, "overdue"),
        (c.due_soon_at <= at, "due_soon"),
        else_="pending",
    )


async def status_moved_rows(session: AsyncSession, now: datetime) -> list[Mapping[Any, Any]]:
    """Open obligations whose stored status is not their status at `now` (time passed: into
    due soon, into overdue), each with that status under `status_now`."""
    table = db.obligations
    status_now = live_status(now).label("status_now")
    rows = await session.execute(
        select(table, status_now).where(
            table.c.fulfilled_at.is_(None), table.c.status != live_status(now)
        )
    )
    return [row._mapping for row in rows]


async def set_statuses(session: AsyncSession, statuses: Mapping[str, str], now: datetime) -> None:
    """Store each obligation's status (obligation id -> status)."""
    if statuses:
        table = db.obligations
        await session.execute(
            update(table)
            .where(table.c.obligation_id == bindparam("oid"))
            .values(status=bindparam("new_status"), updated_at=now),
            [{"oid": oid, "new_status": status} for oid, status in statuses.items()],
            execution_options={"synchronize_session": False},
        )


def obligation_from_row(row: Row[Any]) -> Obligation:
    return Obligation(
        obligation_id=row.obligation_id,
        unit_code=row.unit_code,
        kind=ObligationKind(row.kind),
        title=row.title,
        due_at=row.due_at,
        due_soon_at=row.due_soon_at,
        task_code=row.task_code,
        period=row.period,
        document_id=row.document_id,
        document_kind=row.document_kind,
        document_url=row.document_url,
        fulfilled_at=row.fulfilled_at,
        fulfilled_by=row.fulfilled_by,
    )


async def of_kinds(session: AsyncSession, kinds: Iterable[ObligationKind]) -> list[Obligation]:
    rows = await session.execute(
        select(db.obligations).where(db.obligations.c.kind.in_([k.value for k in kinds]))
    )
    return [obligation_from_row(r) for r in rows]


async def status_counts(session: AsyncSession, now: datetime) -> list[tuple[str, str, int]]:
    """(unit, status, count) with statuses derived at `now`."""
    status = live_status(now).label("status")
    rows = await session.execute(
        select(db.obligations.c.unit_code, status, func.count()).group_by(
            db.obligations.c.unit_code, status
        )
    )
    return [(r[0], r[1], int(r[2])) for r in rows]


@dataclass(frozen=True)
class LedgerFilter:
    """Filters combine (AND); the values of one filter are alternatives (OR); empty: any."""

    statuses: Sequence[ObligationStatus] = ()
    units: Sequence[str] = ()
    kinds: Sequence[ObligationKind] = ()
    periods: Sequence[str] = ()
    tasks: Sequence[str] = ()


@dataclass(frozen=True)
class LedgerPage:
    total: int  # matching obligations, on every page
    items: list[tuple[Obligation, ObligationStatus]]  # with their status at `now`


async def page(
    session: AsyncSession, now: datetime, where: LedgerFilter, limit: int, offset: int
) -> LedgerPage:
    """One page of the ledger in due order, with statuses as of `now`."""
    c = db.obligations.c
    live = live_status(now)
    conditions: list[Any] = []
    if where.statuses:
        conditions.append(live.in_([s.value for s in where.statuses]))
    if where.units:
        conditions.append(c.unit_code.in_(where.units))
    if where.kinds:
        conditions.append(c.kind.in_([k.value for k in where.kinds]))
    if where.periods:
        conditions.append(c.period.in_(where.periods))
    if where.tasks:
        conditions.append(c.task_code.in_(where.tasks))
    total = (
        await session.execute(select(func.count()).select_from(db.obligations).where(*conditions))
    ).scalar_one()
    rows = await session.execute(
        select(db.obligations, live.label("status_now"))
        .where(*conditions)
        .order_by(c.due_at, c.obligation_id)
        .limit(limit)
        .offset(offset)
    )
    return LedgerPage(
        total, [(obligation_from_row(r), ObligationStatus(r.status_now)) for r in rows]
    )
