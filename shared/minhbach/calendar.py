"""Vietnam's working-day calendar and deadline arithmetic, in Asia/Ho_Chi_Minh.

A working day is Monday to Friday, less public holidays, with the government's swapped days
applied (a weekday given off in exchange for a Saturday worked). Public holidays come from the
`holidays` package (it knows lunar Tết, Hùng Kings' day and the statutory observed days);
`OFFICIAL_ADJUSTMENTS` pins the official decisions for the years the plan covers, so those years
do not depend on the package version; a plan may add its own days off or working days.

Deadlines follow the Civil Code 2015 (Bộ luật Dân sự), Articles 147-148:
- a period counted in days starts the day after the event (the event day is not counted);
- a period ends at 24:00 of its last day;
- a last day that is a day off moves to the next working day.
Deadlines are returned as exclusive instants (00:00 local of the following day), so
`submitted_at < due_at` means on time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo

import holidays

TZ: Final = ZoneInfo("Asia/Ho_Chi_Minh")

# The `holidays` package computes Vietnam's lunar dates only up to 2100.
MIN_YEAR: Final = 2000
MAX_YEAR: Final = 2100

# A plan's year can be served when the years next to it are known too: its last deadlines fall in
# the next year and its first reminders may count back into the previous one. An API answers a
# year outside this range with a 4xx (never a CalendarRangeError, which would be a 500).
FIRST_PLAN_YEAR: Final = MIN_YEAR + 1
LAST_PLAN_YEAR: Final = MAX_YEAR - 1

_ONE_DAY: Final = timedelta(days=1)
_SATURDAY: Final = 5


class DayKind(StrEnum):
    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"


class CalendarRangeError(ValueError):
    """A date outside the years the calendar knows (MIN_YEAR..MAX_YEAR)."""


# Official holiday arrangements for officials and public employees (cán bộ, công chức, viên
# chức), the people this system deals with. Every weekday off and every weekend day worked of
# 2024, 2025 and 2026 is listed, so those years are exact whatever the package version says:
# - Labour Code 2019 (Bộ luật Lao động), Art. 112: the statutory days (1/1, 5 days of Tết,
#   10/3 lunar, 30/4, 1/5, 2/9 plus 1/9 or 3/9), with Art. 111(3) for weekend compensation;
# - Thông báo 5015/TB-LĐTBXH (22/11/2023): Tết 2024 off 08/02-14/02/2024; National Day 2024
#   off 31/8-03/9/2024;
# - Công văn 2450/VPCP-KGVX (12/4/2024): Mon 29/4/2024 off, worked on Sat 04/5/2024;
# - Thông báo 6150/TB-BLĐTBXH (03/12/2024), after Công văn 8726/VPCP-KGVX (26/11/2024):
#   Tết 2025 off 25/01-02/02/2025; 30/4-04/5/2025 off with Fri 02/5/2025 worked on Sat
#   26/4/2025; National Day 2025 off 30/8-02/9/2025;
# - Công văn 12729/VPCP-KGVX (25/12/2025): 01/01-04/01/2026 off, Fri 02/1/2026 worked on Sat
#   10/1/2026; Thông báo 9441/TB-BNV (16/10/2025): Tết 2026 off 16/02-20/02/2026, National
#   Day 2026 (29/8-02/9/2026, Mon 31/8 worked on Sat 22/8: see decision 0001, to verify).
# Later years rely on the package plus the plan's overrides: add a year's rows here when its
# notices are published (the package lists swapped days off but not the Saturdays worked).
_LABOUR_CODE: Final = "Bộ luật Lao động 2019, Điều 112"
_TB_5015: Final = "Thông báo 5015/TB-LĐTBXH ngày 22/11/2023"
_CV_2450: Final = "Công văn 2450/VPCP-KGVX ngày 12/4/2024"
_TB_6150: Final = "Thông báo 6150/TB-BLĐTBXH ngày 03/12/2024"
_CV_12729: Final = "Công văn 12729/VPCP-KGVX ngày 25/12/2025"
_TB_9441: Final = "Thông báo 9441/TB-BNV ngày 16/10/2025"

OFFICIAL_ADJUSTMENTS: Final[Mapping[date, tuple[DayKind, str]]] = MappingProxyType(
    {
        # 2024
        date(2024, 1, 1): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2024, 2, 8): (DayKind.DAY_OFF, _TB_5015),
        date(2024, 2, 9): (DayKind.DAY_OFF, _TB_5015),
        date(2024, 2, 12): (DayKind.DAY_OFF, _TB_5015),
        date(2024, 2, 13): (DayKind.DAY_OFF, _TB_5015),
        date(2024, 2, 14): (DayKind.DAY_OFF, _TB_5015),
        date(2024, 4, 18): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2024, 4, 29): (DayKind.DAY_OFF, _CV_2450),
        date(2024, 4, 30): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2024, 5, 1): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2024, 5, 4): (DayKind.WORKING_DAY, _CV_2450),
        date(2024, 9, 2): (DayKind.DAY_OFF, _TB_5015),
        date(2024, 9, 3): (DayKind.DAY_OFF, _TB_5015),
        # 2025
        date(2025, 1, 1): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2025, 1, 27): (DayKind.DAY_OFF, _TB_6150),
        date(2025, 1, 28): (DayKind.DAY_OFF, _TB_6150),
        date(2025, 1, 29): (DayKind.DAY_OFF, _TB_6150),
        date(2025, 1, 30): (DayKind.DAY_OFF, _TB_6150),
        date(2025, 1, 31): (DayKind.DAY_OFF, _TB_6150),
        date(2025, 4, 7): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2025, 4, 26): (DayKind.WORKING_DAY, _TB_6150),
        date(2025, 4, 30): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2025, 5, 1): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2025, 5, 2): (DayKind.DAY_OFF, _TB_6150),
        date(2025, 9, 1): (DayKind.DAY_OFF, _TB_6150),
        date(2025, 9, 2): (DayKind.DAY_OFF, _TB_6150),
        # 2026 (docs/decisions/0001: what was confirmed, what was not)
        date(2026, 1, 1): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2026, 1, 2): (DayKind.DAY_OFF, _CV_12729),
        date(2026, 1, 10): (DayKind.WORKING_DAY, _CV_12729),
        date(2026, 2, 16): (DayKind.DAY_OFF, _TB_9441),
        date(2026, 2, 17): (DayKind.DAY_OFF, _TB_9441),
        date(2026, 2, 18): (DayKind.DAY_OFF, _TB_9441),
        date(2026, 2, 19): (DayKind.DAY_OFF, _TB_9441),
        date(2026, 2, 20): (DayKind.DAY_OFF, _TB_9441),
        date(2026, 4, 27): (DayKind.DAY_OFF, _LABOUR_CODE),  # Hùng Kings' day (Sun 26/4) made up
        date(2026, 4, 30): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2026, 5, 1): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2026, 8, 22): (DayKind.WORKING_DAY, _TB_9441),
        date(2026, 8, 31): (DayKind.DAY_OFF, _TB_9441),
        date(2026, 9, 1): (DayKind.DAY_OFF, _LABOUR_CODE),
        date(2026, 9, 2): (DayKind.DAY_OFF, _LABOUR_CODE),
    }
)

# Years whose swapped days are pinned above. Another year is decided by the `holidays` package
# alone (its make-up Saturdays would count as days off): `minhbach plan validate` warns, and
# services export `minhbach_calendar_official_table{year}` = 0.
OFFICIAL_TABLE_YEARS: Final = frozenset(day.year for day in OFFICIAL_ADJUSTMENTS)


def has_official_table(year: int) -> bool:
    return year in OFFICIAL_TABLE_YEARS


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarRangeError(f"no working-day calendar for {year} ({MIN_YEAR}..{MAX_YEAR})")


def _days_of_year(year: int) -> Iterable[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += _ONE_DAY


@functools.cache
def official_days_off(year: int) -> frozenset[date]:
    """Weekends and public holidays of `year` after the official swaps, without plan overrides."""
    _check_year(year)
    # Neighbouring years too, in case an observed day crosses New Year.
    package = holidays.country_holidays("VN", years=range(year - 1, year + 2))
    days_off = {d for d in _days_of_year(year) if d.weekday() >= _SATURDAY or d in package}
    for day, (kind, _source) in OFFICIAL_ADJUSTMENTS.items():
        if day.year == year:
            if kind is DayKind.DAY_OFF:
                days_off.add(day)
            else:
                days_off.discard(day)
    return frozenset(days_off)


def warm_up(plan_year: int) -> None:
    """Compute the plan year and its neighbours now. The `holidays` package's first use takes
    seconds (more on a loaded machine: a fuzzed request once took over 10 s); a service pays it
    before it serves rather than in a unit's request."""
    for year in range(max(MIN_YEAR, plan_year - 1), min(MAX_YEAR, plan_year + 1) + 1):
        official_days_off(year)


@dataclass(frozen=True, slots=True)
class _YearTable:
    """One year's working days, indexed for O(1) membership and rank look-ups."""

    jan1_ordinal: int
    days_off: frozenset[date]
    working_days: tuple[date, ...]  # ascending
    rank: tuple[int, ...]  # rank[i]: working days from 1 January through day i, inclusive

    @classmethod
    def build(cls, year: int, days_off: frozenset[date]) -> _YearTable:
        working_days: list[date] = []
        rank: list[int] = []
        for day in _days_of_year(year):
            if day not in days_off:
                working_days.append(day)
            rank.append(len(working_days))
        return cls(date(year, 1, 1).toordinal(), days_off, tuple(working_days), tuple(rank))

    def rank_of(self, day: date) -> int:
        return self.rank[day.toordinal() - self.jan1_ordinal]


def _require_date(day: date) -> None:
    # A datetime is a date subclass but never equals one: it would look like a working day.
    if isinstance(day, datetime):
        raise TypeError("expected a date, got a datetime; use local_date() first")


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Vietnam's working days, with a plan's extra days off and extra working days.

    The two override sets must be disjoint; they win over the official calendar.
    """

    extra_holidays: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    _tables: dict[int, _YearTable] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        # Accept any set-like input at run time while keeping the instance hashable.
        object.__setattr__(self, "extra_holidays", frozenset(self.extra_holidays))
        object.__setattr__(self, "extra_working_days", frozenset(self.extra_working_days))
        both = self.extra_holidays & self.extra_working_days
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"dates both extra holidays and extra working days: {listed}")

    @classmethod
    def from_overrides(
        cls, extra_holidays: Iterable[date] = (), extra_working_days: Iterable[date] = ()
    ) -> WorkingCalendar:
        return cls(frozenset(extra_holidays), frozenset(extra_working_days))

    # -- single days -------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        if isinstance(day, datetime):  # inlined _require_date: this is the hot path
            _require_date(day)
        table = self._tables.get(day.year) or self._table(day.year)
        return day not in table.days_off

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self._nth_after(day, 1)

    def previous_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the last working day before it."""
        return day if self.is_working_day(day) else self._nth_before(day, 1)

    # -- counting ----------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`, `start` itself not counted.

        Friday + 1 is Monday. n = 0 gives the next working day on or after `start` (a period of
        zero days that ends on a day off moves forward like any other). n < 0 counts back: the
        |n|-th working day before `start`.
        """
        _require_date(start)
        if n > 0:
            return self._nth_after(start, n)
        if n < 0:
            return self._nth_before(start, -n)
        return self.next_working_day(start)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: a excluded, b included; negative when b is before a.

        Reads as "b is N working days after a", e.g. N working days overdue when a is the last
        permitted day and b is today.
        """
        _require_date(a)
        _require_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        full_years = sum(len(self._table(y).working_days) for y in range(a.year, b.year))
        return full_years + self._table(b.year).rank_of(b) - self._table(a.year).rank_of(a)

    # -- deadlines ---------------------------------------------------------------------------

    def last_permitted_day(self, before: date) -> date:
        """The last day for something due "trước ngày `before`" (before the given day).

        That is the day before `before`, moved to the next working day if it is a day off.
        """
        _require_date(before)
        return self.next_working_day(before - _ONE_DAY)

    def deadline_before_day(self, before: date) -> datetime:
        """Exclusive due instant for "trước ngày `before`": 00:00 after the last permitted day."""
        return end_of_day(self.last_permitted_day(before))

    def deadline_after_working_days(self, event_at: datetime, n: int) -> datetime:
        """Exclusive due instant for "within n working days after the event"."""
        return end_of_day(self.add_working_days(local_date(event_at), n))

    def quarter_report_due(self, year: int, quarter: int, before_day: int) -> datetime:
        """Quarterly report: due before `before_day` of the first month of the next quarter."""
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter must be 1..4, got {quarter}")
        month = 3 * quarter + 1
        due_year, due_month = (year + 1, 1) if month > 12 else (year, month)
        return self.deadline_before_day(date(due_year, due_month, before_day))

    def annual_report_due(self, year: int, before_day: int, before_month: int) -> datetime:
        """Yearly report of `year`, due before `before_day`/`before_month` of the same year."""
        return self.deadline_before_day(date(year, before_month, before_day))

    # -- internals ---------------------------------------------------------------------------

    def _table(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is None:
            table = _YearTable.build(year, self._days_off(year))
            self._tables[year] = table
        return table

    def _days_off(self, year: int) -> frozenset[date]:
        extra_off = {d for d in self.extra_holidays if d.year == year}
        extra_on = {d for d in self.extra_working_days if d.year == year}
        return (official_days_off(year) | extra_off) - extra_on

    def _nth_after(self, start: date, n: int) -> date:
        year = start.year
        table = self._table(year)
        counted = table.rank_of(start)  # working days of the year up to start, inclusive
        while counted + n > len(table.working_days):
            n -= len(table.working_days) - counted
            year += 1
            table = self._table(year)
            counted = 0
        return table.working_days[counted + n - 1]

    def _nth_before(self, start: date, n: int) -> date:
        year = start.year
        table = self._table(year)
        earlier = table.rank_of(start) - (start not in table.days_off)  # strictly before start
        while earlier < n:
            n -= earlier
            year -= 1
            table = self._table(year)
            earlier = len(table.working_days)
        return table.working_days[earlier - n]


DEFAULT_CALENDAR: Final = WorkingCalendar()


# -- local time ----------------------------------------------------------------------------------


def local_date(moment: datetime) -> date:
    """The calendar date of an aware instant in Vietnam."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: attach a time zone before converting")
    return moment.astimezone(TZ).date()


def start_of_day(day: date) -> datetime:
    """00:00 Asia/Ho_Chi_Minh at the start of `day` (Vietnam has no daylight saving)."""
    _require_date(day)
    return datetime.combine(day, time(0), tzinfo=TZ)


def end_of_day(day: date) -> datetime:
    """The exclusive end of `day`: 00:00 Asia/Ho_Chi_Minh of the following day."""
    return start_of_day(day + _ONE_DAY)


def last_on_time_day(due_at: datetime) -> date:
    """The last calendar day a submission is on time for an exclusive `due_at` (for display)."""
    return local_date(due_at - timedelta(microseconds=1))


# -- Vietnamese formatting -----------------------------------------------------------------------

_WEEKDAYS_VI: Final = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def format_vn_date(day: date) -> str:
    """Long form, as administrative documents write it: "ngày 02 tháng 10 năm 2024".

    Decree 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading zero, other
    months do not ("ngày 09 tháng 4 năm 2024").
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def format_vn_date_short(day: date) -> str:
    """Short form: "02/10/2024"."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_vn_weekday(day: date) -> str:
    """The weekday, "thứ Hai" .. "Chủ nhật" (capitalise it at the start of a sentence)."""
    return _WEEKDAYS_VI[day.weekday()]
