"""The steps of what scoring does with each event, each tick of the clock, and on a rebuild.

Each step runs inside the one transaction it is given (`scoring.service` opens it through the
unit of work; a consumed event's is the consumer's inbox transaction), holds scoring's advisory
lock, stores the fact through `scoring.store`, asks the pure rules (`scoring.domain`) what the
ledger and the figures now are and what changed, writes that through the store, and returns the
events the domain built, for the unit of work to emit through the outbox.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any
from uuid import UUID

from minhbach.db.unit_of_work import Session, after_commit
from minhbach.events.base import Event
from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    EvidenceSubmitted,
    IndicatorChanged,
    ObligationChanged,
    ObligationKind,
    ProbeFinished,
    ReportSubmitted,
)
from minhbach.plan import Plan
from scoring.domain.changes import figure_changes, ledger_changes, status_moved
from scoring.domain.derive import Derived, Relevance, derive
from scoring.domain.facts import (
    DocumentFact,
    document_fact,
    evidence_fact,
    merge_documents,
    probe_fact,
    report_fact,
)
from scoring.domain.obligations import Obligation, ObligationRules
from scoring.domain.readiness import (
    DOCUMENT_SIGNALS,
    EVIDENCE_SIGNALS,
    PROBE_SIGNALS,
    IndicatorFigure,
    ReadinessModel,
)
from scoring.pending import PendingFigures, SignalScope
from scoring.store import figures, ledger, locks, projections, task_states


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
        self, session: Session, event: ReportSubmitted, now: datetime
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
            *await sync_ledger(
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
        self, session: Session, event: EvidenceSubmitted, now: datetime
    ) -> list[Event]:
        fact = evidence_fact(event)
        if not self.relevance.evidence(fact):
            return []
        await locks.lock(session)
        await projections.save_evidence(session, fact)
        obligations = self.rules.unit_obligations(fact.unit_code, (), [fact])
        events: list[Event] = [
            *await sync_ledger(
                session, obligations, now, event.event_id, keep_earlier_fulfilment=True
            )
        ]
        if fact.task_code not in {t.code for t in self.rules.fixed_tasks}:
            return events
        scope = self._scope(EVIDENCE_SIGNALS)
        self._mark_after_commit(session, scope, event.event_id)
        return events

    async def on_document(
        self, session: Session, event: DocumentFound | DocumentChanged, now: datetime
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
            events += await sync_ledger(
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
        self, session: Session, doc: DocumentFact, previous: DocumentFact | None
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

    async def on_probe(self, session: Session, event: ProbeFinished, now: datetime) -> list[Event]:
        fact = probe_fact(event)
        if not self.relevance.probe(fact):
            return []
        await locks.lock(session)
        await projections.save_probe(session, fact)
        self._mark_after_commit(session, self._scope(PROBE_SIGNALS), event.event_id)
        return []

    # --- slices -----------------------------------------------------------------------------

    async def _unit_slice(
        self, session: Session, unit_code: str, now: datetime, caused_by: UUID | None
    ) -> list[Event]:
        """Recompute one unit's task states and report/task obligations from its facts."""
        reports = await projections.unit_reports(session, unit_code, self.rules.year)
        evidence = await projections.unit_evidence(session, unit_code, self.rules.year)
        await task_states.replace(session, self.model.task_states(reports).values(), unit_code)
        obligations = self.rules.unit_obligations(unit_code, reports, evidence)
        return [*await sync_ledger(session, obligations, now, caused_by)]

    def _scope(self, signals: frozenset[str]) -> SignalScope:
        return {n: set(signals) for n in self.model.indicators_using(signals)}

    @cached_property
    def _fixed_task_leads(self) -> frozenset[str]:
        return frozenset(
            unit for task in self.rules.fixed_tasks for unit in self.plan.lead_unit_codes(task.code)
        )

    def _mark_after_commit(self, session: Session, scope: SignalScope, cause: UUID) -> None:
        """Mark figures to recompute once the event's effects are committed (a flush never
        reads state older than the marks it takes)."""
        if scope:
            after_commit(session, lambda: self.pending.mark(scope, cause))

    async def flush_figures(self, session: Session, now: datetime) -> list[Event]:
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
        session: Session,
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
        return [*await write_figures(session, recomputed, now, causes, previous)]

    # --- time ---------------------------------------------------------------------------------

    @cached_property
    def _plan_obligation_ids(self) -> dict[str, str]:
        """Obligation id -> unit, for everything the plan alone makes owed."""
        return {
            ob.obligation_id: unit
            for unit in self.rules.plan_units()
            for ob in self.rules.unit_obligations(unit, (), ())
        }

    async def tick(self, session: Session, now: datetime) -> list[Event]:
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
        moved = status_moved(await ledger.status_moved_rows(session, now))
        await ledger.set_statuses(session, {e.obligation_id: e.status.value for e in moved}, now)
        events += moved
        return events

    async def refresh_figures(self, session: Session, now: datetime) -> list[Event]:
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

    async def derive_from_projections(self, session: Session, now: datetime) -> Derived:
        return derive(self.model, await projections.all_facts(session), now, with_items=False)

    async def rebuild(self, session: Session, now: datetime) -> RebuildSummary:
        """Recompute task states, the whole ledger and every figure from the projections."""
        await locks.lock(session)
        await locks.lock_figures(session)
        derived = await self.derive_from_projections(session, now)
        await task_states.replace(session, derived.task_states.values())
        changed = await sync_ledger(
            session, derived.obligations, now, None, ledger.ObligationScope(everything=True)
        )
        moved = await write_figures(session, derived.figures, now, None)
        return RebuildSummary(len(changed), len(moved), [*changed, *moved])

    async def differences(self, session: Session, now: datetime) -> list[str]:
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


# --- the ledger and the figures: read, ask the domain, write ------------------------------------


async def sync_ledger(
    session: Session,
    computed: Sequence[Obligation],
    now: datetime,
    caused_by: UUID | None = None,
    scope: ledger.ObligationScope = ledger.ObligationScope(),
    *,
    keep_earlier_fulfilment: bool = False,
    existing: dict[str, Any] | None = None,
) -> list[ObligationChanged]:
    """Write what changed in the covered slice of the ledger; the domain's events for what
    appeared or changed what it announces. `existing`: the covered rows, if already read."""
    if existing is None:
        existing = await ledger.covered(session, [ob.obligation_id for ob in computed], scope)
    changes = ledger_changes(
        computed, existing, now, caused_by, keep_earlier_fulfilment=keep_earlier_fulfilment
    )
    await ledger.write(session, changes)
    return changes.events


async def write_figures(
    session: Session,
    recomputed: Sequence[IndicatorFigure],
    now: datetime,
    causes: Mapping[int, Sequence[UUID]] | None = None,
    previous: dict[int, IndicatorFigure] | None = None,
) -> list[IndicatorChanged]:
    """Store the figures that changed; the domain's events for those that moved. `previous`:
    the stored figures, if already read."""
    if previous is None:
        found = await figures.stored(session, [f.indicator for f in recomputed])
        previous = {r.indicator: figures.figure_from_row(r) for r in found}
    changes = figure_changes(recomputed, previous, now, causes)
    await figures.write(session, changes, now)
    return changes.events
