"""Drafts as documents: an inspection notice becomes an `OfficialDocument` (Decree 30/2020
layout), with every name, symbol and signer from the plan; the parts every draft shares (the
frame, the draft note). The consolidated report is composed in `report_document`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from minhbach.calendar import TZ, format_vn_date, format_vn_date_short, last_on_time_day
from minhbach.plan import DraftedDocument, Drafting, Plan
from reporting import messages as msg
from reporting.domain.inspection import (
    InspectionNotice,
    PortalFindings,
    Problem,
    finding_kinds,
)
from reporting.names import name_list
from reporting.render.document import (
    Appendix,
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)

TEXT_WIDTH_MM = 165.0  # A4 210 mm less the 30 mm left and 15 mm right margins


def inspection_document(plan: Plan, notice: InspectionNotice, version: int) -> OfficialDocument:
    round_ = notice.round
    last_day = last_on_time_day(round_.ends)
    words = plan.words
    kind = drafted(plan).inspection_notice
    issuer = plan.unit(drafted(plan).issuer_of(kind, plan.roles.focal_unit)).name
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
        blocks += findings_by_kind(plan, notice.short_of)
        blocks.append(Paragraph(msg.NOTICE_DETAIL))
        blocks.append(findings_table(plan, notice.short_of))
    else:
        blocks.append(Paragraph(msg.NOTICE_ALL_FINE))
    blocks += [
        Heading(msg.H_NOTICE_REQUEST),
        Paragraph(
            msg.NOTICE_REQUEST.format(
                asked=words.asked_to_act, regulation=regulation_in_force(plan, last_day)
            )
        ),
        draft_note(notice.drafted_at, notice.trigger, version),
    ]
    return official_document(plan, kind, summary, notice.drafted_at, blocks)


def regulation_in_force(plan: Plan, day: date) -> str:
    """The name of the regulation on portals the plan says is in force on `day`."""
    monitoring = plan.portal_monitoring
    if monitoring is None:
        return msg.REGULATION_UNKNOWN
    return monitoring.regulation_on(day).name


def drafted(plan: Plan) -> Drafting:
    assert plan.drafting is not None, "reporting runs only on a plan with a `drafting` section"
    return plan.drafting


def official_document(
    plan: Plan,
    kind: DraftedDocument,
    summary: str,
    drafted_at: datetime,
    blocks: list[Block],
    appendix: Appendix | None = None,
) -> OfficialDocument:
    drafting = drafted(plan)
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
        appendix=appendix,
    )


def findings_by_kind(plan: Plan, findings: Iterable[PortalFindings]) -> list[Block]:
    """One line per kind of problem with the portals it was found on."""
    return [
        Paragraph(
            msg.PORTAL_KIND_LINE.format(
                kind=msg.PROBLEM_LABELS[kind.kind],
                count=len(kind.units),
                units=unit_names(plan, kind.units),
            )
        )
        for kind in finding_kinds(findings)
    ]


def findings_table(
    plan: Plan,
    findings: tuple[PortalFindings, ...],
    widths: tuple[float, ...] = (12, 40, 63, 50),
) -> Table:
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
    return Table(msg.NOTICE_COLUMNS, tuple(rows), widths)


def _problem_text(problem: Problem) -> str:
    return f"- {msg.PROBLEM_LABELS[problem.kind]}: {problem.detail}".rstrip(": ")


def _evidence_text(problem: Problem) -> str:
    seen = format_vn_date_short(problem.seen_at.astimezone(TZ).date())
    return f"- {problem.evidence_url or ''} ({seen})".replace("-  (", "- (")


def draft_note(drafted_at: datetime, trigger: str, version: int) -> Paragraph:
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


def unit_names(plan: Plan, codes: Iterable[str]) -> str:
    return name_list(plan, codes)
