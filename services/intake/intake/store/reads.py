"""What the GET pages and the form's pre-fill read: reports, their versions, evidence."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from intake.db import SCHEMA
from minhbach.db.pg import Connection


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


_REPORT = (
    "r.report_id, r.unit_code, r.plan_year, r.period, r.reporter, r.rule_code, r.due_at, "
    "r.first_submitted_at, r.latest_version"
)
_REPORT_WIDTH = 9
_VERSION = "{v}.report_id, {v}.version_no, {v}.submitted_at, {v}.on_time, {v}.tasks, {v}.analysis"

REPORT_FOR_PERIOD = f"""
SELECT {_REPORT} FROM {SCHEMA}.reports r
WHERE r.unit_code = $1 AND r.plan_year = $2 AND r.period = $3 AND r.reporter = $4
"""
REPORT_BY_ID = f"SELECT {_REPORT} FROM {SCHEMA}.reports r WHERE r.report_id = $1"
VERSIONS_OF = f"""
SELECT {_VERSION.format(v="v")} FROM {SCHEMA}.report_versions v
WHERE v.report_id = $1 ORDER BY v.version_no
"""
LIST_REPORTS = f"""
SELECT {_REPORT}, first.on_time, {_VERSION.format(v="latest")}
FROM {SCHEMA}.reports r
JOIN {SCHEMA}.report_versions latest
  ON latest.report_id = r.report_id AND latest.version_no = r.latest_version
JOIN {SCHEMA}.report_versions first ON first.report_id = r.report_id AND first.version_no = 1
WHERE ($1::text IS NULL OR r.unit_code = $1) AND ($2::integer IS NULL OR r.plan_year = $2)
ORDER BY r.due_at, r.unit_code, r.reporter
"""
LIST_EVIDENCE = f"""
SELECT evidence_id, unit_code, task_code, plan_year, submitted_at, url, document_number,
       issued_on, title, note
FROM {SCHEMA}.evidence
WHERE ($1::text IS NULL OR unit_code = $1) AND ($2::integer IS NULL OR plan_year = $2)
ORDER BY submitted_at, evidence_id
"""


def _version(values: tuple[Any, ...]) -> VersionRow:
    report_id, version_no, submitted_at, on_time, tasks, analysis = values
    return VersionRow(report_id, version_no, submitted_at, on_time, json.loads(tasks), analysis)


async def report_for_period(
    connection: Connection, unit_code: str, plan_year: int, period: str, reporter: str
) -> ReportRow | None:
    row = await connection.fetchrow(REPORT_FOR_PERIOD, unit_code, plan_year, period, reporter)
    return ReportRow(*row) if row else None


async def report_by_id(connection: Connection, report_id: UUID) -> ReportRow | None:
    row = await connection.fetchrow(REPORT_BY_ID, report_id)
    return ReportRow(*row) if row else None


async def versions_of(connection: Connection, report_id: UUID) -> list[VersionRow]:
    return [_version(tuple(row)) for row in await connection.fetch(VERSIONS_OF, report_id)]


async def list_reports(
    connection: Connection, unit_code: str | None, plan_year: int | None
) -> list[ReportListing]:
    """Reports (of one unit, or all) with their latest version, in due order."""
    listings = []
    for row in await connection.fetch(LIST_REPORTS, unit_code, plan_year):
        values = tuple(row)
        listings.append(
            ReportListing(
                report=ReportRow(*values[:_REPORT_WIDTH]),
                first_on_time=bool(values[_REPORT_WIDTH]),
                latest=_version(values[_REPORT_WIDTH + 1 :]),
            )
        )
    return listings


async def list_evidence(
    connection: Connection, unit_code: str | None, plan_year: int | None
) -> list[EvidenceRow]:
    return [
        EvidenceRow(*row) for row in await connection.fetch(LIST_EVIDENCE, unit_code, plan_year)
    ]
