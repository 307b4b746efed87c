"""What scoring does with each event, each tick of the clock, and on a rebuild.

Every entry point runs inside one transaction that holds scoring's advisory lock, stores the
fact, recomputes the slices of the ledger and the figures the fact can move (pure rules in
`obligations` and `readiness`), and returns the events to emit through the outbox.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from uuid import UUID

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.events.base import Event
from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    EvidenceSubmitted,
    ObligationKind,
    ProbeFinished,
    ReportSubmitted,
)
from minhbach.plan import Plan
from scoring.domain.derive import Derived, Relevance, derive
from scoring.domain.facts import (
    DocumentFact,
    document_fact,
    evidence_fact,
    merge_documents,
    probe_fact,
    report_fact,
)
from scoring.domain.obligations import ObligationRules
from scoring.domain.readiness import (
    DOCUMENT_SIGNALS,
    EVIDENCE_SIGNALS,
    PROBE_SIGNALS,
    ReadinessModel,
)
from scoring.store import figures, ledger, locks, projections, task_states

SignalScope = dict[int, set[str] | None]
"""Indicator -> the signals an input can move (None: all of them)."""


@dataclass
class PendingFigures:
    """Figures that handled events may have moved, and the events, until the next flush.

    Handlers mark while they hold scoring's lock, so a flush (which takes the lock) always reads
    what they committed. A mark lost in a crash is made good by the time loop's full pass."""

    scope: SignalScope = field(default_factory=dict)
    causes: dict[int, list[UUID]] = field(default_factory=dict)
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def mark(self, scope: SignalScope, *causes: UUID) -> None:
        for number, signals in scope.items():
            if number in self.scope:
                known = self.scope[number]
                self.scope[number] = None if known is None or signals is None else known | signals
            else:
                self.scope[number] = None if signals is None else set(signals)
            self.causes.setdefault(number, []).extend(causes)
        if scope:
            self.ready.set()

    def take(self) -> tuple[SignalScope, dict[int, list[UUID]]]:
        scope, causes = self.scope, self.causes
        self.scope, self.causes = {}, {}
        self.ready.clear()
        return scope, causes


@dataclass(frozen=True)
class RebuildSummary:
    obligations_changed: int
    figures_changed: int
    events: list[Event] = field(default_factory=list)


class Scorer:
    def __init__(self, plan: Plan, due_soon_working_days: int | None = None) -> None:
        self.plan = plan
        self.rules = ObligationRules(plan, due_soon_working_days=due_soon_working_days)
        self.model = ReadinessModel(plan, self.rules)
        self.relevance = Relevance(self.rules)
        self.pending = PendingFigures()

    @cached_property
    def all_indicators(self) -> frozenset[int]:
        return frozenset(i.number for i in self.plan.indicators)

    # --- events -----------------------------------------------------------------------------

    async def on_report(
        self, session: AsyncSession, event: ReportSubmitted, now: datetime
    ) -> list[Event]:
        fact = report_fact(event)
        if not self.relevance.report(fact):
            return []
        await projections.save_report_and_lock(session, fact)
        obligations = self.rules.unit_obligations(fact.unit_code, [fact], ())
        existing = await task_states.merge_and_read_obligations(
            session,
            self.model.task_states([fact]).values(),
            [ob.obligation_id for ob in obligations],
        )
        events: list[Event] = [
            *await ledger.sync(
                session,
                obligations,
                now,
                event.event_id,
                keep_earlier_fulfilment=True,
                existing=existing,
            )
        ]
        scope: SignalScope = {
            n: {"tasks_reported_done"}
            for n in self.model.indicators_of_tasks(code for code, _ in fact.tasks)
            & self.model.indicators_using({"tasks_reported_done"})
        }
        if fact.unit_code in self._fixed_task_leads:
            for n in self.model.indicators_using({"fixed_deadline_met"}):
                scope[n] = {*(scope.get(n) or set()), "fixed_deadline_met"}
        self._mark_after_commit(session, scope, event.event_id)
        return events

    async def on_evidence(
        self, session: AsyncSession, event: EvidenceSubmitted, now: datetime
    ) -> list[Event]:
        fact = evidence_fact(event)
        if not self.relevance.evidence(fact):
            return []
        await locks.lock(session)
        await projections.save_evidence(session, fact)
        obligations = self.rules.unit_obligations(fact.unit_code, (), [fact])
        events: list[Event] = [
            *await ledger.sync(
                session, obligations, now, event.event_id, keep_earlier_fulfilment=True
            )
        ]
        if fact.task_code not in {t.code for t in self.rules.fixed_tasks}:
            return events
        scope = self._scope(EVIDENCE_SIGNALS)
        self._mark_after_commit(session, scope, event.event_id)
        return events

    async def on_document(
        self, session: AsyncSession, event: DocumentFound | DocumentChanged, now: datetime
    ) -> list[Event]:
        fact = document_fact(event)
        if not self.relevance.document(fact):
            return []
        await locks.lock(session)
        previous = await projections.get_document(session, fact.document_id)
        doc = merge_documents(previous, fact)
        if doc != previous:
            await projections.save_document(session, doc)
        events: list[Event] = []
        for source in await self._sources_touched(session, doc, previous):
            copies = (
                await projections.documents_like(session, [source])
                if self.rules.postings.is_source(source)
                else []
            )
            copies = [c for c in copies if c.portal_unit_code != source.portal_unit_code]
            events += await ledger.sync(
                session,
                self.rules.postings.document_obligations(source, copies),
                now,
                event.event_id,
                ledger.ObligationScope(document_ids=frozenset({source.document_id})),
            )
        scope = self._scope(DOCUMENT_SIGNALS)
        self._mark_after_commit(session, scope, event.event_id)
        return events

    async def _sources_touched(
        self, session: AsyncSession, doc: DocumentFact, previous: DocumentFact | None
    ) -> list[DocumentFact]:
        """The document itself and the district documents it may be (or have been) a copy of."""
        related = await projections.documents_like(
            session, [doc] if previous is None else [doc, previous]
        )
        touched = {doc.document_id: doc}
        for other in related:
            if other.portal_unit_code != doc.portal_unit_code and self.rules.postings.is_source(
                other
            ):
                touched[other.document_id] = other
        return list(touched.values())

    async def on_probe(
        self, session: AsyncSession, event: ProbeFinished, now: datetime
    ) -> list[Event]:
        fact = probe_fact(event)
        if not self.relevance.probe(fact):
            return []
        await locks.lock(session)
        await projections.save_probe(session, fact)
        self._mark_after_commit(session, self._scope(PROBE_SIGNALS), event.event_id)
        return []

    # --- slices -----------------------------------------------------------------------------

    async def _unit_slice(
        self, session: AsyncSession, unit_code: str, now: datetime, caused_by: UUID | None
    ) -> list[Event]:
        """Recompute one unit's task states and report/task obligations from its facts."""
        reports = await projections.unit_reports(session, unit_code, self.rules.year)
        evidence = await projections.unit_evidence(session, unit_code, self.rules.year)
        await task_states.replace(session, self.model.task_states(reports).values(), unit_code)
        obligations = self.rules.unit_obligations(unit_code, reports, evidence)
        return [*await ledger.sync(session, obligations, now, caused_by)]

    def _scope(self, signals: frozenset[str]) -> SignalScope:
        return {n: set(signals) for n in self.model.indicators_using(signals)}

    @cached_property
    def _fixed_task_leads(self) -> frozenset[str]:
        return frozenset(
            unit for task in self.rules.fixed_tasks for unit in self.plan.lead_unit_codes(task.code)
        )

    def _mark_after_commit(self, session: AsyncSession, scope: SignalScope, cause: UUID) -> None:
        """Mark figures to recompute once the event's effects are committed (a flush never
        reads state older than the marks it takes)."""
        if scope:
            sa_event.listen(
                session.sync_session,
                "after_commit",
                lambda _session: self.pending.mark(scope, cause),
                once=True,
            )

    async def flush_figures(self, session: AsyncSession, now: datetime) -> list[Event]:
        """Recompute the figures events marked since the last flush (one transaction for a
        burst of events); announce those that moved, naming every event that moved them.
        Takes only the figures' lock: event handlers are not held up by it."""
        if not self.pending.scope:
            return []
        # Lock first, then take the marks, then read one snapshot: an event committed while
        # this waited for the lock is both included and named.
        await locks.lock_figures(session, snapshot_after=True)
        scope, causes = self.pending.take()
        try:
            return await self._figures(session, scope, now, causes)
        except BaseException:
            for number, signals in scope.items():
                self.pending.mark({number: signals}, *causes.get(number, []))
            raise

    async def _figures(
        self,
        session: AsyncSession,
        scope: SignalScope,
        now: datetime,
        causes: Mapping[int, Sequence[UUID]] | None = None,
    ) -> list[Event]:
        """Recompute the scoped signals of the scoped indicators (None: every signal); the
        others keep their stored values, which their inputs cannot have moved."""
        if not scope:
            return []
        rows = await figures.stored(session, scope)
        previous = {r.indicator: figures.figure_from_row(r) for r in rows}
        only = {n: None if n not in previous else signals for n, signals in scope.items()}
        wanted: set[str] | None = set()
        for signals in only.values():
            wanted = None if signals is None or wanted is None else wanted | signals
        inputs = await figures.readiness_inputs(
            session, self.model, scope, now, wanted, done_only=True
        )
        recomputed = [
            self.model.figure(
                n, inputs, now, with_items=False, only=only[n], previous=previous.get(n)
            )
            for n in sorted(scope)
        ]
        return [*await figures.write(session, recomputed, now, causes, previous)]

    # --- time ---------------------------------------------------------------------------------

    @cached_property
    def _plan_obligation_ids(self) -> dict[str, str]:
        """Obligation id -> unit, for everything the plan alone makes owed."""
        return {
            ob.obligation_id: unit
            for unit in self.rules.plan_units()
            for ob in self.rules.unit_obligations(unit, (), ())
        }

    async def tick(self, session: AsyncSession, now: datetime) -> list[Event]:
        """Time passed: make sure the plan's obligations exist and announce statuses that
        moved. (Figures that depend on time: `refresh_figures`, in its own transaction.)"""
        await locks.lock(session)
        events: list[Event] = []
        present = await ledger.existing_ids(session, self._plan_obligation_ids)
        missing_units = {
            unit for oid, unit in self._plan_obligation_ids.items() if oid not in present
        }
        for unit in sorted(missing_units):
            events += await self._unit_slice(session, unit, now, None)
        events += await ledger.announce_status_changes(session, now)
        return events

    async def refresh_figures(self, session: AsyncSession, now: datetime) -> list[Event]:
        """Recompute every signal of every figure (time moves some: overdue postings, the
        probe window; a mark lost in a crash is made good here)."""
        await locks.lock_figures(session, snapshot_after=True)
        _, causes = self.pending.take()  # a full pass covers what events marked, and names them
        scope: SignalScope = dict.fromkeys(self.all_indicators)
        try:
            return await self._figures(session, scope, now, causes)
        except BaseException:
            for number, ids in causes.items():
                self.pending.mark({number: None}, *ids)
            raise

    # --- rebuild --------------------------------------------------------------------------------

    async def derive_from_projections(self, session: AsyncSession, now: datetime) -> Derived:
        return derive(self.model, await projections.all_facts(session), now, with_items=False)

    async def rebuild(self, session: AsyncSession, now: datetime) -> RebuildSummary:
        """Recompute task states, the whole ledger and every figure from the projections."""
        await locks.lock(session)
        await locks.lock_figures(session)
        derived = await self.derive_from_projections(session, now)
        await task_states.replace(session, derived.task_states.values())
        changed = await ledger.sync(
            session, derived.obligations, now, None, ledger.ObligationScope(everything=True)
        )
        moved = await figures.write(session, derived.figures, now, None)
        return RebuildSummary(len(changed), len(moved), [*changed, *moved])

    async def differences(self, session: AsyncSession, now: datetime) -> list[str]:
        """Where the stored ledger and figures differ from a rebuild's (empty: they agree)."""
        derived = await self.derive_from_projections(session, now)
        found: list[str] = []
        stored_states = await task_states.load(session)
        if stored_states != derived.task_states:
            found.append("task states differ")
        stored_obs = {
            ob.obligation_id: ob for ob in await ledger.of_kinds(session, list(ObligationKind))
        }
        want = {ob.obligation_id: ob for ob in derived.obligations}
        for oid in sorted(set(stored_obs) | set(want)):
            if stored_obs.get(oid) != want.get(oid):
                found.append(f"obligation {oid}: stored {stored_obs.get(oid)} != {want.get(oid)}")
        rows = await figures.stored(session)
        stored_figures = {r.indicator: figures.figure_from_row(r) for r in rows}
        for figure in derived.figures:
            old = stored_figures.get(figure.indicator)
            if old is None or (old.readiness, old.values()) != (figure.readiness, figure.values()):
                was = None if old is None else (old.readiness, old.values())
                found.append(
                    f"indicator {figure.indicator}: stored {was} != "
                    f"{(figure.readiness, figure.values())}"
                )
        return found
