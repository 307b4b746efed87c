"""What the plan asks of a report or a piece of evidence: pure functions over the plan, no I/O.

- A lead unit's report covers every task the unit leads (`plan.tasks_led_by`); the focal unit's
  consolidated report covers every task of the plan. A task may appear once.
- A task not done says why (`difficulties`), evidence URLs are http(s), document numbers look like
  `113/KH-UBND`, dates of issue fall in the plan year and not after today.
- A report answers the plan's reporting rules for its reporter and period; the rule gives the due
  instant (exclusive: on time iff submitted before it), computed with the working-day calendar.
  Where several rules ask for the same report (tiers, recipients), intake judges it against the
  earliest deadline; scoring keeps one obligation per rule, each with its own deadline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Final, Literal, Protocol
from urllib.parse import urlsplit
from uuid import UUID

from intake import messages as msg
from minhbach.calendar import WorkingCalendar, local_date
from minhbach.events.catalogue import EvidenceRef, Period, TaskReport, TaskStatus
from minhbach.periods import PERIOD_CODES, period_first_day, period_last_day
from minhbach.plan import Plan, ReportingRule, Task

# Every period code a report may name; a plan's rules ask for some of them (`IntakeRules.periods`).
PERIODS: Final[tuple[Period, ...]] = PERIOD_CODES

Reporter = Literal["lead_units", "focal_unit"]
PeriodStatusCode = Literal["on_time", "late", "overdue", "pending", "not_required"]

# "113/KH-UBND", "42/2022/NĐ-CP", "5015/TB-LĐTBXH", "12a/QĐ-UBND": a number, then slash-separated
# symbol parts of letters (Vietnamese too), digits, dots and dashes.
_DOCUMENT_NUMBER: Final = re.compile(r"^[0-9]+[a-zA-Z]?(/[0-9A-Za-zÀ-ỹĐđ][0-9A-Za-zÀ-ỹĐđ.\-]*)+$")


_WHITESPACE: Final = re.compile(r"\s")


@dataclass(frozen=True)
class FieldError:
    """One problem with one field; `reason` labels the rejection metric."""

    field: str
    message: str
    reason: str


class ReportDraft(Protocol):
    """A report as a unit sends it (the API's `ReportIn` is one)."""

    @property
    def plan_year(self) -> int: ...
    @property
    def period(self) -> Period: ...
    @property
    def reporter(self) -> Reporter: ...
    @property
    def tasks(self) -> Sequence[TaskReport]: ...
    @property
    def analysis(self) -> str: ...


class EvidenceFiling(Protocol):
    """Evidence for one task as a unit sends it (the API's `EvidenceFilingIn` is one)."""

    @property
    def task_code(self) -> str: ...
    @property
    def plan_year(self) -> int: ...
    @property
    def evidence(self) -> EvidenceRef: ...


@dataclass(frozen=True)
class Due:
    rule: ReportingRule
    due_at: datetime


@dataclass(frozen=True)
class Accepted(Due):
    """A report the plan accepts: the rule it answers and when it is due."""


@dataclass(frozen=True)
class Rejected:
    """Why a report is not accepted. `forbidden`: the unit may not file this kind of report at
    all (HTTP 403); otherwise the report must be corrected (422)."""

    errors: tuple[FieldError, ...]
    forbidden: bool = False


@dataclass(frozen=True)
class FiledReport:
    """What the status read-back needs to know of a stored report."""

    first_on_time: bool
    latest_version: int
    report_id: UUID
    covered_task_codes: tuple[str, ...]
    not_done_task_codes: tuple[str, ...]


@dataclass(frozen=True)
class PeriodState:
    period: Period
    reporter: Reporter
    due_at: datetime
    status: PeriodStatusCode
    filed: FiledReport | None


@dataclass(frozen=True)
class IntakeRules:
    """The plan and its working-day calendar, with the questions intake asks of them."""

    plan: Plan
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    _dues: dict[tuple[str, str, int], Due | None] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @classmethod
    def of(cls, plan: Plan) -> IntakeRules:
        return cls(plan, plan.working_calendar())

    @property
    def year(self) -> int:
        return self.plan.year

    # --- who reports what ---

    def is_focal_unit(self, unit_code: str) -> bool:
        return unit_code == self.plan.roles.focal_unit

    def filing_refusal(self, unit_code: str, reporter: Reporter) -> str | None:
        """Why this unit may not file this kind of report at all (HTTP 403), or None."""
        if reporter == "focal_unit" and not self.is_focal_unit(unit_code):
            return msg.FOCAL_ONLY
        if reporter == "lead_units" and not self.plan.tasks_led_by(unit_code):
            return msg.leads_no_task(self.plan.unit(unit_code).name)
        return None

    def expected_tasks(self, unit_code: str, reporter: Reporter) -> tuple[Task, ...]:
        if reporter == "focal_unit":
            return self.plan.tasks
        return self.plan.tasks_led_by(unit_code)

    def involved_task_codes(self, unit_code: str) -> frozenset[str]:
        led = self.plan.tasks_led_by(unit_code)
        supported = self.plan.tasks_supported_by(unit_code)
        return frozenset(task.code for task in (*led, *supported))

    def reporters_of(self, unit_code: str) -> tuple[Reporter, ...]:
        """The kinds of report this unit files (the focal unit may lead tasks too)."""
        kinds: list[Reporter] = []
        if self.plan.tasks_led_by(unit_code):
            kinds.append("lead_units")
        if self.is_focal_unit(unit_code):
            kinds.append("focal_unit")
        return tuple(kinds)

    # --- when ---

    @cached_property
    def periods(self) -> tuple[Period, ...]:
        """The periods some reporting rule of the plan asks a report for, in calendar order."""
        asked = {code for rule in self.plan.reporting_rules for code in rule.periods}
        return tuple(code for code in PERIOD_CODES if code in asked)

    def rule_for(self, reporter: Reporter, period: Period) -> ReportingRule | None:
        """The rule whose deadline binds the report: the earliest of those asking for it."""
        due = self.due(reporter, period, self.year)
        return due.rule if due else None

    def due(self, reporter: Reporter, period: Period, year: int) -> Due | None:
        """When the report is due (cached: asked on every filing, and the plan does not change)."""
        key = (reporter, period, year)
        if key not in self._dues:
            self._dues[key] = self._compute_due(reporter, period, year)
        return self._dues[key]

    def _compute_due(self, reporter: Reporter, period: Period, year: int) -> Due | None:
        dues = [
            Due(rule, rule.due(self.calendar, year, period))
            for rule in self.plan.reporting_rules_covering(reporter, period)
        ]
        return min(dues, key=lambda due: due.due_at) if dues else None

    # --- checks ---

    def accept(self, unit_code: str, report: ReportDraft, now: datetime) -> Accepted | Rejected:
        """Whether the plan accepts this report from this unit now, and if so under which
        rule and due when (the rule is looked up once)."""
        refusal = self.filing_refusal(unit_code, report.reporter)
        if refusal:
            return Rejected((FieldError("reporter", refusal, "forbidden"),), forbidden=True)
        due, errors = self._check_period(report, local_today(now))
        errors += self._check_tasks(unit_code, report)
        errors += analysis_error(report.analysis)
        if errors or due is None:
            return Rejected(tuple(errors))
        return Accepted(due.rule, due.due_at)

    def check_evidence_filing(
        self, unit_code: str, filing: EvidenceFiling, today: date
    ) -> list[FieldError]:
        errors: list[FieldError] = []
        if filing.plan_year != self.year:
            errors.append(_plan_year_error(self.year))
        try:
            self.plan.task(filing.task_code)
        except KeyError:
            errors.append(
                FieldError("task_code", msg.unknown_task(filing.task_code), "unknown_task")
            )
        else:
            if filing.task_code not in self.involved_task_codes(unit_code):
                message = msg.task_not_involved(filing.task_code)
                errors.append(FieldError("task_code", message, "task_not_involved"))
        errors += check_evidence(filing.evidence, "evidence", self.year, today)
        return errors

    def _check_period(
        self, report: ReportDraft, today: date
    ) -> tuple[Due | None, list[FieldError]]:
        year, period = report.plan_year, report.period
        if year != self.year:
            return None, [_plan_year_error(self.year)]
        due = self.due(report.reporter, period, year)
        if due is None:
            label = msg.period_label(period, year)
            return None, [FieldError("period", msg.no_rule_for_period(label), "period")]
        if today < period_first_day(year, period):
            return due, [FieldError("period", msg.PERIOD_NOT_STARTED, "period")]
        return due, []

    def _check_tasks(self, unit_code: str, report: ReportDraft) -> list[FieldError]:
        expected = {task.code: task for task in self.expected_tasks(unit_code, report.reporter)}
        errors: list[FieldError] = []
        seen: set[str] = set()
        for index, task in enumerate(report.tasks):
            where = f"tasks[{index}]"
            if task.task_code in seen:
                message = msg.TASK_DUPLICATED.format(code=task.task_code)
                errors.append(FieldError(f"{where}.task_code", message, "task_duplicated"))
            elif task.task_code not in expected:
                errors.append(self._unexpected_task(where, task.task_code))
            seen.add(task.task_code)
            errors += reason_error(where, task.status, task.difficulties)
            for n, evidence in enumerate(task.evidence):
                errors += check_evidence(evidence, f"{where}.evidence[{n}]", self.year, None)
        for code, planned in expected.items():
            if code not in seen:
                errors.append(
                    FieldError("tasks", msg.task_missing(code, planned.text), "task_missing")
                )
        return errors

    def _unexpected_task(self, where: str, code: str) -> FieldError:
        try:
            self.plan.task(code)
        except KeyError:
            return FieldError(f"{where}.task_code", msg.unknown_task(code), "unknown_task")
        return FieldError(f"{where}.task_code", msg.task_not_led(code), "task_not_led")

    # --- read-back ---

    def missing_task_codes(
        self, unit_code: str, reporter: Reporter, covered: Iterable[str]
    ) -> list[str]:
        covered_set = set(covered)
        return [
            task.code
            for task in self.expected_tasks(unit_code, reporter)
            if task.code not in covered_set
        ]

    def period_states(
        self,
        unit_code: str,
        year: int,
        filed: dict[tuple[Reporter, Period], FiledReport],
        now: datetime,
    ) -> list[PeriodState]:
        """Every report the unit owes in `year`, in due order, with where it stands at `now`."""
        states: list[PeriodState] = []
        for reporter in self.reporters_of(unit_code):
            for period in self.periods:
                due = self.due(reporter, period, year)
                if due is None:
                    continue
                report = filed.get((reporter, period))
                status = self._status(report, due.due_at, year, period, now)
                states.append(PeriodState(period, reporter, due.due_at, status, report))
        return sorted(states, key=lambda state: state.due_at)

    def _status(
        self,
        report: FiledReport | None,
        due_at: datetime,
        year: int,
        period: Period,
        now: datetime,
    ) -> PeriodStatusCode:
        if report is not None:
            return "on_time" if report.first_on_time else "late"
        if period_last_day(year, period) < self.plan.meta.effective_from:
            return "not_required"
        return "overdue" if now >= due_at else "pending"


def _plan_year_error(year: int) -> FieldError:
    return FieldError("plan_year", msg.plan_year_mismatch(year), "plan_year")


def reason_error(where: str, status: TaskStatus, difficulties: str) -> list[FieldError]:
    """A task not done must say why."""
    if status is TaskStatus.DONE or difficulties.strip():
        return []
    return [FieldError(f"{where}.difficulties", msg.REASON_REQUIRED, "reason_missing")]


def analysis_error(analysis: str) -> list[FieldError]:
    """The plan wants an analysis, not a list of achievements: it may not be empty."""
    if analysis.strip():
        return []
    return [FieldError("analysis", msg.ANALYSIS_REQUIRED, "analysis_missing")]


def check_evidence(
    evidence: EvidenceRef, where: str, plan_year: int, today: date | None
) -> list[FieldError]:
    """A reference to a posted document: something to find it by, in a sane form.

    `today` bounds the date of issue from above (None: no bound; a report's evidence is checked
    against the plan year only, so a report can be re-sent unchanged).
    """
    errors: list[FieldError] = []
    if not evidence.url and not evidence.document_number:
        errors.append(FieldError(where, msg.EVIDENCE_EMPTY, "evidence_empty"))
    if evidence.url and not is_http_url(evidence.url):
        errors.append(FieldError(f"{where}.url", msg.URL_NOT_HTTP, "bad_url"))
    if evidence.document_number and not _DOCUMENT_NUMBER.match(evidence.document_number):
        errors.append(
            FieldError(f"{where}.document_number", msg.DOCUMENT_NUMBER_FORMAT, "bad_document")
        )
    if evidence.issued_on is not None:
        if evidence.issued_on.year != plan_year:
            message = msg.date_outside_plan_year(plan_year)
            errors.append(FieldError(f"{where}.issued_on", message, "bad_date"))
        elif today is not None and evidence.issued_on > today:
            errors.append(FieldError(f"{where}.issued_on", msg.DATE_IN_FUTURE, "bad_date"))
    return errors


def is_http_url(value: str) -> bool:
    """http(s), a host name, no white space (the plan loader's rule, at a cost fit for every
    request: a regex instead of a Python loop over the characters)."""
    if _WHITESPACE.search(value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an invalid IPv6 literal
        return False


def is_on_time(submitted_at: datetime, due_at: datetime) -> bool:
    return submitted_at < due_at


def not_done_task_codes(statuses: Sequence[tuple[str, TaskStatus]]) -> list[str]:
    return [code for code, status in statuses if status is not TaskStatus.DONE]


def local_today(now: datetime) -> date:
    return local_date(now)


def rejection_reasons(errors: Iterable[FieldError]) -> set[str]:
    return {error.reason for error in errors}
