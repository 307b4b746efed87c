"""Which changes announce an event, as pure functions: the ledger's and the figures'.

The store reads what is stored, asks these rules what differs, and writes only that. An
obligation is announced when it appears or when what a unit reads of it moved (title, due
instants, fulfilment, status, document); a change only to bookkeeping (which fact fulfilled it,
the document's kind) is stored silently. A figure is announced when its readiness moved or one of
its signals gained or lost data; a change only to its explanation is stored, without history or
event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from minhbach.events.catalogue import (
    IndicatorChanged,
    ObligationChanged,
    ObligationKind,
    ObligationStatus,
    Signal,
)
from scoring.domain.obligations import Obligation, derive_status
from scoring.domain.readiness import IndicatorFigure

MOVE_EPSILON = 1e-9

# Columns of a stored obligation: those a change of announces, then the bookkeeping.
ANNOUNCED = ("title", "due_at", "due_soon_at", "fulfilled_at", "status", "document_url")
STORED = (
    *ANNOUNCED,
    "unit_code",
    "kind",
    "task_code",
    "period",
    "document_id",
    "document_kind",
    "fulfilled_by",
)

Row = dict[str, Any]


# --- the ledger ---------------------------------------------------------------------------------


def obligation_row(ob: Obligation, now: datetime) -> Row:
    """An obligation as stored, with its status at `now`."""
    return {
        "obligation_id": ob.obligation_id,
        "unit_code": ob.unit_code,
        "kind": ob.kind.value,
        "title": ob.title,
        "due_at": ob.due_at,
        "due_soon_at": ob.due_soon_at,
        "task_code": ob.task_code,
        "period": ob.period,
        "document_id": ob.document_id,
        "document_kind": ob.document_kind,
        "document_url": ob.document_url,
        "fulfilled_at": ob.fulfilled_at,
        "fulfilled_by": ob.fulfilled_by,
        "status": ob.status(now).value,
        "updated_at": now,
    }


def obligation_event(
    row: Mapping[str, Any], previous: str | None, caused_by: UUID | None
) -> ObligationChanged:
    return ObligationChanged(
        obligation_id=row["obligation_id"],
        unit_code=row["unit_code"],
        kind=ObligationKind(row["kind"]),
        title=row["title"],
        due_at=row["due_at"],
        task_code=row["task_code"],
        period=row["period"],
        document_url=row["document_url"],
        fulfilled_at=row["fulfilled_at"],
        status=ObligationStatus(row["status"]),
        due_soon_at=row["due_soon_at"],
        previous_status=ObligationStatus(previous) if previous else None,
        document_kind=row["document_kind"],
        caused_by=caused_by,
    )


@dataclass
class LedgerChanges:
    """What to write to the ledger and what to announce."""

    inserts: list[Row] = field(default_factory=list)
    updates: list[Row] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # stored, no longer computed: deleted
    events: list[ObligationChanged] = field(default_factory=list)


def ledger_changes(
    computed: Sequence[Obligation],
    existing: Mapping[str, Mapping[str, Any]],
    now: datetime,
    caused_by: UUID | None,
    *,
    keep_earlier_fulfilment: bool = False,
) -> LedgerChanges:
    """Compare `computed` with the `existing` rows (by obligation id) it covers.

    With `keep_earlier_fulfilment`, `computed` was derived from one new fact only: a stored
    fulfilment that came first stays (fulfilment is the earliest of all facts, so merging by
    minimum is exact whatever order facts arrive in)."""
    rows = {ob.obligation_id: obligation_row(ob, now) for ob in computed}
    changes = LedgerChanges()
    for oid, row in rows.items():
        old = existing.get(oid)
        if keep_earlier_fulfilment and old is not None:
            keep_earlier(row, old, now)
        if old is None:
            changes.inserts.append(row)
            changes.events.append(obligation_event(row, None, caused_by))
        elif any(old[f] != row[f] for f in STORED):
            changes.updates.append({**row, "oid": oid})
            if any(old[f] != row[f] for f in ANNOUNCED):
                changes.events.append(obligation_event(row, old["status"], caused_by))
    changes.stale = [oid for oid in existing if oid not in rows]
    return changes


def keep_earlier(row: Row, old: Mapping[str, Any], now: datetime) -> None:
    """Keep the stored fulfilment in `row` if it came first (and the status that follows)."""
    if old["fulfilled_at"] is None:
        return
    if row["fulfilled_at"] is not None and (row["fulfilled_at"], row["fulfilled_by"]) < (
        old["fulfilled_at"],
        old["fulfilled_by"],
    ):
        return
    row["fulfilled_at"], row["fulfilled_by"] = old["fulfilled_at"], old["fulfilled_by"]
    row["status"] = derive_status(row["due_at"], row["due_soon_at"], row["fulfilled_at"], now).value


def status_moved(
    rows: Iterable[Mapping[Any, Any]], status_now: str = "status_now"
) -> list[ObligationChanged]:
    """Events for stored open obligations whose status moved as time passed (each row carries
    its stored `status` and its status at now under `status_now`)."""
    events = []
    for stored in rows:
        row = dict(stored)
        previous, row["status"] = row["status"], row.pop(status_now)
        events.append(obligation_event(row, previous, None))
    return events


# --- the figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureChange:
    figure: IndicatorFigure
    caused_by: UUID | None
    moved: bool  # the readiness moved (history and an event), not only the explanation


@dataclass
class FigureChanges:
    changed: list[FigureChange] = field(default_factory=list)
    events: list[IndicatorChanged] = field(default_factory=list)


def _announced(figure: IndicatorFigure) -> tuple[object, ...]:
    return (
        figure.readiness,
        tuple((s.code, s.value, s.weight, s.evidence, s.has_data) for s in figure.signals),
    )


def _known(figure: IndicatorFigure) -> frozenset[str]:
    return frozenset(s.code for s in figure.signals if s.has_data)


def figure_changes(
    figures: Sequence[IndicatorFigure],
    stored: Mapping[int, IndicatorFigure],
    now: datetime,
    causes: Mapping[int, Sequence[UUID]] | None = None,
) -> FigureChanges:
    """Figures that differ from the stored ones, and an event for each that moved, naming the
    input events that moved it (`causes`, per indicator; the last one is `caused_by`)."""
    changes = FigureChanges()
    for figure in figures:
        old = stored.get(figure.indicator)
        if old is not None and _announced(old) == _announced(figure):
            continue
        by = tuple(dict.fromkeys((causes or {}).get(figure.indicator, ())))
        caused_by = by[-1] if by else None
        # A signal gaining (or losing) data is announced too, even when the figure stays: readers
        # of the event (reporting) list the evidence missing from it (decision 0014).
        moved = (
            old is None
            or abs(old.readiness - figure.readiness) > MOVE_EPSILON
            or _known(old) != _known(figure)
        )
        changes.changed.append(FigureChange(figure, caused_by, moved))
        if not moved:
            continue  # the explanation changed, the figure did not: no history, no event
        changes.events.append(
            IndicatorChanged(
                indicator=figure.indicator,
                readiness=figure.readiness,
                previous=None if old is None else old.readiness,
                signals=tuple(
                    Signal(
                        name=s.code,
                        value=s.value,
                        weight=s.weight,
                        evidence=s.evidence,
                        has_data=s.has_data,
                        missing=s.missing,
                    )
                    for s in figure.signals
                ),
                computed_at=now,
                caused_by=caused_by,
                caused_by_events=by,
            )
        )
    return changes
