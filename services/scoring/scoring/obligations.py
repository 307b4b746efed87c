"""The obligations ledger, as pure rules: from the plan, the calendar and facts to obligations.

An obligation is something one unit owes by a due instant (exclusive: on time iff done before
it). Its status is never stored as truth; it is derived from the due instant, the fulfilment and
"now" (`Obligation.status`).

Kinds (all from the plan file, nothing about a district in code):
- reports of each lead unit, per quarter and per year (`reporting_rules`, reporter lead_units),
  and the focal unit's consolidated reports (reporter focal_unit);
- fixed-deadline tasks (timing fixed_deadline), one per lead unit;
- document postings: a document of a posting kind found on a portal was owed on that portal
  within the window after its date of issue (each portal's own); a district document of the kinds
  the plan wants on commune portals (`portal_monitoring.commune_copy_tasks`) is owed on each of
  those portals too.
Obligations exist from the plan's `effective_from`: report periods ending before it, fixed tasks
due before it and documents issued before it owe nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from uuid import UUID

from minhbach.calendar import WorkingCalendar, end_of_day, last_on_time_day, start_of_day
from minhbach.events.catalogue import ObligationKind, ObligationStatus, TaskStatus
from minhbach.plan import Plan, ReportingRule, Task
from scoring import messages
from scoring.facts import DocumentFact, EvidenceFact, ReportFact

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
YEAR = "year"
DEFAULT_DUE_SOON_WORKING_DAYS = 3
DISTRICT_KIND = "district"

_REPORT_KINDS = {
    ("lead_units", "quarter"): ObligationKind.QUARTERLY_REPORT,
    ("lead_units", "year"): ObligationKind.ANNUAL_REPORT,
    ("focal_unit", "quarter"): ObligationKind.FOCAL_QUARTERLY_REPORT,
    ("focal_unit", "year"): ObligationKind.FOCAL_ANNUAL_REPORT,
}


@dataclass(frozen=True, slots=True)
class Obligation:
    obligation_id: str
    unit_code: str
    kind: ObligationKind
    title: str
    due_at: datetime
    due_soon_at: datetime  # from here until due_at the obligation is "due soon"
    task_code: str | None = None
    period: str | None = None
    document_id: UUID | None = None  # the document owed (for a copy: the district's original)
    document_kind: str | None = None
    document_url: str | None = None
    fulfilled_at: datetime | None = None
    fulfilled_by: str | None = None  # "report:<id>", "evidence:<id>", "document:<id>"

    def status(self, now: datetime) -> ObligationStatus:
        return derive_status(self.due_at, self.due_soon_at, self.fulfilled_at, now)

    @property
    def resolved_on_time(self) -> bool:
        return self.fulfilled_at is not None and self.fulfilled_at < self.due_at


def derive_status(
    due_at: datetime, due_soon_at: datetime, fulfilled_at: datetime | None, now: datetime
) -> ObligationStatus:
    if fulfilled_at is not None:
        if fulfilled_at < due_at:
            return ObligationStatus.FULFILLED_ON_TIME
        return ObligationStatus.FULFILLED_LATE
    if now >= due_at:
        return ObligationStatus.OVERDUE
    if now >= due_soon_at:
        return ObligationStatus.DUE_SOON
    return ObligationStatus.PENDING


@dataclass(frozen=True, slots=True)
class Fulfilment:
    at: datetime
    by: str


def earliest(candidates: Iterable[Fulfilment]) -> Fulfilment | None:
    """The first fulfilment; ties broken by reference so the result never depends on order."""
    return min(candidates, key=lambda f: (f.at, f.by), default=None)


class ObligationRules:
    """The plan's obligations for its year. Build once per plan; every method is pure."""

    def __init__(
        self,
        plan: Plan,
        calendar: WorkingCalendar | None = None,
        due_soon_working_days: int | None = None,
    ) -> None:
        self.plan = plan
        self.year = plan.year
        self.calendar = calendar or plan.working_calendar()
        reminders = plan.escalation.reminders_before_due_working_days
        if due_soon_working_days is None:
            due_soon_working_days = reminders[0] if reminders else DEFAULT_DUE_SOON_WORKING_DAYS
        self.due_soon_working_days = due_soon_working_days
        self.effective_from = plan.meta.effective_from

    # --- shared -----------------------------------------------------------------------------

    def due_soon_at(self, due_at: datetime) -> datetime:
        """Start of the day `due_soon_working_days` working days before the last on-time day."""
        last_day = last_on_time_day(due_at)
        return start_of_day(self.calendar.add_working_days(last_day, -self.due_soon_working_days))

    def _unit_name(self, code: str) -> str:
        return self.plan.unit(code).name if self.plan.has_unit(code) else code

    def knows_unit(self, code: str) -> bool:
        return self.plan.has_unit(code)

    # --- reports ----------------------------------------------------------------------------

    def report_periods(self, rule: ReportingRule) -> tuple[str, ...]:
        """The plan year's periods of a rule that end on or after the plan takes effect."""
        if rule.period == "year":
            return (YEAR,) if date(self.year, 12, 31) >= self.effective_from else ()
        ends = {q: _quarter_end(self.year, n) for n, q in enumerate(QUARTERS, 1)}
        return tuple(q for q in QUARTERS if ends[q] >= self.effective_from)

    def report_due(self, rule: ReportingRule, period: str) -> datetime:
        if period == YEAR:
            assert rule.due_before_month is not None  # the plan's loader guarantees it
            return self.calendar.annual_report_due(
                self.year, rule.due_before_day, rule.due_before_month
            )
        return self.calendar.quarter_report_due(
            self.year, QUARTERS.index(period) + 1, rule.due_before_day
        )

    def rules_of(self, unit_code: str) -> tuple[ReportingRule, ...]:
        return tuple(
            rule
            for rule in self.plan.reporting_rules
            if (rule.reporter == "lead_units" and unit_code in self._lead_units)
            or (rule.reporter == "focal_unit" and unit_code == self.plan.roles.focal_unit)
        )

    @cached_property
    def _lead_units(self) -> frozenset[str]:
        return frozenset(self.plan.lead_unit_codes_all())

    def report_obligations(self, unit_code: str, reports: Iterable[ReportFact]) -> list[Obligation]:
        mine = [r for r in reports if r.unit_code == unit_code and r.plan_year == self.year]
        obligations = []
        for rule in self.rules_of(unit_code):
            recipient = self._unit_name(rule.recipient)
            for period in self.report_periods(rule):
                due_at = self.report_due(rule, period)
                done = earliest(
                    Fulfilment(r.filed_at, f"report:{r.report_id}")
                    for r in mine
                    if r.period == period and _answers(r, rule)
                )
                title = (
                    messages.focal_report_title(period, self.year, recipient)
                    if rule.reporter == "focal_unit"
                    else messages.lead_report_title(period, self.year, recipient)
                )
                obligations.append(
                    Obligation(
                        obligation_id=f"report:{rule.code}:{unit_code}:{self.year}:{period}",
                        unit_code=unit_code,
                        kind=_REPORT_KINDS[(rule.reporter, rule.period)],
                        title=title,
                        due_at=due_at,
                        due_soon_at=self.due_soon_at(due_at),
                        period=period,
                        fulfilled_at=done.at if done else None,
                        fulfilled_by=done.by if done else None,
                    )
                )
        return obligations

    # --- fixed-deadline tasks ---------------------------------------------------------------

    @cached_property
    def fixed_tasks(self) -> tuple[Task, ...]:
        return tuple(
            task
            for task in self.plan.tasks
            if task.timing.kind == "fixed_deadline"
            and task.timing.deadline is not None
            and task.timing.deadline >= self.effective_from
        )

    def task_obligations(
        self, unit_code: str, reports: Iterable[ReportFact], evidence: Iterable[EvidenceFact]
    ) -> list[Obligation]:
        reports = [r for r in reports if r.unit_code == unit_code and r.plan_year == self.year]
        evidence = [e for e in evidence if e.unit_code == unit_code and e.plan_year == self.year]
        obligations = []
        for task in self.fixed_tasks:
            if unit_code not in self.plan.lead_unit_codes(task.code):
                continue
            deadline = task.timing.deadline
            assert deadline is not None
            due_at = end_of_day(self.calendar.next_working_day(deadline))
            done = earliest(
                [
                    *(
                        Fulfilment(e.submitted_at, f"evidence:{e.evidence_id}")
                        for e in evidence
                        if e.task_code == task.code
                    ),
                    *(
                        Fulfilment(r.submitted_at, f"report:{r.report_id}")
                        for r in reports
                        if r.status_of(task.code) == TaskStatus.DONE.value
                    ),
                ]
            )
            obligations.append(
                Obligation(
                    obligation_id=f"task:{task.code}:{unit_code}:{self.year}",
                    unit_code=unit_code,
                    kind=ObligationKind.FIXED_DEADLINE_TASK,
                    title=messages.fixed_task_title(task.code, deadline),
                    due_at=due_at,
                    due_soon_at=self.due_soon_at(due_at),
                    task_code=task.code,
                    fulfilled_at=done.at if done else None,
                    fulfilled_by=done.by if done else None,
                )
            )
        return obligations

    def unit_obligations(
        self, unit_code: str, reports: Iterable[ReportFact], evidence: Iterable[EvidenceFact]
    ) -> list[Obligation]:
        """Everything a unit owes that depends only on its own reports and evidence."""
        reports = list(reports)
        return [
            *self.report_obligations(unit_code, reports),
            *self.task_obligations(unit_code, reports, evidence),
        ]

    def plan_units(self) -> tuple[str, ...]:
        """Units owing reports or fixed-deadline tasks: obligations known from the plan alone."""
        owing = set(self._lead_units) | {self.plan.roles.focal_unit}
        return tuple(u.code for u in self.plan.units if u.code in owing)

    # --- documents --------------------------------------------------------------------------

    @cached_property
    def copy_tasks(self) -> tuple[Task, ...]:
        monitoring = self.plan.portal_monitoring
        codes = monitoring.commune_copy_tasks if monitoring is not None else ()
        return tuple(self.plan.task(code) for code in codes)

    @cached_property
    def copy_kinds(self) -> frozenset[str]:
        return frozenset(kind for task in self.copy_tasks for kind in task.document_kinds)

    @cached_property
    def posting_kinds(self) -> frozenset[str]:
        """Kinds a portal owes promptly: those of after-issue / on-change tasks and the kinds
        communes must copy (e.g. 8.3 "đăng tải kịp thời")."""
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

    def is_source(self, doc: DocumentFact) -> bool:
        """A district document that commune portals must carry too."""
        return (
            doc.kind in self.copy_kinds
            and self.plan.has_unit(doc.portal_unit_code)
            and self.plan.unit(doc.portal_unit_code).kind == DISTRICT_KIND
        )

    def copy_units(self, kind: str, source_unit: str) -> tuple[str, ...]:
        """Portals that must carry a district document of `kind` (lead units of the copy tasks
        that have a portal)."""
        units: dict[str, None] = {}
        for task in self.copy_tasks:
            if kind in task.document_kinds:
                for code in self.plan.lead_unit_codes(task.code):
                    if code != source_unit and self.plan.unit(code).portal is not None:
                        units[code] = None
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
        """What `doc` made owed: its own prompt posting and, for a district document, one copy
        per commune portal. `others` are documents on other portals that may be its copies."""
        if doc.kind not in self.posting_kinds or not self.plan.has_unit(doc.portal_unit_code):
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
        for unit_code in self.copy_units(source.kind, source.portal_unit_code):
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
                    due_at=due_at,
                    due_soon_at=self.due_soon_at(due_at),
                    task_code=self._first_task_of_kind(source.kind, self.copy_tasks),
                    document_id=source.document_id,
                    document_kind=source.kind,
                    document_url=source.url,
                    fulfilled_at=done.at if done else None,
                    fulfilled_by=done.by if done else None,
                )
            )
        return obligations

    # --- everything -------------------------------------------------------------------------

    def all_obligations(
        self,
        reports: Sequence[ReportFact],
        evidence: Sequence[EvidenceFact],
        documents: Sequence[DocumentFact],
    ) -> list[Obligation]:
        """The whole ledger from the facts: what a full rebuild writes."""
        by_unit_reports: dict[str, list[ReportFact]] = {}
        for report in reports:
            by_unit_reports.setdefault(report.unit_code, []).append(report)
        by_unit_evidence: dict[str, list[EvidenceFact]] = {}
        for item in evidence:
            by_unit_evidence.setdefault(item.unit_code, []).append(item)
        ledger = [
            ob
            for unit in self.plan_units()
            for ob in self.unit_obligations(
                unit, by_unit_reports.get(unit, ()), by_unit_evidence.get(unit, ())
            )
        ]
        index = DocumentIndex(documents)
        for doc in documents:
            copies = index.candidates(doc) if self.is_source(doc) else ()
            ledger += self.document_obligations(doc, copies)
        return ledger


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


def _answers(report: ReportFact, rule: ReportingRule) -> bool:
    """A report answers a rule it names, or (naming none) the rule of its reporter."""
    if report.rule_code:
        return report.rule_code == rule.code
    return report.reporter == rule.reporter


def _quarter_end(year: int, quarter: int) -> date:
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)
