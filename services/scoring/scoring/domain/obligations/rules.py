"""The obligations the plan makes owed by reports and fixed-deadline tasks, and the whole
ledger (with the posting rules of `postings`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cached_property

from minhbach.calendar import WorkingCalendar, end_of_day, last_on_time_day, start_of_day
from minhbach.events.catalogue import ObligationKind, TaskStatus
from minhbach.periods import period_last_day
from minhbach.plan import Plan, ReportingRule, Task
from scoring import messages
from scoring.domain.facts import DocumentFact, EvidenceFact, ReportFact
from scoring.domain.obligations.obligation import Fulfilment, Obligation, earliest
from scoring.domain.obligations.postings import DocumentIndex, PostingRules

DEFAULT_DUE_SOON_WORKING_DAYS = 3

_REPORT_KINDS = {
    ("lead_units", "quarter"): ObligationKind.QUARTERLY_REPORT,
    ("lead_units", "half_year"): ObligationKind.PERIODIC_REPORT,
    ("lead_units", "nine_months"): ObligationKind.PERIODIC_REPORT,
    ("lead_units", "year"): ObligationKind.ANNUAL_REPORT,
    ("focal_unit", "quarter"): ObligationKind.FOCAL_QUARTERLY_REPORT,
    ("focal_unit", "half_year"): ObligationKind.FOCAL_PERIODIC_REPORT,
    ("focal_unit", "nine_months"): ObligationKind.FOCAL_PERIODIC_REPORT,
    ("focal_unit", "year"): ObligationKind.FOCAL_ANNUAL_REPORT,
}


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
        self.postings = PostingRules(plan, self.calendar, self.due_soon_at)

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
        """The plan year's periods of a rule that end on or after the plan takes effect (a
        period folded into the annual report is not one of the rule's)."""
        return tuple(
            code for code in rule.periods if period_last_day(self.year, code) >= self.effective_from
        )

    def report_due(self, rule: ReportingRule, period: str) -> datetime:
        return rule.due(self.calendar, self.year, period)

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
            recipient = ", ".join(self._unit_name(code) for code in rule.recipients)
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
            copies = index.candidates(doc) if self.postings.is_source(doc) else ()
            ledger += self.postings.document_obligations(doc, copies)
        return ledger


def _answers(report: ReportFact, rule: ReportingRule) -> bool:
    """A report answers every rule of its reporter asking for its period: the tiers and
    recipients of one report (to the Chairman, to the province's PCI focal unit) are one filing,
    each obligation judged against its own rule's deadline. Intake names the rule whose deadline
    bound the report; that names the reporter, not the only rule answered."""
    return report.reporter == rule.reporter
