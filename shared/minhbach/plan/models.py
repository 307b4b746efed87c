"""The parts of the plan file's schema: frozen Pydantic models, each field checked on its own.

The whole plan (`Plan`, in `plan.py`) is made of these; checks that look across the file
(references, uniqueness, sums) live in `consistency.py` and run once the whole plan has parsed.
Knowledge a service needs about a part (when a report is due, what scale a target is on) is a
method of that part, so it is computed in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from minhbach.plan.types import (
    Code,
    Frozen,
    Level,
    TaskCode,
    Text,
    TimingKind,
    UnitKind,
    Weight,
    WorkingDays,
    check_email,
    check_http_url,
)

if TYPE_CHECKING:
    pass


# Sub-index scores are out of 10 points; shares are percentages.
_TARGET_RANGES: Mapping[str, tuple[float, float]] = {"points": (0.0, 10.0), "percent": (0.0, 100.0)}


# --- metadata ---------------------------------------------------------------------------------


class Target(Frozen):
    """A goal for a score: `value` in `unit`, met when score `comparison` value."""

    unit: Literal["points", "percent"]
    value: float
    comparison: Literal[">=", "<="] = ">="
    text: Text | None = None  # the plan's own words, e.g. "trên hoặc bằng 50,6%"

    @field_validator("value")
    @classmethod
    def _in_range(cls, value: float, info: ValidationInfo) -> float:
        unit = info.data.get("unit")
        if isinstance(unit, str) and unit in _TARGET_RANGES:
            low, high = _TARGET_RANGES[unit]
            if not low <= value <= high:
                raise ValueError(f"a target in {unit} must lie between {low:g} and {high:g}")
        return value

    def is_met(self, score: float) -> bool:
        return score >= self.value if self.comparison == ">=" else score <= self.value

    @property
    def scale(self) -> float:
        """The full score of the target's unit: 10 points, or 100 percent."""
        return _TARGET_RANGES[self.unit][1]

    @property
    def share(self) -> float:
        """The target as a share of the full score (0..1), comparable with readiness."""
        return self.value / self.scale

    def is_met_by_share(self, share: float) -> bool:
        """Whether a readiness `share` (0..1) meets the target on the target's own scale."""
        return self.is_met(share * self.scale)


class IssuedDocument(Frozen):
    """The plan's own number and date; the seed leaves both blank."""

    number: Text | None = None
    symbol: Text
    issued_on: date | None = None
    issued_month: int | None = Field(default=None, ge=1, le=12)


class Signer(Frozen):
    name: Text
    title: Text


class ReferencedPlan(Frozen):
    number: Text
    date: date
    issuer: Text
    title: Text


class Meta(Frozen):
    title: Text
    # The level of government whose plan this is, and its name without the level's noun
    # ("Lục Nam", "Bắc Ninh", "Tân Kỳ"): every word people read about it is derived from these.
    level: Level
    locality: Text
    province: Text | None = None  # the province a commune, ward or district lies in
    year: int = Field(ge=2000, le=2100)
    issuer: Text
    document: IssuedDocument
    signer: Signer
    references: tuple[ReferencedPlan, ...] = ()
    timezone: Text
    effective_from: date
    overall_target: Target

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Roles(Frozen):
    focal_unit: Code
    chairman: Code
    vice_chairman_in_charge: Code


# --- units ------------------------------------------------------------------------------------


class Unit(Frozen):
    code: Code
    name: Text
    kind: UnitKind
    email: Annotated[str, BeforeValidator(str.strip)]
    portal: str | None = None
    person: Text | None = None
    note: Text | None = None

    _email = field_validator("email")(check_email)

    @field_validator("portal")
    @classmethod
    def _portal_url(cls, value: str | None) -> str | None:
        return None if value is None else check_http_url(value)


class UnitGroup(Frozen):
    """A name tasks use for many units: every unit of `kinds`, plus `members`."""

    code: Code
    name: Text
    kinds: tuple[UnitKind, ...] = ()
    members: tuple[Code, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> UnitGroup:
        if not self.kinds and not self.members:
            raise ValueError("a group needs `kinds` or `members`")
        return self


# --- catalogues -------------------------------------------------------------------------------


class DocumentKindEntry(Frozen):
    code: Code
    name: Text


class PortalSection(Frozen):
    code: Code
    name: Text
    document_kinds: tuple[Code, ...] = ()
    required_by: Text
    required_on: tuple[UnitKind, ...] = ()


class ReferenceLink(Frozen):
    code: Code
    name: Text
    url: str

    _url = field_validator("url")(check_http_url)


class ReadinessSignal(Frozen):
    code: Code
    name: Text  # Vietnamese, shown in reports
    description: Text  # English, for operators


# --- indicators and tasks ---------------------------------------------------------------------


class Indicator(Frozen):
    number: int = Field(ge=1, le=99)
    title: Text
    target: Target | None  # required key: write `target: null` where the plan sets none
    tasks: tuple[TaskCode, ...] = Field(min_length=1)
    readiness_weights: dict[Code, Weight] = Field(min_length=1)

    def __hash__(self) -> int:  # the weights dict would make the generated hash fail
        weights = frozenset(self.readiness_weights.items())
        return hash((self.number, self.title, self.target, self.tasks, weights))


class Timing(Frozen):
    kind: TimingKind
    text: Text  # the plan's words, e.g. "Thường xuyên (Sau khi văn bản ban hành)"
    within_working_days: WorkingDays | None = None  # after_issue / on_change
    deadline: date | None = None  # fixed_deadline: the last day the task may be done

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Timing:
        if self.kind == "fixed_deadline" and self.deadline is None:
            raise ValueError("a fixed_deadline timing needs `deadline`")
        if self.kind != "fixed_deadline" and self.deadline is not None:
            raise ValueError(f"`deadline` only belongs to fixed_deadline timing, not {self.kind}")
        if self.kind in ("ongoing", "fixed_deadline") and self.within_working_days is not None:
            raise ValueError(
                f"`within_working_days` only belongs to after_issue/on_change, not {self.kind}"
            )
        return self

    @property
    def is_event_driven(self) -> bool:
        """Due a set number of working days after a document is issued or a rule changes."""
        return self.kind in ("after_issue", "on_change")


class Task(Frozen):
    code: TaskCode
    indicator: int = Field(ge=1)
    text: Text
    lead: tuple[Code, ...] = Field(min_length=1)  # unit or group codes, as written
    supporting: tuple[Code, ...] = ()
    supporting_role: Text | None = None  # e.g. "đôn đốc, hướng dẫn và kiểm tra việc thực hiện"
    timing: Timing
    merged_cells_from: TaskCode | None = None
    document_kinds: tuple[Code, ...] = ()
    portal_sections: tuple[Code, ...] = ()


class EscalationStep(Frozen):
    after_overdue_working_days: WorkingDays
    notify: Code


class Escalation(Frozen):
    """Reminders before a due date, a notice when late, then escalation up the ladder."""

    reminders_before_due_working_days: tuple[WorkingDays, ...] = ()
    overdue_notice_after_working_days: int = Field(ge=0, le=365)
    steps: tuple[EscalationStep, ...] = ()

    @field_validator("reminders_before_due_working_days")
    @classmethod
    def _reminders_descending(cls, offsets: tuple[int, ...]) -> tuple[int, ...]:
        if any(a <= b for a, b in pairwise(offsets)):
            raise ValueError("reminder offsets must be strictly decreasing, e.g. [7, 3, 1]")
        return offsets

    @field_validator("steps")
    @classmethod
    def _steps_ascending(
        cls, steps: tuple[EscalationStep, ...], info: ValidationInfo
    ) -> tuple[EscalationStep, ...]:
        days = [step.after_overdue_working_days for step in steps]
        if any(a >= b for a, b in pairwise(days)):
            raise ValueError("escalation steps must come at strictly increasing days overdue")
        notice = info.data.get("overdue_notice_after_working_days")
        if days and notice is not None and days[0] <= notice:
            raise ValueError("the first escalation must come after the overdue notice")
        return steps


class DatedReason(Frozen):
    date: date
    reason: Text


class CalendarOverrides(Frozen):
    """Days the plan adds on top of Vietnam's public holidays (the `holidays` package)."""

    extra_holidays: tuple[DatedReason, ...] = ()
    extra_working_days: tuple[DatedReason, ...] = ()

    @property
    def extra_holiday_dates(self) -> frozenset[date]:
        return frozenset(entry.date for entry in self.extra_holidays)

    @property
    def extra_working_day_dates(self) -> frozenset[date]:
        return frozenset(entry.date for entry in self.extra_working_days)
