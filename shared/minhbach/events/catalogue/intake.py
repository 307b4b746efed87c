"""Intake's events: a unit filed a report (a version of it) or evidence."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from minhbach.events.base import Event
from minhbach.events.catalogue.parts import Part
from minhbach.periods import PeriodCode


class TaskStatus(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


class EvidenceRef(Part):
    url: str | None = None
    document_number: str | None = None
    issued_on: date | None = None
    title: str | None = None


class TaskReport(Part):
    task_code: str
    status: TaskStatus
    work_done: str = ""
    evidence: tuple[EvidenceRef, ...] = ()
    difficulties: str = ""
    proposals: str = ""


# A reporting period's code (minhbach.periods): Q1..Q4, H1, H2, M9 (nine months), year.
Period = PeriodCode


class ReportSubmitted(Event):
    """A unit filed (or amended) a periodic report (a quarter, half year, nine months, year)."""

    subject = "intake.report.submitted"

    report_id: UUID
    version_no: int
    unit_code: str
    plan_year: int
    period: Period
    submitted_at: datetime
    due_at: datetime
    on_time: bool
    tasks: tuple[TaskReport, ...]
    analysis: str = ""
    # Intake: which reporting rule the report answers ("lead_units": a lead unit's own report;
    # "focal_unit": the focal unit's consolidated report to the chairman), and when version 1
    # came in (a late amendment of an on-time report keeps its first submission visible).
    reporter: Literal["lead_units", "focal_unit"] = "lead_units"
    rule_code: str | None = None
    first_submitted_at: datetime | None = None


class EvidenceSubmitted(Event):
    """A unit filed evidence for one task (a posted document's URL, number, date of issue)."""

    subject = "intake.evidence.submitted"

    evidence_id: UUID
    unit_code: str
    task_code: str
    plan_year: int
    submitted_at: datetime
    evidence: EvidenceRef
    note: str = ""
