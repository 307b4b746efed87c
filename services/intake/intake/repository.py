"""Reading intake's tables through SQLAlchemy for the GET pages and the form's pre-fill
(filing requests, including their Idempotency-Key read, run on asyncpg: `store.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.db import evidence, report_versions, reports


@dataclass(frozen=True)
class ReportRow:
    report_id: UUID
    unit_code: str
    plan_year: int
    period: str
    reporter: str
    rule_code: str
    due_at: datetime
    first_submitted_at: datetime
    latest_version: int


@dataclass(frozen=True)
class VersionRow:
    report_id: UUID
    version_no: int
    submitted_at: datetime
    on_time: bool
    tasks: list[dict[str, Any]]
    analysis: str


@dataclass(frozen=True)
class ReportListing:
    """A report with its first version's timeliness and its latest version."""

    report: ReportRow
    first_on_time: bool
    latest: VersionRow


@dataclass(frozen=True)
class EvidenceRow:
    evidence_id: UUID
    unit_code: str
    task_code: str
    plan_year: int
    submitted_at: datetime
    url: str | None
    document_number: str | None
    issued_on: date | None
    title: str | None
    note: str


_REPORT_COLUMNS = (
    reports.c.report_id,
    reports.c.unit_code,
    reports.c.plan_year,
    reports.c.period,
    reports.c.reporter,
    reports.c.rule_code,
    reports.c.due_at,
    reports.c.first_submitted_at,
    reports.c.latest_version,
)
_VERSION_COLUMNS = (
    report_versions.c.report_id,
    report_versions.c.version_no,
    report_versions.c.submitted_at,
    report_versions.c.on_time,
    report_versions.c.tasks,
    report_versions.c.analysis,
)


# --- reports ----------------------------------------------------------------------------------


async def report_for_period(
    session: AsyncSession,
    unit_code: str,
    plan_year: int,
    period: str,
    reporter: str,
) -> ReportRow | None:
    query = select(*_REPORT_COLUMNS).where(
        reports.c.unit_code == unit_code,
        reports.c.plan_year == plan_year,
        reports.c.period == period,
        reports.c.reporter == reporter,
    )
    row = (await session.execute(query)).first()
    return ReportRow(*row) if row else None


async def report_by_id(session: AsyncSession, report_id: UUID) -> ReportRow | None:
    query = select(*_REPORT_COLUMNS).where(reports.c.report_id == report_id)
    row = (await session.execute(query)).first()
    return ReportRow(*row) if row else None


async def versions_of(session: AsyncSession, report_id: UUID) -> list[VersionRow]:
    rows = await session.execute(
        select(*_VERSION_COLUMNS)
        .where(report_versions.c.report_id == report_id)
        .order_by(report_versions.c.version_no)
    )
    return [VersionRow(*row) for row in rows]


async def list_reports(
    session: AsyncSession, unit_code: str | None, plan_year: int | None
) -> list[ReportListing]:
    """Reports (of one unit, or all) with their latest version, in due order."""
    latest = report_versions.alias("latest")
    first = report_versions.alias("first")
    query = (
        select(
            *_REPORT_COLUMNS,
            first.c.on_time,
            *(latest.c[column.name] for column in _VERSION_COLUMNS),
        )
        .join(
            latest,
            and_(
                latest.c.report_id == reports.c.report_id,
                latest.c.version_no == reports.c.latest_version,
            ),
        )
        .join(first, and_(first.c.report_id == reports.c.report_id, first.c.version_no == 1))
        .order_by(reports.c.due_at, reports.c.unit_code, reports.c.reporter)
    )
    if unit_code is not None:
        query = query.where(reports.c.unit_code == unit_code)
    if plan_year is not None:
        query = query.where(reports.c.plan_year == plan_year)
    listings = []
    report_width = len(_REPORT_COLUMNS)
    for row in await session.execute(query):
        values = tuple(row)
        listings.append(
            ReportListing(
                report=ReportRow(*values[:report_width]),
                first_on_time=bool(values[report_width]),
                latest=VersionRow(*values[report_width + 1 :]),
            )
        )
    return listings


# --- evidence ---------------------------------------------------------------------------------


async def list_evidence(
    session: AsyncSession, unit_code: str | None, plan_year: int | None
) -> list[EvidenceRow]:
    query = select(
        evidence.c.evidence_id,
        evidence.c.unit_code,
        evidence.c.task_code,
        evidence.c.plan_year,
        evidence.c.submitted_at,
        evidence.c.url,
        evidence.c.document_number,
        evidence.c.issued_on,
        evidence.c.title,
        evidence.c.note,
    ).order_by(evidence.c.submitted_at, evidence.c.evidence_id)
    if unit_code is not None:
        query = query.where(evidence.c.unit_code == unit_code)
    if plan_year is not None:
        query = query.where(evidence.c.plan_year == plan_year)
    return [EvidenceRow(**row._mapping) for row in await session.execute(query)]
