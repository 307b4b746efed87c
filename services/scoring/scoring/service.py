"""Scoring's service functions: one per consumed event, per loop tick and per operator command,
each in exactly ONE transaction through the unit of work, which emits the events the step
returned inside it (`minhbach.db.unit_of_work`). The steps themselves are `scorer.Scorer`'s; a
consumed event's transaction is the consumer's (the event's inbox row commits with its effect).
Reads for the API go through `scoring.store` in a session without events (`reading`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TypeVar

from minhbach.clock import Clock
from minhbach.db.unit_of_work import Outcome, Session, UnitOfWork
from minhbach.events.base import Event
from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    EvidenceSubmitted,
    ProbeFinished,
    ReportSubmitted,
)
from scoring import metrics
from scoring.scorer import RebuildSummary, Scorer

E = TypeVar("E", bound=Event)
Apply = Callable[[Session, E], Awaitable[None]]


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

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Session]:
        """A session for reads (no transaction held open for writes, no events)."""
        async with self.unit.sessions() as session:
            yield session
