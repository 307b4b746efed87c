"""The consolidated report to the chairman (plan Part III.4), as data: per indicator the target
and readiness with its signals; per (task, lead unit) the status, what was done and why not;
difficulties and proposals quoted from the reports; units late or missing; portal findings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from minhbach.events.catalogue import Signal, TaskStatus
from minhbach.plan import Plan, Target
from reporting.domain.facts import Figure, FiledReport, Probe
from reporting.domain.inspection import PortalFindings, portal_findings
from reporting.domain.schedule import ReportPeriod


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    number: int
    title: str
    target: Target | None
    readiness: float | None  # 0..1; None: scoring announced nothing yet
    signals: tuple[Signal, ...]


@dataclass(frozen=True, slots=True)
class TaskLine:
    """One (task, lead unit) pair: what the unit's report says about the task."""

    task_code: str
    unit_code: str
    status: TaskStatus | None  # None: the unit has not reported
    work_done: str
    difficulties: str
    proposals: str


@dataclass(frozen=True, slots=True)
class UnitLine:
    """A lead unit's filing for the period and its tasks by status."""

    unit_code: str
    filed_at: datetime | None
    late: bool
    done: int
    in_progress: int
    not_started: int
    analysis: str


@dataclass(frozen=True, slots=True)
class Quote:
    unit_code: str
    task_code: str
    text: str


@dataclass(frozen=True, slots=True)
class ConsolidatedReport:
    period: ReportPeriod
    drafted_at: datetime
    trigger: str
    indicators: tuple[IndicatorLine, ...]
    tasks: tuple[TaskLine, ...]
    units: tuple[UnitLine, ...]
    not_started: tuple[Quote, ...]  # the reasons of tasks not started
    difficulties: tuple[Quote, ...]
    proposals: tuple[Quote, ...]
    missing_units: tuple[str, ...]
    late_units: tuple[str, ...]
    portals: tuple[PortalFindings, ...]  # only portals with something to fix

    @property
    def status_counts(self) -> dict[TaskStatus | None, int]:
        counts: dict[TaskStatus | None, int] = dict.fromkeys((*TaskStatus, None), 0)
        for line in self.tasks:
            counts[line.status] += 1
        return counts


def consolidated_report(
    plan: Plan,
    period: ReportPeriod,
    reports: Iterable[FiledReport],
    figures: Mapping[int, Figure],
    probes: Sequence[Probe],
    drafted_at: datetime,
    trigger: str,
) -> ConsolidatedReport:
    by_unit = {r.unit_code: r for r in reports if r.reporter == "lead_units"}
    task_lines: list[TaskLine] = []
    unit_lines: list[UnitLine] = []
    for unit_code in plan.lead_unit_codes_all():
        report = by_unit.get(unit_code)
        entries = {t.task_code: t for t in report.tasks} if report else {}
        statuses = []
        for task in plan.tasks_led_by(unit_code):
            entry = entries.get(task.code)
            statuses.append(entry.status if entry else None)
            task_lines.append(
                TaskLine(
                    task_code=task.code,
                    unit_code=unit_code,
                    status=entry.status if entry else None,
                    work_done=entry.work_done.strip() if entry else "",
                    difficulties=entry.difficulties.strip() if entry else "",
                    proposals=entry.proposals.strip() if entry else "",
                )
            )
        unit_lines.append(
            UnitLine(
                unit_code=unit_code,
                filed_at=report.first_submitted_at if report else None,
                late=report.late if report else False,
                done=statuses.count(TaskStatus.DONE),
                in_progress=statuses.count(TaskStatus.IN_PROGRESS),
                not_started=statuses.count(TaskStatus.NOT_STARTED),
                analysis=report.analysis.strip() if report else "",
            )
        )
    order = {t.code: i for i, t in enumerate(plan.tasks)}
    task_lines.sort(key=lambda line: (order[line.task_code], line.unit_code))
    return ConsolidatedReport(
        period=period,
        drafted_at=drafted_at,
        trigger=trigger,
        indicators=tuple(
            _indicator_line(plan, n.number, figures.get(n.number)) for n in plan.indicators
        ),
        tasks=tuple(task_lines),
        units=tuple(unit_lines),
        not_started=_quotes(task_lines, "difficulties", TaskStatus.NOT_STARTED),
        difficulties=_quotes(task_lines, "difficulties"),
        proposals=_quotes(task_lines, "proposals"),
        missing_units=tuple(u.unit_code for u in unit_lines if u.filed_at is None),
        late_units=tuple(u.unit_code for u in unit_lines if u.late),
        portals=tuple(f for f in portal_findings(probes, ()) if f.problems),
    )


def _indicator_line(plan: Plan, number: int, figure: Figure | None) -> IndicatorLine:
    indicator = plan.indicator(number)
    return IndicatorLine(
        number=number,
        title=indicator.title,
        target=indicator.target,
        readiness=figure.readiness if figure else None,
        signals=figure.signals if figure else (),
    )


def _quotes(
    lines: Iterable[TaskLine], field: str, status: TaskStatus | None = None
) -> tuple[Quote, ...]:
    quotes = []
    for line in lines:
        text = getattr(line, field)
        if text and (status is None or line.status is status):
            quotes.append(Quote(line.unit_code, line.task_code, text))
    return tuple(quotes)
