"""Drafts as documents: a consolidated report or an inspection notice becomes an
`OfficialDocument` (Decree 30/2020 layout), with every name, symbol and signer from the plan."""

from __future__ import annotations

from datetime import date, datetime

from minhbach.calendar import TZ, format_vn_date, format_vn_date_short, last_on_time_day
from minhbach.events.catalogue import TaskStatus
from minhbach.plan import DraftedDocument, Drafting, Plan
from reporting import messages as msg
from reporting.domain.consolidated import ConsolidatedReport, Quote
from reporting.domain.inspection import InspectionNotice, PortalFindings, Problem
from reporting.render.document import (
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)

TEXT_WIDTH_MM = 165.0  # A4 210 mm less the 30 mm left and 15 mm right margins


def consolidated_document(plan: Plan, report: ConsolidatedReport, version: int) -> OfficialDocument:
    period = msg.period_label(report.period.period, report.period.plan_year)
    focal = plan.focal_unit.name
    blocks: list[Block] = [
        Paragraph(msg.REPORT_INTRO.format(plan=plan.meta.title, focal=focal, period=period)),
        *_data_span(report),
        *_filing(plan, report, period),
        *_indicators(plan, report),
        *_tasks(plan, report),
        *_portals_summary(plan, report.portals),
        Heading(msg.H_PROBLEMS),
        Heading(msg.H_DIFFICULTIES),
        *_quoted(plan, report.difficulties),
        Heading(msg.H_PROPOSALS),
        *_quoted(plan, report.proposals),
        Paragraph(
            msg.REPORT_CLOSING.format(period=period, focal=focal, chairman=plan.chairman.name)
        ),
        _draft_note(report.drafted_at, report.trigger, version),
    ]
    return _document(
        plan,
        _drafted(plan).consolidated_report,
        msg.REPORT_SUMMARY.format(period=period),
        report.drafted_at,
        blocks,
    )


def inspection_document(plan: Plan, notice: InspectionNotice, version: int) -> OfficialDocument:
    round_ = notice.round
    last_day = last_on_time_day(round_.ends)
    words = plan.words
    kind = _drafted(plan).inspection_notice
    issuer = plan.unit(_drafted(plan).issuer_of(kind, plan.roles.focal_unit)).name
    summary = msg.NOTICE_SUMMARY.format(
        inspected=words.inspected_portals,
        start=format_vn_date_short(round_.starts.astimezone(TZ).date()),
        end=format_vn_date_short(last_day),
    )
    inspected = len(notice.findings) - len(notice.not_inspected)
    intro = msg.NOTICE_INTRO.format(
        task=kind.task, plan=plan.meta.title, issuer=issuer, inspected=words.inspected_portals
    )
    blocks: list[Block] = [
        Paragraph(intro),
        Heading(msg.H_NOTICE_OVERALL),
        Paragraph(
            msg.NOTICE_OVERALL.format(
                inspected=inspected, total=len(notice.findings), short=len(notice.short_of)
            )
        ),
    ]
    if notice.not_inspected:
        names = ", ".join(plan.unit(u).name for u in notice.not_inspected)
        blocks.append(Paragraph(msg.NOTICE_NOT_INSPECTED.format(units=names)))
    blocks.append(Heading(msg.H_NOTICE_UNITS))
    if notice.short_of:
        blocks.append(_findings_table(plan, notice.short_of))
    else:
        blocks.append(Paragraph(msg.NOTICE_ALL_FINE))
    blocks += [
        Heading(msg.H_NOTICE_REQUEST),
        Paragraph(
            msg.NOTICE_REQUEST.format(
                asked=words.asked_to_act, regulation=regulation_in_force(plan, last_day)
            )
        ),
        _draft_note(notice.drafted_at, notice.trigger, version),
    ]
    return _document(plan, kind, summary, notice.drafted_at, blocks)


def regulation_in_force(plan: Plan, day: date) -> str:
    """The name of the regulation on portals the plan says is in force on `day`."""
    monitoring = plan.portal_monitoring
    if monitoring is None:
        return msg.REGULATION_UNKNOWN
    return monitoring.regulation_on(day).name


def _drafted(plan: Plan) -> Drafting:
    assert plan.drafting is not None, "reporting runs only on a plan with a `drafting` section"
    return plan.drafting


def _document(
    plan: Plan, kind: DraftedDocument, summary: str, drafted_at: datetime, blocks: list[Block]
) -> OfficialDocument:
    drafting = _drafted(plan)
    day = drafted_at.astimezone(TZ).date()
    superior_body, issuing_body = drafting.header_of(kind)
    return OfficialDocument(
        superior_body=superior_body.upper(),
        issuing_body=issuing_body.upper(),
        number_line=f"Số:        /{kind.symbol}",
        place_date=f"{drafting.place}, {format_vn_date(day)}",
        title=kind.title.upper(),
        summary=summary,
        blocks=tuple(blocks),
        recipients=kind.recipients,
        signature=Signature(kind.signer.authority, kind.signer.title, kind.signer.name),
    )


def _data_span(report: ConsolidatedReport) -> list[Block]:
    """The days the figures cover, where the plan sets a data cut-off (Decree 09/2019/NĐ-CP)."""
    span = report.period.data_span
    if span is None:
        return []
    start, end = (format_vn_date_short(day) for day in span)
    return [Paragraph(msg.REPORT_DATA_SPAN.format(start=start, end=end))]


def _filing(plan: Plan, report: ConsolidatedReport, period: str) -> list[Block]:
    filed = [u for u in report.units if u.filed_at is not None]
    blocks: list[Block] = [
        Heading(msg.H_FILING),
        Paragraph(
            msg.FILING_SUMMARY.format(filed=len(filed), total=len(report.units), period=period)
        ),
    ]
    due = format_vn_date_short(last_on_time_day(report.period.lead_due_at))
    if report.late_units:
        blocks.append(
            Paragraph(msg.FILING_LATE.format(due=due, units=_names(plan, report.late_units)))
        )
    if report.missing_units:
        blocks.append(
            Paragraph(msg.FILING_MISSING.format(units=_names(plan, report.missing_units)))
        )
    if not report.late_units and not report.missing_units:
        blocks.append(Paragraph(msg.FILING_ALL_ON_TIME))
    rows = []
    for number, unit in enumerate(report.units, 1):
        if unit.filed_at is None:
            filed_on, state = "", msg.FILING_NONE
        else:
            filed_on = format_vn_date_short(unit.filed_at.astimezone(TZ).date())
            state = msg.FILING_LATE_LABEL if unit.late else msg.FILING_ON_TIME
        rows.append(
            (
                str(number),
                plan.unit(unit.unit_code).name,
                filed_on,
                state,
                str(unit.done),
                str(unit.in_progress),
                str(unit.not_started),
            )
        )
    blocks.append(Table(msg.FILING_COLUMNS, tuple(rows), (10, 48, 24, 19, 20, 22, 22)))
    return blocks


def _indicators(plan: Plan, report: ConsolidatedReport) -> list[Block]:
    rows = []
    for line in report.indicators:
        target = (line.target.text or str(line.target.value)) if line.target else msg.NO_TARGET
        readiness = msg.percent(line.readiness) if line.readiness is not None else msg.NO_FIGURE
        basis = "; ".join(f"{s.name}: {msg.percent(s.value)}" for s in line.signals)
        rows.append((str(line.number), line.title, target, readiness, basis))
    overall = plan.meta.overall_target.text or str(plan.meta.overall_target.value)
    return [
        Heading(msg.H_INDICATORS),
        Table(msg.INDICATOR_COLUMNS, tuple(rows), (10, 50, 30, 20, 55)),
        Paragraph(msg.INDICATOR_NOTE.format(target=overall), italic=True),
    ]


def _tasks(plan: Plan, report: ConsolidatedReport) -> list[Block]:
    counts = report.status_counts
    rows = []
    for line in report.tasks:
        result = line.work_done if line.status is not None and line.work_done else ""
        if line.status is not None and line.status is not TaskStatus.DONE and line.difficulties:
            result = (result + " " if result else "") + f"Lý do: {line.difficulties}"
        rows.append(
            (
                line.task_code,
                plan.unit(line.unit_code).name,
                msg.STATUS_LABELS[line.status],
                result,
            )
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
        Table(msg.TASK_COLUMNS, tuple(rows), (18, 45, 27, 75)),
        Paragraph(msg.H_NOT_STARTED),
    ]
    blocks += _quoted(plan, report.not_started, msg.NONE_NOT_STARTED)
    return blocks


def _portals_summary(plan: Plan, portals: tuple[PortalFindings, ...]) -> list[Block]:
    if not portals:
        return [Heading(msg.H_PORTALS), Paragraph(msg.PORTALS_FINE)]
    blocks: list[Block] = [
        Heading(msg.H_PORTALS),
        Paragraph(msg.PORTALS_SHORT.format(count=len(portals))),
    ]
    for findings in portals:
        kinds = dict.fromkeys(msg.PROBLEM_LABELS[p.kind] for p in findings.problems)
        line = msg.PORTAL_LINE.format(
            unit=plan.unit(findings.unit_code).name, problems="; ".join(kinds).lower()
        )
        blocks.append(Paragraph("- " + line))
    return blocks


def _findings_table(plan: Plan, findings: tuple[PortalFindings, ...]) -> Table:
    rows = []
    for number, portal in enumerate(findings, 1):
        rows.append(
            (
                str(number),
                plan.unit(portal.unit_code).name,
                "\n".join(_problem_text(p) for p in portal.problems),
                "\n".join(_evidence_text(p) for p in portal.problems),
            )
        )
    return Table(msg.NOTICE_COLUMNS, tuple(rows), (10, 40, 65, 50))


def _problem_text(problem: Problem) -> str:
    return f"- {msg.PROBLEM_LABELS[problem.kind]}: {problem.detail}".rstrip(": ")


def _evidence_text(problem: Problem) -> str:
    seen = format_vn_date_short(problem.seen_at.astimezone(TZ).date())
    return f"- {problem.evidence_url or ''} ({seen})".replace("-  (", "- (")


def _quoted(plan: Plan, quotes: tuple[Quote, ...], empty: str = msg.NONE_REPORTED) -> list[Block]:
    if not quotes:
        return [Paragraph(empty)]
    return [
        Paragraph(
            "- " + msg.QUOTE.format(unit=plan.unit(q.unit_code).name, task=q.task_code, text=q.text)
        )
        for q in quotes
    ]


def _draft_note(drafted_at: datetime, trigger: str, version: int) -> Paragraph:
    local = drafted_at.astimezone(TZ)
    return Paragraph(
        msg.DRAFT_NOTE.format(
            version=version,
            time=f"{local:%H:%M}",
            date=format_vn_date(local.date()),
            trigger=msg.TRIGGERS.get(trigger, trigger),
        ),
        italic=True,
    )


def _names(plan: Plan, codes: tuple[str, ...]) -> str:
    return ", ".join(plan.unit(code).name for code in codes)
