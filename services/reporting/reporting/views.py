"""What the coordinator's page shows, read from reporting's own tables: the current period at a
glance, one unit's history, the drafts. Shared by the HTML page and the JSON API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from minhbach.db.unit_of_work import Session
from minhbach.plan import Plan
from reporting import store
from reporting.domain.consolidated import ConsolidatedReport, consolidated_report
from reporting.domain.facts import FiledReport
from reporting.domain.inspection import PortalFindings, portal_findings
from reporting.domain.schedule import ReportPeriod, current_period, report_periods


@dataclass(frozen=True)
class Overview:
    period: ReportPeriod | None
    report: ConsolidatedReport | None  # the period's figures as a report would say them now
    portals: tuple[PortalFindings, ...]  # every probed portal's newest findings
    drafts: tuple[store.DraftRow, ...]
    unchecked: tuple[str, ...] = ()  # portals never probed: "chưa kiểm tra", never failed


async def overview(session: Session, plan: Plan, now: datetime) -> Overview:
    periods = report_periods(plan, plan.working_calendar())
    period = current_period(periods, now)
    probes = await store.latest_round_probes(session)
    report = None
    if period is not None:
        reports = await store.period_reports(session, period.plan_year, period.period)
        lead = [r for r in reports if r.reporter == "lead_units"]
        figures = await store.latest_figures(session)
        report = consolidated_report(plan, period, lead, figures, probes, now, "")
    order = {u.code: i for i, u in enumerate(plan.units)}
    portals = sorted(portal_findings(probes, ()), key=lambda f: order.get(f.unit_code, 0))
    drafts = await store.list_drafts(session)
    probed = {p.portal_unit_code for p in probes}
    unchecked = tuple(u.code for u in plan.portal_units() if u.code not in probed)
    return Overview(period, report, tuple(portals), tuple(drafts), unchecked)


@dataclass(frozen=True)
class UnitHistory:
    unit_code: str
    reports: tuple[FiledReport, ...]  # newest period first
    portal: PortalFindings | None
    documents: tuple[store.ListedDocument, ...] = ()  # found on its portal, newest first


async def unit_history(session: Session, unit_code: str) -> UnitHistory:
    reports = sorted(
        await store.unit_reports(session, unit_code),
        key=lambda r: r.submitted_at,
        reverse=True,
    )
    probes = [
        p for p in await store.latest_round_probes(session) if p.portal_unit_code == unit_code
    ]
    findings = portal_findings(probes, ())
    documents = await store.unit_documents(session, unit_code)
    return UnitHistory(
        unit_code, tuple(reports), findings[0] if findings else None, tuple(documents)
    )
