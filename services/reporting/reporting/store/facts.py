"""The stored facts a draft is made of: reports of a period, figures now and then, probes of a
round, documents seen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.events.catalogue import (
    CheckResult,
    ProbeOutcome,
    Signal,
    TaskReport,
)
from reporting.db import (
    documents,
    figure_history,
    figures,
    probes,
    reports,
)
from reporting.domain.facts import (
    Figure,
    FiledReport,
    PostedDocument,
    Probe,
)

DRAFTING_LOCK = "reporting-drafting"


async def period_reports(session: AsyncSession, plan_year: int, period: str) -> list[FiledReport]:
    c = reports.c
    rows = await session.execute(
        select(reports).where(c.plan_year == plan_year, c.period == period).order_by(c.unit_code)
    )
    return [
        FiledReport(
            report_id=r.report_id,
            version_no=r.version_no,
            event_id=r.event_id,
            unit_code=r.unit_code,
            period=r.period,
            reporter=r.reporter,
            submitted_at=r.submitted_at,
            first_submitted_at=r.first_submitted_at,
            due_at=r.due_at,
            tasks=tuple(TaskReport.model_validate(t) for t in r.tasks),
            analysis=r.analysis,
            plan_year=r.plan_year,
        )
        for r in rows
    ]


async def unit_reports(session: AsyncSession, unit_code: str) -> list[FiledReport]:
    rows = await session.execute(
        select(reports.c.plan_year, reports.c.period)
        .where(reports.c.unit_code == unit_code)
        .distinct()
    )
    found: list[FiledReport] = []
    for year, period in rows.all():
        found += [
            r for r in await period_reports(session, year, period) if r.unit_code == unit_code
        ]
    return found


async def latest_figures(session: AsyncSession) -> dict[int, Figure]:
    rows = await session.execute(select(figures))
    return {r.indicator: _figure(r) for r in rows}


async def figures_as_of(session: AsyncSession, instant: datetime) -> dict[int, Figure]:
    """Each indicator's figure as last announced at `instant` (none before its first)."""
    h = figure_history.c
    rows = await session.execute(
        select(figure_history)
        .where(h.computed_at <= instant)
        .ext(distinct_on(h.indicator))
        .order_by(h.indicator, h.computed_at.desc(), h.event_at.desc())
    )
    return {r.indicator: _figure(r) for r in rows}


def _figure(r: Any) -> Figure:
    return Figure(
        indicator=r.indicator,
        readiness=r.readiness,
        signals=tuple(Signal.model_validate(s) for s in r.signals),
        computed_at=r.computed_at,
        event_id=r.event_id,
    )


async def round_probes(session: AsyncSession, round_key: str) -> list[Probe]:
    rows = await session.execute(select(probes).where(probes.c.round_key == round_key))
    return [_probe(r) for r in rows]


async def latest_round_probes(session: AsyncSession) -> list[Probe]:
    """The newest probe of each portal, whatever its round."""
    rows = await session.execute(
        select(probes)
        .ext(distinct_on(probes.c.portal_unit_code))
        .order_by(probes.c.portal_unit_code, probes.c.finished_at.desc())
    )
    return [_probe(r) for r in rows]


def _probe(r: Any) -> Probe:
    return Probe(
        portal_unit_code=r.portal_unit_code,
        portal_url=r.portal_url,
        finished_at=r.finished_at,
        outcome=ProbeOutcome(r.outcome),
        checks=tuple(CheckResult.model_validate(c) for c in r.checks),
        event_id=r.event_id,
    )


async def probed_rounds(session: AsyncSession) -> list[str]:
    rows = await session.execute(select(probes.c.round_key).distinct().order_by(probes.c.round_key))
    return list(rows.scalars())


async def documents_seen(
    session: AsyncSession, since: datetime, until: datetime
) -> list[PostedDocument]:
    c = documents.c
    rows = await session.execute(
        select(documents).where(c.first_seen_at >= since, c.first_seen_at < until)
    )
    return [
        PostedDocument(
            document_id=r.document_id,
            portal_unit_code=r.portal_unit_code,
            url=r.url,
            title=r.title,
            section=r.section,
            kind=r.kind,
            issued_on=r.issued_on,
            first_seen_at=r.first_seen_at,
            full_text_available=r.full_text_available,
            posted_on_time=r.posted_on_time,
            not_directive=r.not_directive,
            event_id=r.event_id,
            no_full_text=r.no_full_text,
        )
        for r in rows
    ]
