"""Scoring's service functions: one per consumed event, per loop tick and per operator command,
each in exactly ONE transaction through the unit of work, which emits the events the step
returned inside it (`minhbach.db.unit_of_work`). The steps themselves are `scorer.Scorer`'s; a
consumed event's transaction is the consumer's (the event's inbox row commits with its effect).
The API's reads are functions here too, in a session without events (`reading`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from minhbach.clock import Clock
from minhbach.db.unit_of_work import Outcome, Session, UnitOfWork
from minhbach.events.base import Event
from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    EvidenceSubmitted,
    ObligationStatus,
    ProbeFinished,
    ReportSubmitted,
)
from scoring import metrics
from scoring.domain.readiness import IndicatorFigure
from scoring.domain.records import UnitRecord, count_statuses, unit_records
from scoring.scorer import RebuildSummary, Scorer
from scoring.store import figures, ledger, projections
from scoring.store.ledger import LedgerFilter, LedgerPage

__all__ = ["CurrentFigures", "LedgerFilter", "LedgerPage", "ScoringService"]

E = TypeVar("E", bound=Event)
Apply = Callable[[Session, E], Awaitable[None]]


@dataclass(frozen=True)
class CurrentFigures:
    computed_at: datetime
    last: dict[int, Any]  # indicator -> the stored figure's row (readiness, computed_at, cause)
    figures: Sequence[IndicatorFigure]


class ScoringService:
    def __init__(self, scorer: Scorer, unit: UnitOfWork, clock: Clock) -> None:
        self.scorer = scorer
        self.unit = unit
        self.clock = clock

    # --- consumed events (in the consumer's transaction) -----------------------------------

    def _on(self, step: Callable[[Session, E, datetime], Awaitable[list[Event]]]) -> Apply[E]:
        return self.unit.applying(lambda session, event: step(session, event, self.clock.now()))

    def handlers(self) -> list[tuple[type[Event], Apply[Event]]]:
        """What the consumer subscribes: each subject's step, its events emitted with it."""
        s = self.scorer
        pairs: list[tuple[type[Event], Apply[Event]]] = []
        for kind, step in (
            (ReportSubmitted, self._on(s.on_report)),
            (EvidenceSubmitted, self._on(s.on_evidence)),
            (DocumentFound, self._on(s.on_document)),
            (DocumentChanged, self._on(s.on_document)),
            (ProbeFinished, self._on(s.on_probe)),
        ):
            pairs.append((kind, step))  # type: ignore[arg-type]
        return pairs

    # --- the loops ---------------------------------------------------------------------------

    async def pass_of_time(self, now: datetime) -> Sequence[Event]:
        """The plan's obligations exist; statuses that moved as time passed are announced."""
        return await self.unit.emitting(lambda session: self.scorer.tick(session, now))

    async def refresh_figures(self, now: datetime) -> Sequence[Event]:
        """Every signal of every figure recomputed (time moves some)."""
        return await self.unit.emitting(lambda session: self.scorer.refresh_figures(session, now))

    async def flush_figures(self) -> Sequence[Event]:
        """The figures events marked since the last flush, recomputed in one transaction."""
        now = self.clock.now()
        return await self.unit.emitting(lambda session: self.scorer.flush_figures(session, now))

    async def refresh_metrics(self, now: datetime) -> None:
        async with self.reading() as session:
            await metrics.refresh(session, self.scorer.model, now)

    # --- operator commands ---------------------------------------------------------------------

    async def rebuild(self, now: datetime) -> RebuildSummary:
        """Task states, the whole ledger and every figure recomputed from the projections."""

        async def work(session: Session) -> Outcome[RebuildSummary]:
            summary = await self.scorer.rebuild(session, now)
            return Outcome(summary, summary.events)

        return await self.unit.run(work)

    async def differences(self, now: datetime) -> list[str]:
        """Where the stored ledger and figures differ from a rebuild's (empty: they agree)."""
        async with self.reading() as session:
            return await self.scorer.differences(session, now)

    # --- reads for the API (no transaction for writes, no events) -----------------------------

    async def current_figures(self) -> CurrentFigures:
        """Every figure computed now (with its evidence items), next to the stored rows."""
        now = self.clock.now()
        scorer = self.scorer
        async with self.reading() as session:
            rows = {r.indicator: r for r in await figures.stored(session)}
            inputs = await figures.readiness_inputs(
                session, scorer.model, scorer.all_indicators, now
            )
        return CurrentFigures(now, rows, scorer.model.figures(inputs, now))

    async def history(self, number: int, limit: int) -> list[figures.PastFigure]:
        async with self.reading() as session:
            return await figures.history(session, number, limit)

    async def unit_records(self) -> list[UnitRecord]:
        """Each unit's record: obligations by status now, portal checks."""
        now = self.clock.now()
        async with self.reading() as session:
            per_unit: dict[str, list[ObligationStatus]] = {}
            for unit, status, count in await ledger.status_counts(session, now):
                per_unit.setdefault(unit, []).extend([ObligationStatus(status)] * count)
            probes = await projections.figure_probes(session, now)
        counts = {unit: count_statuses(statuses) for unit, statuses in per_unit.items()}
        return unit_records(self.scorer.plan, counts, probes)

    async def obligations(self, where: LedgerFilter, limit: int, offset: int) -> LedgerPage:
        """One page of the ledger with statuses as of now."""
        async with self.reading() as session:
            return await ledger.page(session, self.clock.now(), where, limit, offset)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Session]:
        """A session for reads (no transaction held open for writes, no events)."""
        async with self.unit.sessions() as session:
            yield session
