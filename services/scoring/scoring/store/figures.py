"""Each indicator's figure as stored and its history; what a figure is computed from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.events.catalogue import ObligationKind
from scoring import db
from scoring.domain.changes import FigureChanges
from scoring.domain.facts import DocumentFact
from scoring.domain.readiness import (
    PROBE_SIGNALS,
    IndicatorFigure,
    ReadinessInputs,
    ReadinessModel,
    SignalFigure,
    TaskState,
)
from scoring.store import ledger, projections, task_states


def signals_json(signals: Sequence[SignalFigure]) -> list[dict[str, Any]]:
    """What a stored figure keeps of its signals (the evidence items are computed on reading)."""
    return [
        {
            "code": s.code,
            "name": s.name,
            "value": s.value,
            "weight": s.weight,
            "evidence": s.evidence,
            "has_data": s.has_data,
            "missing": s.missing,
        }
        for s in signals
    ]


def figure_from_row(row: Row[Any]) -> IndicatorFigure:
    return IndicatorFigure(
        row.indicator,
        row.readiness,
        tuple(
            SignalFigure(
                s["code"],
                s["name"],
                s["value"],
                s["weight"],
                s["evidence"],
                has_data=s.get("has_data", True),  # rows stored before decision 0014
                missing=s.get("missing", ""),
            )
            for s in row.signals
        ),
    )


async def stored(session: AsyncSession, numbers: Iterable[int] | None = None) -> list[Row[Any]]:
    query = select(db.figures).order_by(db.figures.c.indicator)
    if numbers is not None:
        query = query.where(db.figures.c.indicator.in_(list(numbers)))
    return list(await session.execute(query))


async def readiness_inputs(
    session: AsyncSession,
    model: ReadinessModel,
    numbers: Iterable[int],
    now: datetime,
    signals: Iterable[str] | None = None,
    *,
    done_only: bool = False,
) -> ReadinessInputs:
    """Load only what the given signals (default: all) of the given indicators read. With
    `done_only`, task states are counted, not loaded (enough for the value; not for the
    evidence items, which name every pair)."""
    indicators = [model.plan.indicator(n) for n in numbers]
    wanted = {code for i in indicators for code in i.readiness_weights}
    if signals is not None:
        wanted &= set(signals)
    states: dict[tuple[str, str], TaskState] = {}
    done_counts: dict[str, int] | None = None
    reported_counts: dict[str, int] | None = None
    if "tasks_reported_done" in wanted:
        tasks = {t for i in indicators for t in i.tasks}
        if done_only:
            done_counts, reported_counts = await task_states.count_states(session, tasks)
        else:
            states = await task_states.load(session, tasks)
    kinds = []
    if "documents_posted_on_time" in wanted:
        kinds.append(ObligationKind.DOCUMENT_POSTING)
    if "fixed_deadline_met" in wanted:
        kinds.append(ObligationKind.FIXED_DEADLINE_TASK)
    obligations = await ledger.of_kinds(session, kinds) if kinds else []
    probes = await projections.figure_probes(session, now) if wanted & PROBE_SIGNALS else []
    documents: list[DocumentFact] = []
    if "directive_section_clean" in wanted:
        documents = await projections.documents_in_sections(session, model.directive_sections())
    untimed = {}
    if "documents_posted_on_time" in wanted:
        untimed = await projections.untimed_documents(session)
    return ReadinessInputs(
        states,
        obligations,
        probes,
        documents,
        done_counts=done_counts,
        reported_counts=reported_counts,
        untimed_documents=untimed,
    )


async def write(session: AsyncSession, changes: FigureChanges, now: datetime) -> None:
    """Store the figures `changes.figure_changes` found changed; history for each that moved.
    Its events are the caller's to emit."""
    rows = [
        {
            "indicator": change.figure.indicator,
            "readiness": change.figure.readiness,
            "signals": signals_json(change.figure.signals),
            "computed_at": now,
            "caused_by": change.caused_by,
        }
        for change in changes.changed
    ]
    if rows:
        upsert = pg_insert(db.figures)
        await session.execute(
            upsert.on_conflict_do_update(
                index_elements=["indicator"],
                set_={
                    c: upsert.excluded[c]
                    for c in ("readiness", "signals", "computed_at", "caused_by")
                },
            ),
            rows,
        )
    moved = [row for row, change in zip(rows, changes.changed, strict=True) if change.moved]
    if moved:
        await session.execute(pg_insert(db.figure_history), moved)


@dataclass(frozen=True)
class PastFigure:
    readiness: float
    signals: dict[str, float]
    computed_at: datetime
    caused_by: UUID | None


async def history(session: AsyncSession, number: int, limit: int) -> list[PastFigure]:
    """The indicator's figure each time it moved, oldest first (the latest `limit` points)."""
    h = db.figure_history.c
    rows = (
        await session.execute(
            select(db.figure_history)
            .where(h.indicator == number)
            .order_by(h.id.desc())
            .limit(limit)
        )
    ).all()
    return [
        PastFigure(
            readiness=r.readiness,
            signals={s["code"]: s["value"] for s in r.signals},
            computed_at=r.computed_at,
            caused_by=r.caused_by,
        )
        for r in reversed(rows)
    ]
