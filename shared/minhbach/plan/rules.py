"""A reporting rule: who reports which periods to whom, and when each is due (decision 0017)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import Field, ValidationInfo, field_validator

from minhbach.periods import PeriodKind, ReportingPeriod, periods_of_kind
from minhbach.plan.types import (
    Code,
    DueMonth,
    Frozen,
    Reporter,
    Text,
)

if TYPE_CHECKING:
    from minhbach.calendar import WorkingCalendar


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
