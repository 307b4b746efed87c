"""The parts of the plan file's schema: frozen Pydantic models, each field checked on its own.

The whole plan (`Plan`, in `plan.py`) is made of these; checks that look across the file
(references, uniqueness, sums) live in `consistency.py` and run once the whole plan has parsed.
Knowledge a service needs about a part (when a report is due, what scale a target is on) is a
method of that part, so it is computed in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from minhbach.periods import PeriodKind, ReportingPeriod, periods_of_kind
from minhbach.plan.types import (
    Code,
    DueMonth,
    Frozen,
    Level,
    Reporter,
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
    from minhbach.calendar import WorkingCalendar

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


# --- rules ------------------------------------------------------------------------------------


class ReportingRule(Frozen):
    """Who reports to whom, per period, due before a day ("before the 2nd" = by end of 1st).

    A quarter / half_year / nine_months rule is due before `due_before_day` of a month of its
    period (`due_month`: first, last, its number in the period) or of the month after it
    (`next`, the default: the seed's "tháng đầu tiên quý tiếp theo"). A yearly rule is due
    before a fixed date of the plan year (`due_before_day`/`due_before_month`). Periods and
    their names come from `minhbach.periods` (decision 0017).
    """

    code: Code
    reporter: Reporter
    period: PeriodKind
    due_before_day: int = Field(ge=1, le=31)
    due_before_month: int | None = Field(default=None, ge=1, le=12, validate_default=True)
    due_month: DueMonth | None = Field(default=None, validate_default=True)
    # Figures run from the day after this day of the month before the period to this day of
    # its last month (Decree 09/2019/NĐ-CP: 14); shown in reports, deadlines do not depend on it.
    data_cutoff_day: int | None = Field(default=None, ge=1, le=28)
    # The last quarter (or half) is not reported on its own: the annual report covers it.
    fold_last_into_year: bool = Field(default=False, validate_default=True)
    recipient: Code | tuple[Code, ...]
    text: Text | None = None

    @field_validator("due_before_month")
    @classmethod
    def _month_fits_period(cls, month: int | None, info: ValidationInfo) -> int | None:
        period = info.data.get("period")
        if period is None:
            return month
        if period != "year" and month is not None:
            raise ValueError(
                f"`due_before_month` is the fixed month of a yearly rule; a {period} rule is "
                "due in a month of its period: leave this null and write `due_month: next` "
                "(the month after the period, the default), `last`, `first` or the month's "
                "number in the period"
            )
        if period == "year" and month is None:
            raise ValueError(
                "a yearly rule is due before a fixed date of the plan year: write the month "
                "here and the day in `due_before_day` (for 'trước ngày 10/12': 10 and 12)"
            )
        day = info.data.get("due_before_day")
        if month is not None and day is not None:
            try:
                date(2024, month, day)  # a leap year, so 29/2 is accepted
            except ValueError:
                raise ValueError(f"day {day} does not exist in month {month}") from None
        return month

    @field_validator("due_month")
    @classmethod
    def _due_month_fits_period(
        cls, month: DueMonth | None, info: ValidationInfo
    ) -> DueMonth | None:
        period = info.data.get("period")
        if period is None:
            return month
        if period == "year":
            if month is not None:
                raise ValueError(
                    "a yearly rule is due on a fixed date: remove `due_month` and write "
                    "`due_before_day` and `due_before_month`"
                )
            return month
        length = ReportingPeriod(2024, periods_of_kind(period)[0]).length_months
        if isinstance(month, int) and not 1 <= month <= length:
            raise ValueError(
                f"a {period} has months 1..{length}: write one of them, `first`, `last`, or "
                "`next` for the month after the period"
            )
        day = info.data.get("due_before_day")
        if day is not None:
            missing = _missing_due_dates(period, month, day)
            if missing:
                raise ValueError(
                    f"day {day} does not exist in {missing}: use a day that every month the "
                    "rule falls in has (1..28 always does)"
                )
        return month

    @field_validator("fold_last_into_year")
    @classmethod
    def _fold_fits_period(cls, fold: bool, info: ValidationInfo) -> bool:
        period = info.data.get("period")
        if fold and period not in ("quarter", "half_year", None):
            raise ValueError(
                "only a quarter or half_year rule folds its last period (Q4, H2) into the "
                f"annual report; a {period} rule has none to fold: write false or remove it"
            )
        return fold

    @field_validator("recipient")
    @classmethod
    def _some_recipient(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        if isinstance(value, tuple) and not value:
            raise ValueError("name at least one unit the report is sent to")
        return value

    @property
    def recipients(self) -> tuple[str, ...]:
        """Every unit the report is sent to (`recipient` may name one or a list)."""
        return (self.recipient,) if isinstance(self.recipient, str) else self.recipient

    @property
    def periods(self) -> tuple[str, ...]:
        """The periods of a year reported under this rule: the quarters (Q1..Q3 when the last
        is folded into the annual report), the halves, M9, or the year."""
        codes = periods_of_kind(self.period)
        return codes[:-1] if self.fold_last_into_year else codes

    def periods_folded(self) -> str:
        """The period the annual report covers for this rule ("Q4", "H2"), or ""."""
        return periods_of_kind(self.period)[-1] if self.fold_last_into_year else ""

    @property
    def due_month_index(self) -> int:
        """The month of the period the deadline falls in, counted from 1; the period's length
        + 1 is the month after it. Not for a yearly rule (its date is fixed)."""
        length = ReportingPeriod(2024, periods_of_kind(self.period)[0]).length_months
        return _month_index(self.due_month, length)

    def due_before_date(self, year: int, period: str) -> date:
        """The day the report is due "before" ("trước ngày ..."), as the rule writes it."""
        if period not in self.periods:
            raise ValueError(f"rule {self.code!r} has no period {period!r}: {self.periods}")
        if self.period == "year":
            assert self.due_before_month is not None  # the field validator guarantees it
            return date(year, self.due_before_month, self.due_before_day)
        due_year, due_month = ReportingPeriod(year, period).month(self.due_month_index)
        return date(due_year, due_month, self.due_before_day)

    def due(self, calendar: WorkingCalendar, year: int, period: str) -> datetime:
        """The instant the report of `period` ("Q1".."Q4", "H1", "H2", "M9", "year") of `year`
        is due: 00:00 after the last permitted day before `due_before_date`, moved past days
        off (exclusive: on time iff submitted before it)."""
        return calendar.deadline_before_day(self.due_before_date(year, period))

    def last_day(self, calendar: WorkingCalendar, year: int, period: str) -> date:
        """The last day a report of `period` is on time (what a calendar shows)."""
        return calendar.last_permitted_day(self.due_before_date(year, period))

    def data_span(self, year: int, period: str) -> tuple[date, date] | None:
        """The days the period's figures cover, when the rule sets a data cut-off day."""
        if self.data_cutoff_day is None:
            return None
        return ReportingPeriod(year, period).data_span(self.data_cutoff_day)


def _month_index(month: DueMonth | None, length: int) -> int:
    if month is None or month == "next":
        return length + 1
    if month == "first":
        return 1
    if month == "last":
        return length
    return month


def _missing_due_dates(period: str, month: DueMonth | None, day: int) -> str | None:
    """The first month (as "month M") a periodic rule's day does not exist in, or None."""
    for year in (2023, 2024):  # a common year and a leap year
        for code in periods_of_kind(period):
            length = ReportingPeriod(year, code).length_months
            due_year, due_month = ReportingPeriod(year, code).month(_month_index(month, length))
            try:
                date(due_year, due_month, day)
            except ValueError:
                return f"month {due_month}"
    return None


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
