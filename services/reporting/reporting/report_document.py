"""The consolidated report as a document: a body of a few pages that analyses (who filed, each
indicator against its target and the earlier periods, each task's units that did not do it and
why, portal findings by kind, grouped shortcomings, difficulties and proposals, what the focal
unit asks of the chairman), and a landscape "Phụ lục" with the detail (every unit, every
(task, unit) pair, every readiness signal, every portal finding), which the .xlsx carries too.

Every name is the plan's: units, indicators, signals (never a signal's code), the chairman,
the escalation ladder. Nothing is proposed that no unit proposed or the plan does not say.
"""

from __future__ import annotations

from collections.abc import Iterable

from minhbach.calendar import format_vn_date_short, last_on_time_day
from minhbach.events.catalogue import TaskStatus
from minhbach.periods import kind_of
from minhbach.plan import Plan
from reporting import messages as msg
from reporting.compose import (
    draft_note,
    drafted,
    findings_by_kind,
    official_document,
    unit_names,
)
from reporting.domain.consolidated import ConsolidatedReport, Lagging, Source
from reporting.domain.grouping import Group
from reporting.names import name_list
from reporting.render.document import (
    Appendix,
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from reporting.report_appendix import (
    APPENDIX_BASIS,
    APPENDIX_FILING,
    APPENDIX_PORTALS,
    APPENDIX_TASKS,
    appendix_tables,
    signal_names,
)

TASK_TEXT_LIMIT = 90  # characters of a task's text quoted in the body


def consolidated_document(plan: Plan, report: ConsolidatedReport, version: int) -> OfficialDocument:
    period = msg.period_label(report.period.period, report.period.plan_year)
    focal = plan.focal_unit.name
    blocks: list[Block] = [
        Paragraph(msg.REPORT_INTRO.format(plan=plan.meta.title, focal=focal, period=period)),
        *_data_span(report),
        *_filing(plan, report, period),
        *_indicators(plan, report),
        *_tasks(plan, report),
        *_portals(plan, report),
        *_problems(plan, report),
        *_to_chairman(plan, report),
        Paragraph(
            msg.REPORT_CLOSING.format(period=period, focal=focal, chairman=plan.chairman.name)
        ),
        draft_note(report.drafted_at, report.trigger, version),
    ]
    appendix = Appendix(
        msg.APPENDIX_HEADING,
        msg.APPENDIX_SUBTITLE.format(period=period),
        appendix_tables(plan, report),
    )
    return official_document(
        plan,
        drafted(plan).consolidated_report,
        msg.REPORT_SUMMARY.format(period=period),
        report.drafted_at,
        blocks,
        appendix,
    )


# --- the body ----------------------------------------------------------------------------------


def _data_span(report: ConsolidatedReport) -> list[Block]:
    """The days the figures cover, where the plan sets a data cut-off (Decree 09/2019/NĐ-CP)."""
    span = report.period.data_span
    if span is None:
        return []
    start, end = (format_vn_date_short(day) for day in span)
    return [Paragraph(msg.REPORT_DATA_SPAN.format(start=start, end=end))]


def _filing(plan: Plan, report: ConsolidatedReport, period: str) -> list[Block]:
    filed = [u for u in report.units if u.filed_at is not None]
    late = sum(u.late for u in filed)
    blocks: list[Block] = [
        Heading(msg.H_FILING),
        Paragraph(
            msg.FILING_SUMMARY.format(
                filed=len(filed),
                total=len(report.units),
                period=period,
                on_time=len(filed) - late,
                late=late,
            )
        ),
    ]
    due = format_vn_date_short(last_on_time_day(report.period.lead_due_at))
    if report.late_units:
        blocks.append(
            Paragraph(msg.FILING_LATE.format(due=due, units=unit_names(plan, report.late_units)))
        )
    if report.missing_units:
        blocks.append(
            Paragraph(msg.FILING_MISSING.format(units=unit_names(plan, report.missing_units)))
        )
    if not report.late_units and not report.missing_units:
        blocks.append(Paragraph(msg.FILING_ALL_ON_TIME))
    blocks.append(Paragraph(msg.SEE_APPENDIX.format(number=APPENDIX_FILING), italic=True))
    return blocks


def _indicators(plan: Plan, report: ConsolidatedReport) -> list[Block]:
    rows = []
    for line in report.indicators:
        target = (line.target.text or str(line.target.value)) if line.target else msg.NO_TARGET
        readiness = msg.percent(line.readiness) if line.readiness is not None else msg.NO_FIGURE
        rows.append(
            (
                str(line.number),
                line.title,
                target,
                readiness,
                msg.change(line.change),
                msg.change(line.change_year),
            )
        )
    columns = msg.INDICATOR_COLUMNS
    if kind_of(report.period.period) == "year":  # a yearly report: no previous period
        columns = (*columns[:4], msg.PREVIOUS_YEAR_COLUMN, columns[5])
    overall = plan.meta.overall_target.text or str(plan.meta.overall_target.value)
    blocks: list[Block] = [
        Heading(msg.H_INDICATORS),
        Table(columns, tuple(rows), (12, 56, 27, 22, 24, 24)),
    ]
    known = [i.readiness for i in report.indicators if i.readiness is not None]
    if known:  # scoring's overall figure: the mean of the indicators with data
        blocks.append(
            Paragraph(
                msg.OVERALL_LINE.format(
                    readiness=msg.percent(sum(known) / len(known)),
                    known=len(known),
                    total=len(report.indicators),
                )
            )
        )
    blocks.append(Paragraph(msg.INDICATOR_NOTE.format(target=overall), italic=True))
    if report.gaps:
        names = signal_names(plan)
        blocks.append(Paragraph(msg.GAPS_INTRO))
        blocks += [
            Paragraph(
                msg.GAP_LINE.format(
                    signal=names.get(gap.signal, msg.NO_FIGURE),
                    indicators=", ".join(str(n) for n in gap.indicators),
                    why=gap.why or msg.NO_FIGURE,
                )
            )
            for gap in report.gaps
        ]
    falling = [str(i.number) for i in report.indicators if (i.change or 0) < -0.0005]
    if falling:
        blocks.append(Paragraph(msg.FALLING.format(indicators=", ".join(falling))))
    below = [
        str(i.number)
        for i in report.indicators
        if i.readiness is not None and i.target is not None and i.readiness < i.target.share
    ]
    if below:
        blocks.append(Paragraph(msg.BELOW_TARGET.format(indicators=", ".join(below))))
    blocks.append(Paragraph(msg.SEE_BASIS.format(number=APPENDIX_BASIS), italic=True))
    return blocks


def _tasks(plan: Plan, report: ConsolidatedReport) -> list[Block]:
    counts = report.status_counts
    rows = tuple(
        (
            f"{s.task_code}. {short_text(plan.task(s.task_code).text)}",
            str(s.leads),
            str(s.done),
            str(s.in_progress),
            str(s.not_started),
            str(s.unreported),
        )
        for s in report.task_summaries
    )
    blocks: list[Block] = [
        Heading(msg.H_TASKS),
        Paragraph(
            msg.TASK_COUNTS.format(
                total=len(report.tasks),
                done=counts[TaskStatus.DONE],
                in_progress=counts[TaskStatus.IN_PROGRESS],
                not_started=counts[TaskStatus.NOT_STARTED],
                unreported=counts[None],
            )
        ),
        Table(msg.TASK_SUMMARY_COLUMNS, rows, (70, 19, 19, 19, 19, 19)),
    ]
    if not report.lagging:
        blocks.append(Paragraph(msg.NONE_LAGGING))
    else:
        blocks.append(Paragraph(msg.LAGGING_INTRO))
        blocks += [_lagging_line(plan, group) for group in report.lagging]
    blocks.append(Paragraph(msg.SEE_APPENDIX.format(number=APPENDIX_TASKS), italic=True))
    return blocks


def _lagging_line(plan: Plan, group: Lagging) -> Paragraph:
    if group.status is None:
        reason, after = "", None
    else:
        reason = (
            msg.LAGGING_REASON.format(reason=group.reason.rstrip("."))
            if group.reason
            else msg.LAGGING_NO_REASON
        )
        after = {u: msg.LAGGING_TASKS.format(tasks=", ".join(t)) for u, t in group.units}
    return Paragraph(
        msg.LAGGING_LINE.format(
            status=msg.STATUS_LABELS[group.status],
            reason=reason,
            units=name_list(plan, [u for u, _ in group.units], after),
        )
    )


def _portals(plan: Plan, report: ConsolidatedReport) -> list[Block]:
    total = len(plan.portal_units())
    probed = total - len(report.unchecked_portals)
    blocks: list[Block] = [
        Heading(msg.H_PORTALS),
        Paragraph(msg.PORTALS_COUNT.format(probed=probed, total=total, short=len(report.portals))),
    ]
    if not report.portals and probed:
        blocks.append(Paragraph(msg.PORTALS_FINE))
    blocks += findings_by_kind(plan, report.portals)
    if report.unchecked_portals:
        blocks.append(
            Paragraph(
                msg.PORTALS_UNCHECKED.format(units=unit_names(plan, report.unchecked_portals))
            )
        )
    if report.portals:
        blocks.append(Paragraph(msg.SEE_APPENDIX.format(number=APPENDIX_PORTALS), italic=True))
    return blocks


def _problems(plan: Plan, report: ConsolidatedReport) -> list[Block]:
    counts = report.status_counts
    not_done = len(report.tasks) - counts[TaskStatus.DONE]
    facts: list[Block] = []
    if not_done:
        facts.append(
            Paragraph(
                msg.SHORTCOMING_TASKS.format(
                    count=not_done,
                    in_progress=counts[TaskStatus.IN_PROGRESS],
                    not_started=counts[TaskStatus.NOT_STARTED],
                    unreported=counts[None],
                )
            )
        )
    if report.late_units or report.missing_units:
        facts.append(
            Paragraph(
                msg.SHORTCOMING_FILING.format(
                    late=len(report.late_units), missing=len(report.missing_units)
                )
            )
        )
    if report.portals:
        facts.append(Paragraph(msg.SHORTCOMING_PORTALS.format(count=len(report.portals))))
    blocks: list[Block] = [Heading(msg.H_PROBLEMS), Heading(msg.H_SHORTCOMINGS), *facts]
    if report.shortcomings:
        blocks.append(Paragraph(msg.SELF_ASSESSMENT))
        blocks += [_grouped_line(plan, g.text, g.sources) for g in report.shortcomings]
    elif not facts:
        blocks.append(Paragraph(msg.NONE_REPORTED))
    blocks.append(Heading(msg.H_DIFFICULTIES))
    blocks += _grouped(plan, report.difficulties)
    blocks.append(Heading(msg.H_PROPOSALS))
    blocks += _grouped(plan, report.proposals)
    return blocks


def _to_chairman(plan: Plan, report: ConsolidatedReport) -> list[Block]:
    chairman = plan.chairman.name
    lines: list[Block] = []
    if report.missing_units:
        lines.append(
            Paragraph(
                msg.TO_CHAIRMAN_FILING.format(
                    units=unit_names(plan, report.missing_units), ladder=_ladder(plan)
                )
            )
        )
    idle = list(
        dict.fromkeys(
            unit
            for group in report.lagging
            if group.status is TaskStatus.NOT_STARTED
            for unit, _ in group.units
        )
    )
    if idle:
        lines.append(Paragraph(msg.TO_CHAIRMAN_NOT_STARTED.format(units=unit_names(plan, idle))))
    if report.portals:
        units = [p.unit_code for p in report.portals]
        lines.append(Paragraph(msg.TO_CHAIRMAN_PORTALS.format(units=unit_names(plan, units))))
    if report.proposals:
        lines.append(Paragraph(msg.TO_CHAIRMAN_PROPOSALS.format(count=len(report.proposals))))
    blocks: list[Block] = [Heading(msg.H_TO_CHAIRMAN.format(chairman=chairman.upper()))]
    if not lines:
        return [*blocks, Paragraph(msg.TO_CHAIRMAN_NOTHING)]
    intro = msg.TO_CHAIRMAN_INTRO.format(focal=plan.focal_unit.name, chairman=chairman)
    return [*blocks, Paragraph(intro), *lines]


def _ladder(plan: Plan) -> str:
    """The plan's escalation: the last step, as the plan says it (none: nothing added)."""
    steps = plan.escalation.steps if plan.escalation is not None else ()
    if not steps:
        return ""
    last = steps[-1]
    who = plan.unit(last.notify).name if plan.has_unit(last.notify) else last.notify
    return msg.TO_CHAIRMAN_LADDER.format(days=last.after_overdue_working_days, who=who)


def _grouped(plan: Plan, groups: Iterable[Group[Source]]) -> list[Block]:
    blocks: list[Block] = []
    for group in groups:
        units = tuple(dict.fromkeys(unit for unit, _ in group.sources))
        tasks = tuple(dict.fromkeys(task for _, task in group.sources))
        blocks.append(_grouped_line(plan, group.text, units, tasks))
    return blocks or [Paragraph(msg.NONE_REPORTED)]


def _grouped_line(
    plan: Plan, text: str, units: tuple[str, ...], tasks: tuple[str, ...] = ()
) -> Paragraph:
    names = unit_names(plan, units)
    said_by = msg.UNITS_COUNTED.format(count=len(units), names=names) if len(units) > 1 else names
    text = text.rstrip(".")
    if tasks:
        return Paragraph(
            msg.GROUPED_WITH_TASKS.format(text=text, units=said_by, tasks=", ".join(tasks))
        )
    return Paragraph(msg.GROUPED_LINE.format(text=text, units=said_by))


def short_text(text: str, limit: int = TASK_TEXT_LIMIT) -> str:
    """A task's text up to its first clause, or cut at a word within `limit` characters."""
    text = " ".join(text.split())
    for mark in (";", ". ", ":"):
        cut = text.find(mark)
        if 30 <= cut <= limit:
            return text[:cut]
    if len(text) <= limit:
        return text.rstrip(".")
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;") + "…"
