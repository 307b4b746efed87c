"""The consolidated report to the chairman (plan Part III.4), as data: who filed; per indicator
the readiness against its target, its change since the previous period and the same time last
year, and the evidence missing; per task how many lead units did it, with the units that did
not named and their reasons; portal findings by kind; shortcomings, difficulties and proposals
grouped (`grouping`), with the units after each. The (task, lead unit) detail stays in
`tasks` for the appendix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from minhbach.events.catalogue import Signal, TaskStatus
from minhbach.plan import Plan, Target
from reporting.domain.facts import Figure, FiledReport, Probe
from reporting.domain.grouping import Group, Statement, group_statements, nfc
from reporting.domain.inspection import (
    FindingKind,
    PortalFindings,
    finding_kinds,
    portal_findings,
)
from reporting.domain.schedule import ReportPeriod

Source = tuple[str, str]  # (unit code, task code)


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    number: int
    title: str
    target: Target | None
    readiness: float | None  # 0..1; None: scoring announced nothing, or nothing has data
    signals: tuple[Signal, ...]
    previous: float | None = None  # as the previous period began
    last_year: float | None = None  # the same instant a year earlier

    @property
    def change(self) -> float | None:
        return _delta(self.readiness, self.previous)

    @property
    def change_year(self) -> float | None:
        return _delta(self.readiness, self.last_year)


@dataclass(frozen=True, slots=True)
class EvidenceGap:
    """A signal with no data yet: which indicators it leaves out, and why."""

    signal: str  # code (the document shows the plan's name)
    why: str
    indicators: tuple[int, ...]


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
class TaskSummary:
    task_code: str
    leads: int
    done: int
    in_progress: int
    not_started: int
    unreported: int


@dataclass(frozen=True, slots=True)
class Lagging:
    """Units that did not do some tasks for one (grouped) reason ("" when none was given;
    status None: not reported), each with its tasks, in plan order."""

    status: TaskStatus | None
    reason: str
    units: tuple[tuple[str, tuple[str, ...]], ...]


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
class ConsolidatedReport:
    period: ReportPeriod
    drafted_at: datetime
    trigger: str
    indicators: tuple[IndicatorLine, ...]
    gaps: tuple[EvidenceGap, ...]
    tasks: tuple[TaskLine, ...]  # every pair: the appendix
    task_summaries: tuple[TaskSummary, ...]
    lagging: tuple[Lagging, ...]
    units: tuple[UnitLine, ...]
    shortcomings: tuple[Group[str], ...]  # the units' own assessments, grouped
    difficulties: tuple[Group[Source], ...]
    proposals: tuple[Group[Source], ...]
    missing_units: tuple[str, ...]
    late_units: tuple[str, ...]
    portals: tuple[PortalFindings, ...]  # only portals with something to fix
    finding_kinds: tuple[FindingKind, ...]
    unchecked_portals: tuple[str, ...]  # no probe yet: not checked, never "failed"

    @property
    def status_counts(self) -> dict[TaskStatus | None, int]:
        counts: dict[TaskStatus | None, int] = dict.fromkeys((*TaskStatus, None), 0)
        for line in self.tasks:
            counts[line.status] += 1
        return counts

    @property
    def not_done_units(self) -> tuple[str, ...]:
        """Units with a task not done (or not reported), in plan order."""
        named = {u for group in self.lagging for u, _ in group.units}
        return tuple(u.unit_code for u in self.units if u.unit_code in named)


def consolidated_report(
    plan: Plan,
    period: ReportPeriod,
    reports: Iterable[FiledReport],
    figures: Mapping[int, Figure],
    probes: Sequence[Probe],
    drafted_at: datetime,
    trigger: str,
    *,
    previous: Mapping[int, Figure] | None = None,
    last_year: Mapping[int, Figure] | None = None,
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
                    work_done=nfc(entry.work_done) if entry else "",
                    difficulties=nfc(entry.difficulties) if entry else "",
                    proposals=nfc(entry.proposals) if entry else "",
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
                analysis=nfc(report.analysis) if report else "",
            )
        )
    order = {t.code: i for i, t in enumerate(plan.tasks)}
    task_lines.sort(key=lambda line: (order[line.task_code], line.unit_code))
    indicators = tuple(
        _indicator_line(plan, n.number, figures, previous or {}, last_year or {})
        for n in plan.indicators
    )
    found = [f for f in portal_findings(probes, ()) if f.problems]
    probed = {p.portal_unit_code for p in probes}
    return ConsolidatedReport(
        period=period,
        drafted_at=drafted_at,
        trigger=trigger,
        indicators=indicators,
        gaps=_gaps(figures),
        tasks=tuple(task_lines),
        task_summaries=_task_summaries(plan, task_lines),
        lagging=_lagging([u.unit_code for u in unit_lines], task_lines),
        units=tuple(unit_lines),
        shortcomings=tuple(
            group_statements(Statement(u.analysis, u.unit_code) for u in unit_lines)
        ),
        difficulties=_grouped(task_lines, "difficulties"),
        proposals=_grouped(task_lines, "proposals"),
        missing_units=tuple(u.unit_code for u in unit_lines if u.filed_at is None),
        late_units=tuple(u.unit_code for u in unit_lines if u.late),
        portals=tuple(found),
        finding_kinds=finding_kinds(found),
        unchecked_portals=tuple(u.code for u in plan.portal_units() if u.code not in probed),
    )


def _indicator_line(
    plan: Plan,
    number: int,
    figures: Mapping[int, Figure],
    previous: Mapping[int, Figure],
    last_year: Mapping[int, Figure],
) -> IndicatorLine:
    indicator = plan.indicator(number)
    figure = figures.get(number)
    return IndicatorLine(
        number=number,
        title=indicator.title,
        target=indicator.target,
        readiness=_known(figure),
        signals=figure.signals if figure else (),
        previous=_known(previous.get(number)),
        last_year=_known(last_year.get(number)),
    )


def _known(figure: Figure | None) -> float | None:
    """The readiness, if some signal had data (a figure of nothing known is not a zero)."""
    if figure is None or not any(s.has_data for s in figure.signals):
        return None
    return figure.readiness


def _delta(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else now - then


def _gaps(figures: Mapping[int, Figure]) -> tuple[EvidenceGap, ...]:
    """Signals without data, once each with every indicator they leave out."""
    found: dict[tuple[str, str], list[int]] = {}
    for number in sorted(figures):
        for signal in figures[number].signals:
            if not signal.has_data:
                found.setdefault((signal.name, signal.missing), []).append(number)
    return tuple(EvidenceGap(code, why, tuple(ns)) for (code, why), ns in found.items())


def _task_summaries(plan: Plan, lines: Sequence[TaskLine]) -> tuple[TaskSummary, ...]:
    by_task: dict[str, list[TaskLine]] = {}
    for line in lines:
        by_task.setdefault(line.task_code, []).append(line)
    summaries = []
    for task in plan.tasks:
        pairs = by_task.get(task.code, [])
        if not pairs:
            continue
        statuses = [p.status for p in pairs]
        summaries.append(
            TaskSummary(
                task_code=task.code,
                leads=len(pairs),
                done=statuses.count(TaskStatus.DONE),
                in_progress=statuses.count(TaskStatus.IN_PROGRESS),
                not_started=statuses.count(TaskStatus.NOT_STARTED),
                unreported=statuses.count(None),
            )
        )
    return tuple(summaries)


def _lagging(units: Sequence[str], lines: Sequence[TaskLine]) -> tuple[Lagging, ...]:
    """Not-done pairs grouped by status and reason across tasks: each unit once per reason,
    with its tasks (a unit's name written once instead of once per task)."""
    rank = {u: i for i, u in enumerate(units)}
    found: list[Lagging] = []
    for status in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, None):
        pairs = [line for line in lines if line.status is status]
        if status is not None:
            said = [Statement(p.difficulties, (p.unit_code, p.task_code)) for p in pairs]
            for group in group_statements(said):
                found.append(Lagging(status, group.text, _by_unit(group.sources, rank)))
        silent = [(p.unit_code, p.task_code) for p in pairs if not p.difficulties]
        if silent:
            found.append(Lagging(status, "", _by_unit(silent, rank)))
    return tuple(found)


def _by_unit(
    pairs: Iterable[Source], rank: Mapping[str, int]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    tasks: dict[str, list[str]] = {}
    for unit, task in pairs:
        tasks.setdefault(unit, []).append(task)
    ordered = sorted(tasks, key=lambda u: rank.get(u, len(rank)))
    return tuple((u, tuple(dict.fromkeys(tasks[u]))) for u in ordered)


def _grouped(lines: Iterable[TaskLine], field: str) -> tuple[Group[Source], ...]:
    return tuple(
        group_statements(
            Statement(getattr(line, field), (line.unit_code, line.task_code)) for line in lines
        )
    )
