"""What documents make owed: a document of a posting kind found on a portal was owed on that
portal within the window after its date of issue (each portal's own); a document on a source
portal of a copy duty (`portal_monitoring.copy_duties`), of the duty's kinds, is owed on each of
the duty's target portals too, unless it is a national text the source re-posts (its number's
symbol names a body that is no local government's). Documents issued before the plan takes
effect owe nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cached_property
from uuid import UUID

from minhbach.calendar import WorkingCalendar, start_of_day
from minhbach.events.catalogue import ObligationKind
from minhbach.plan import Plan, ResolvedCopyDuty, Task
from scoring import messages
from scoring.domain.facts import DocumentFact
from scoring.domain.obligations.obligation import Fulfilment, Obligation, earliest


class PostingRules:
    """The plan's posting obligations. Build once per plan (`ObligationRules.postings`); every
    method is pure."""

    def __init__(
        self, plan: Plan, calendar: WorkingCalendar, due_soon_at: Callable[[datetime], datetime]
    ) -> None:
        self.plan = plan
        self.calendar = calendar
        self.due_soon_at = due_soon_at
        self.effective_from = plan.meta.effective_from

    def _unit_name(self, code: str) -> str:
        return self.plan.unit(code).name if self.plan.has_unit(code) else code

    @cached_property
    def copy_kinds(self) -> frozenset[str]:
        return frozenset(kind for duty in self.plan.copy_duties for kind in duty.kinds)

    @cached_property
    def _task_kinds(self) -> dict[str, tuple[str, ...]]:
        return {task.code: task.document_kinds for task in self.plan.tasks}

    @cached_property
    def posting_kinds(self) -> frozenset[str]:
        """Kinds a portal owes promptly: those of after-issue / on-change tasks and the kinds
        the plan's copy duties name (e.g. 8.3 "đăng tải kịp thời")."""
        timed = {
            kind
            for task in self.plan.tasks
            if task.timing.is_event_driven
            for kind in task.document_kinds
        }
        return frozenset(timed | self.copy_kinds)

    def window(self, kind: str) -> int:
        """Working days after issue a document of `kind` may take to appear on a portal."""
        windows = [
            task.timing.within_working_days
            for task in self.plan.tasks
            if kind in task.document_kinds and task.timing.within_working_days is not None
        ]
        return min(windows, default=self.plan.publication_window_working_days)

    def _first_task_of_kind(self, kind: str, tasks: Iterable[Task]) -> str | None:
        return next((t.code for t in tasks if kind in t.document_kinds), None)

    def duties_of(self, doc: DocumentFact) -> tuple[ResolvedCopyDuty, ...]:
        """The copy duties `doc` falls under (its portal is a source, its kind a duty's), none
        for a national text the source re-posts (its symbol names another body, issue 19)."""
        monitoring = self.plan.portal_monitoring
        if monitoring is not None and monitoring.reposted_text(doc.document_number):
            return ()
        return tuple(d for d in self.plan.copy_duties if d.copies(doc.portal_unit_code, doc.kind))

    def is_source(self, doc: DocumentFact) -> bool:
        """A document other portals must carry too."""
        return bool(self.duties_of(doc))

    def copy_units(self, kind: str, source_unit: str) -> tuple[str, ...]:
        """Portals that must carry a document of `kind` from `source_unit`'s portal."""
        units: dict[str, None] = {}
        for duty in self.plan.copy_duties:
            if duty.copies(source_unit, kind):
                units.update(dict.fromkeys(u for u in duty.targets if u != source_unit))
        return tuple(units)

    def document_due(self, doc: DocumentFact) -> datetime | None:
        if doc.issued_on is None or doc.issued_on < self.effective_from:
            return None
        return self.calendar.deadline_after_working_days(
            start_of_day(doc.issued_on), self.window(doc.kind)
        )

    def document_obligations(
        self, doc: DocumentFact, others: Iterable[DocumentFact] = ()
    ) -> list[Obligation]:
        """What `doc` made owed: its own prompt posting and, for a document of a copy duty, one
        copy per target portal. `others` are documents on other portals that may be its copies."""
        if doc.kind not in self.posting_kinds or not self.plan.has_unit(doc.portal_unit_code):
            return []
        if not doc.posting_time_known:  # issued before monitoring began: timing unknown
            return []
        due_at = self.document_due(doc)
        if due_at is None or doc.issued_on is None:
            return []
        owner_tasks = self.plan.tasks_led_by(doc.portal_unit_code) or self.plan.tasks
        obligations = [
            Obligation(
                obligation_id=f"post:{doc.document_id}",
                unit_code=doc.portal_unit_code,
                kind=ObligationKind.DOCUMENT_POSTING,
                title=messages.own_posting_title(doc.document_number, doc.title, doc.issued_on),
                due_at=due_at,
                due_soon_at=self.due_soon_at(due_at),
                task_code=self._first_task_of_kind(doc.kind, owner_tasks)
                or self._first_task_of_kind(doc.kind, self.plan.tasks),
                document_id=doc.document_id,
                document_kind=doc.kind,
                document_url=doc.url,
                fulfilled_at=doc.first_seen_at,
                fulfilled_by=f"document:{doc.document_id}",
            )
        ]
        if self.is_source(doc):
            obligations += self._copy_obligations(doc, due_at, list(others))
        return obligations

    def _copy_obligations(
        self, source: DocumentFact, due_at: datetime, others: list[DocumentFact]
    ) -> list[Obligation]:
        source_name = self._unit_name(source.portal_unit_code)
        obligations = []
        owed: dict[str, ResolvedCopyDuty] = {}
        for duty in self.duties_of(source):
            for code in duty.targets:
                owed.setdefault(code, duty)
        for unit_code, duty in owed.items():
            copy_due = self._copy_due(source, due_at, duty)
            done = earliest(
                Fulfilment(other.first_seen_at, f"document:{other.document_id}")
                for other in others
                if other.portal_unit_code == unit_code and other.same_document_as(source)
            )
            obligations.append(
                Obligation(
                    obligation_id=f"copy:{source.document_id}:{unit_code}",
                    unit_code=unit_code,
                    kind=ObligationKind.DOCUMENT_POSTING,
                    title=messages.copy_posting_title(
                        source.document_number, source.title, source_name
                    ),
                    due_at=copy_due,
                    due_soon_at=self.due_soon_at(copy_due),
                    task_code=duty.task_of_kind(source.kind, self._task_kinds),
                    document_id=source.document_id,
                    document_kind=source.kind,
                    document_url=source.url,
                    fulfilled_at=done.at if done else None,
                    fulfilled_by=done.by if done else None,
                )
            )
        return obligations

    def _copy_due(self, source: DocumentFact, due_at: datetime, duty: ResolvedCopyDuty) -> datetime:
        """The duty's own window after issue, else the source document's deadline."""
        if duty.within_working_days is None or source.issued_on is None:
            return due_at
        return self.calendar.deadline_after_working_days(
            start_of_day(source.issued_on), duty.within_working_days
        )


class DocumentIndex:
    """Documents by number and title, to find a document's copies on other portals."""

    def __init__(self, documents: Iterable[DocumentFact]) -> None:
        self._by_key: dict[str, list[DocumentFact]] = {}
        for doc in documents:
            for key in match_keys(doc):
                self._by_key.setdefault(key, []).append(doc)

    def candidates(self, doc: DocumentFact) -> list[DocumentFact]:
        """Documents on other portals that may be `doc` (a superset of the true matches)."""
        found: dict[UUID, DocumentFact] = {}
        for key in match_keys(doc):
            for other in self._by_key.get(key, ()):
                if other.portal_unit_code != doc.portal_unit_code:
                    found[other.document_id] = other
        return list(found.values())


def match_keys(doc: DocumentFact) -> tuple[str, ...]:
    keys = [f"title:{doc.title_key}"] if doc.title_key else []
    if doc.number_key:
        keys.append(f"number:{doc.number_key}")
    return tuple(keys)
