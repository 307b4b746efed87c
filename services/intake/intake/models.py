"""The shapes of intake's API: what units send and what they read back (the OpenAPI document).

These check form only (types, lengths, choices); the plan's rules live in `domain.py`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from intake.domain import PeriodStatusCode, Reporter
from minhbach.calendar import FIRST_PLAN_YEAR, LAST_PLAN_YEAR
from minhbach.events.catalogue import EvidenceRef, Period, TaskReport, TaskStatus

MAX_TEXT = 10_000
MAX_ANALYSIS = 50_000
MAX_EVIDENCE_PER_TASK = 50
MAX_TASKS = 200


NO_NUL = "^[^\\x00]*$"


def _limits(max_length: int, min_length: int = 0) -> StringConstraints:
    # PostgreSQL stores no NUL character (JSON allows it): refused here, by pydantic's own regex
    # (no Python call per string). Lone surrogates pydantic refuses by itself.
    return StringConstraints(
        strip_whitespace=True, max_length=max_length, min_length=min_length, pattern=NO_NUL
    )


ShortText = Annotated[str, _limits(500, min_length=1)]
LongText = Annotated[str, _limits(MAX_TEXT)]
TaskCodeText = Annotated[str, _limits(16, min_length=1)]
UrlText = Annotated[str, _limits(2000, min_length=1)]
DocumentNumberText = Annotated[str, _limits(100, min_length=1)]
AnalysisText = Annotated[str, _limits(MAX_ANALYSIS)]
PlanYear = Annotated[int, Field(ge=FIRST_PLAN_YEAR, le=LAST_PLAN_YEAR)]


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# The two parts of a report subclass the event's own models (minhbach.events.catalogue): an
# accepted report's tasks go into ReportSubmitted as they are, without being copied.


class EvidenceIn(EvidenceRef):
    """A posted document: its address on a portal and/or its number, date of issue and title."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: UrlText | None = None
    document_number: DocumentNumberText | None = Field(default=None, examples=["113/KH-UBND"])
    issued_on: date | None = None
    title: ShortText | None = None


class TaskReportIn(TaskReport):
    model_config = ConfigDict(frozen=True, extra="forbid")

    task_code: TaskCodeText = Field(examples=["1.1"])
    status: TaskStatus
    work_done: LongText = ""
    evidence: tuple[EvidenceIn, ...] = Field(default=(), max_length=MAX_EVIDENCE_PER_TASK)
    difficulties: LongText = Field(
        default="", description="Shortcomings and difficulties; required when not done (the why)."
    )
    proposals: LongText = ""


class ReportIn(_Input):
    """A quarterly or annual report: every task the unit leads, and an honest analysis."""

    plan_year: PlanYear
    period: Period
    reporter: Reporter = Field(
        default="lead_units",
        description="lead_units: the unit's own report; focal_unit: the consolidated report.",
    )
    tasks: list[TaskReportIn] = Field(max_length=MAX_TASKS)
    analysis: AnalysisText = ""


class EvidenceFilingIn(_Input):
    """Evidence for one task, filed at any time."""

    task_code: TaskCodeText
    plan_year: PlanYear
    evidence: EvidenceIn
    note: LongText = ""


# --- what comes back --------------------------------------------------------------------------


class FieldErrorOut(BaseModel):
    field: str
    message: str


class ErrorsOut(BaseModel):
    errors: list[FieldErrorOut]


class ReportReceipt(BaseModel):
    """What a unit gets back for an accepted report or amendment."""

    report_id: UUID
    version_no: int
    unit_code: str
    plan_year: int
    period: Period
    reporter: Reporter
    submitted_at: datetime
    first_submitted_at: datetime
    due_at: datetime = Field(description="Exclusive: on time iff submitted_at < due_at.")
    on_time: bool
    not_done_task_codes: list[str]
    message: str


class TaskReportOut(BaseModel):
    task_code: str
    status: TaskStatus
    work_done: str
    evidence: list[EvidenceRef]
    difficulties: str
    proposals: str


class ReportVersionOut(BaseModel):
    report_id: UUID
    version_no: int
    submitted_at: datetime
    on_time: bool
    tasks: list[TaskReportOut]
    analysis: str


class ReportSummary(BaseModel):
    report_id: UUID
    unit_code: str
    plan_year: int
    period: Period
    reporter: Reporter
    due_at: datetime
    first_submitted_at: datetime
    first_on_time: bool = Field(description="Whether version 1 came in before the deadline.")
    latest_version: int
    latest_submitted_at: datetime
    latest_on_time: bool
    not_done_task_codes: list[str]
    missing_task_codes: list[str] = Field(
        description="Tasks the unit leads now that the latest version does not cover."
    )


class ReportDetail(ReportSummary):
    versions: list[ReportVersionOut]


class PeriodStatus(BaseModel):
    period: Period
    reporter: Reporter
    due_at: datetime
    status: PeriodStatusCode
    label: str
    report_id: UUID | None = None
    latest_version: int | None = None
    not_done_task_codes: list[str] = []
    missing_task_codes: list[str] = []


class UnitStatus(BaseModel):
    unit_code: str
    unit_name: str
    plan_year: int
    as_of: datetime
    periods: list[PeriodStatus]


class TaskOut(BaseModel):
    code: str
    indicator: int
    text: str
    timing: str


class UnitOut(BaseModel):
    unit_code: str
    unit_name: str
    is_focal_unit: bool
    plan_year: int
    led_tasks: list[TaskOut]
    supported_tasks: list[TaskOut]


class EvidenceReceipt(BaseModel):
    evidence_id: UUID
    unit_code: str
    task_code: str
    plan_year: int
    submitted_at: datetime
    evidence: EvidenceRef
    note: str
    message: str
