"""The working-day calendar against dates checked by hand (weekdays verified one by one).

Sources for the expected days off: see OFFICIAL_ADJUSTMENTS in minhbach/calendar.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minhbach.calendar import (
    DEFAULT_CALENDAR,
    OFFICIAL_ADJUSTMENTS,
    TZ,
    CalendarRangeError,
    DayKind,
    WorkingCalendar,
    end_of_day,
    format_vn_date,
    format_vn_date_short,
    format_vn_weekday,
    has_official_table,
    last_on_time_day,
    local_date,
    start_of_day,
)
from minhbach.observability.metrics import CALENDAR_OFFICIAL_TABLE
from minhbach.observability.operations import refresh_calendar_tables
from minhbach.plan import default_plan_path, load_plan

CAL = DEFAULT_CALENDAR


def d(text: str) -> date:
    return date.fromisoformat(text)


def midnight(text: str) -> datetime:
    """00:00 in Vietnam at the start of the given day."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


# -- single days ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Tết Giáp Thìn 2024: off Thu 08/02 .. Wed 14/02.
        ("2024-02-07", True),  # Wed
        ("2024-02-08", False),  # Thu, 29 tháng Chạp
        ("2024-02-09", False),  # Fri, Giao thừa
        ("2024-02-10", False),  # Sat, mùng 1
        ("2024-02-11", False),  # Sun
        ("2024-02-12", False),  # Mon
        ("2024-02-13", False),  # Tue, compensation
        ("2024-02-14", False),  # Wed, compensation
        ("2024-02-15", True),  # Thu
        ("2024-02-17", False),  # Sat
        # Tết Ất Tỵ 2025: off Sat 25/01 .. Sun 02/02.
        ("2025-01-24", True),  # Fri
        ("2025-01-25", False),  # Sat
        ("2025-01-27", False),  # Mon
        ("2025-01-29", False),  # Wed, mùng 1
        ("2025-01-31", False),  # Fri
        ("2025-02-01", False),  # Sat
        ("2025-02-02", False),  # Sun
        ("2025-02-03", True),  # Mon
        # Hùng Kings' day.
        ("2024-04-18", False),  # Thu
        ("2025-04-07", False),  # Mon
        # 30/4-1/5 2024: off Sat 27/4 .. Wed 1/5, Sat 04/5 worked.
        ("2024-04-26", True),  # Fri
        ("2024-04-27", False),  # Sat
        ("2024-04-29", False),  # Mon, swapped
        ("2024-04-30", False),  # Tue
        ("2024-05-01", False),  # Wed
        ("2024-05-02", True),  # Thu
        ("2024-05-04", True),  # Sat, worked in exchange
        ("2024-05-05", False),  # Sun
        # 30/4-1/5 2025: off Wed 30/4 .. Sun 4/5, Sat 26/4 worked.
        ("2025-04-25", True),  # Fri
        ("2025-04-26", True),  # Sat, worked in exchange
        ("2025-04-27", False),  # Sun
        ("2025-04-29", True),  # Tue
        ("2025-04-30", False),  # Wed
        ("2025-05-01", False),  # Thu
        ("2025-05-02", False),  # Fri, swapped
        ("2025-05-03", False),  # Sat
        ("2025-05-04", False),  # Sun
        ("2025-05-05", True),  # Mon
        # National Day 2024: off Sat 31/8 .. Tue 3/9.
        ("2024-08-30", True),  # Fri
        ("2024-08-31", False),  # Sat
        ("2024-09-01", False),  # Sun
        ("2024-09-02", False),  # Mon
        ("2024-09-03", False),  # Tue
        ("2024-09-04", True),  # Wed
        # National Day 2025: off Sat 30/8 .. Tue 2/9.
        ("2025-08-29", True),  # Fri
        ("2025-09-01", False),  # Mon
        ("2025-09-02", False),  # Tue
        ("2025-09-03", True),  # Wed
        # New Year and plain weekends.
        ("2024-01-01", False),  # Mon
        ("2025-01-01", False),  # Wed
        ("2025-01-02", True),  # Thu
        ("2024-10-04", True),  # Fri
        ("2024-10-05", False),  # Sat
        ("2024-10-06", False),  # Sun
        ("2024-10-07", True),  # Mon
    ],
)
def test_is_working_day(day: str, working: bool) -> None:
    assert CAL.is_working_day(d(day)) is working


# Every weekday off of each year, and every weekend day worked: the years are exact.
WEEKDAYS_OFF = {
    2024: [
        "2024-01-01",
        "2024-02-08",
        "2024-02-09",
        "2024-02-12",
        "2024-02-13",
        "2024-02-14",
        "2024-04-18",
        "2024-04-29",
        "2024-04-30",
        "2024-05-01",
        "2024-09-02",
        "2024-09-03",
    ],
    2025: [
        "2025-01-01",
        "2025-01-27",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-01-31",
        "2025-04-07",
        "2025-04-30",
        "2025-05-01",
        "2025-05-02",
        "2025-09-01",
        "2025-09-02",
    ],
    2026: [
        "2026-01-01",
        "2026-01-02",  # swapped with Sat 10/1 (Công văn 12729/VPCP-KGVX)
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-04-27",  # Hùng Kings' day fell on Sunday 26/4
        "2026-04-30",
        "2026-05-01",
        "2026-08-31",  # swapped with Sat 22/8
        "2026-09-01",
        "2026-09-02",
        "2026-11-24",  # Ngày Văn hóa Việt Nam: the package's; not pinned (decision 0001)
    ],
}
WEEKENDS_WORKED = {2024: ["2024-05-04"], 2025: ["2025-04-26"], 2026: ["2026-01-10", "2026-08-22"]}


def _days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(i) for i in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_whole_year_is_exact(year: int) -> None:
    weekdays_off = [day for day in _days(year) if day.weekday() < 5 and not CAL.is_working_day(day)]
    weekends_worked = [day for day in _days(year) if day.weekday() >= 5 and CAL.is_working_day(day)]
    assert weekdays_off == [d(x) for x in WEEKDAYS_OFF[year]]
    assert weekends_worked == [d(x) for x in WEEKENDS_WORKED[year]]


@pytest.mark.parametrize(("year", "count"), [(2024, 262 - 12 + 1), (2025, 261 - 12 + 1)])
def test_working_days_in_a_year(year: int, count: int) -> None:
    # 2024 has 262 weekdays (leap year from a Monday), 2025 has 261 (from a Wednesday).
    assert CAL.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == count


def test_official_adjustments_name_their_source() -> None:
    assert all(source for _kind, source in OFFICIAL_ADJUSTMENTS.values())
    worked = sorted(
        day for day, (kind, _) in OFFICIAL_ADJUSTMENTS.items() if kind is DayKind.WORKING_DAY
    )
    assert worked == [d("2024-05-04"), d("2025-04-26"), d("2026-01-10"), d("2026-08-22")]


def test_a_year_without_an_official_table_is_known() -> None:
    assert has_official_table(2026) and not has_official_table(2027)


@pytest.mark.parametrize(
    ("day", "following", "preceding"),
    [
        ("2024-02-08", "2024-02-15", "2024-02-07"),
        ("2025-01-25", "2025-02-03", "2025-01-24"),
        ("2024-10-05", "2024-10-07", "2024-10-04"),
        ("2024-10-07", "2024-10-07", "2024-10-07"),  # a working day is its own answer
        ("2025-05-03", "2025-05-05", "2025-04-29"),
    ],
)
def test_next_and_previous_working_day(day: str, following: str, preceding: str) -> None:
    assert CAL.next_working_day(d(day)) == d(following)
    assert CAL.previous_working_day(d(day)) == d(preceding)


# -- counting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-10-04", 1, "2024-10-07"),  # Fri + 1 = Mon
        ("2024-10-04", 5, "2024-10-11"),
        ("2024-02-07", 1, "2024-02-15"),  # over Tết 2024
        ("2024-02-07", 2, "2024-02-16"),
        ("2024-02-07", 3, "2024-02-19"),
        ("2024-02-10", 1, "2024-02-15"),  # from inside Tết
        ("2025-01-24", 1, "2025-02-03"),  # over Tết 2025
        ("2025-01-24", 5, "2025-02-07"),
        ("2024-04-26", 1, "2024-05-02"),
        ("2024-04-26", 3, "2024-05-04"),  # the Saturday worked counts
        ("2024-04-26", 4, "2024-05-06"),
        ("2025-04-25", 1, "2025-04-26"),  # the Saturday worked counts
        ("2025-04-25", 4, "2025-05-05"),
        ("2024-08-30", 1, "2024-09-04"),
        ("2024-12-31", 1, "2025-01-02"),  # over New Year
        ("2024-10-05", 0, "2024-10-07"),  # n = 0 on a day off: next working day
        ("2024-10-07", 0, "2024-10-07"),  # n = 0 on a working day: itself
        ("2024-02-15", -1, "2024-02-07"),  # counting back over Tết
        ("2025-02-03", -1, "2025-01-24"),
        ("2024-10-06", -1, "2024-10-04"),
        ("2025-01-02", -2, "2024-12-30"),  # back over New Year
    ],
)
def test_add_working_days(start: str, n: int, expected: str) -> None:
    assert CAL.add_working_days(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2024-10-07", "2024-10-07", 0),
        ("2024-10-04", "2024-10-06", 0),  # only the weekend
        ("2024-10-04", "2024-10-07", 1),
        ("2024-02-07", "2024-02-15", 1),  # Tết in between
        ("2024-02-15", "2024-02-07", -1),
        ("2025-01-24", "2025-02-05", 3),  # "3 working days overdue"
        ("2024-12-31", "2025-01-02", 1),
        ("2024-04-26", "2024-05-05", 3),  # 2/5, 3/5 and the Saturday 4/5
    ],
)
def test_working_days_between(a: str, b: str, expected: int) -> None:
    assert CAL.working_days_between(d(a), d(b)) == expected


# -- deadlines -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "last_day"),
    [
        ("2024-10-02", "2024-10-01"),  # Tue: the plain case
        ("2024-12-02", "2024-12-02"),  # 01/12 is a Sunday: moves to Monday 02/12
        ("2024-02-15", "2024-02-15"),  # 14/02 is Tết: moves to 15/02
        ("2025-05-03", "2025-05-05"),  # 02/5 swapped off, then the weekend
        ("2024-05-05", "2024-05-04"),  # 04/5 is the Saturday worked
        ("2025-01-02", "2025-01-02"),  # 01/01 is New Year
    ],
)
def test_last_permitted_day(before: str, last_day: str) -> None:
    assert CAL.last_permitted_day(d(before)) == d(last_day)
    due_at = CAL.deadline_before_day(d(before))
    assert due_at == end_of_day(d(last_day))
    assert last_on_time_day(due_at) == d(last_day)


def test_due_instant_is_exclusive() -> None:
    due_at = CAL.deadline_before_day(d("2024-10-02"))
    assert due_at == midnight("2024-10-02")
    assert due_at.utcoffset() == timedelta(hours=7)
    assert datetime(2024, 10, 1, 23, 59, 59, tzinfo=TZ) < due_at
    assert not datetime(2024, 10, 2, 0, 0, tzinfo=TZ) < due_at
    # 16:59:59 UTC on 1/10 is still 23:59:59 on 1/10 in Vietnam: on time.
    assert datetime(2024, 10, 1, 16, 59, 59, tzinfo=UTC) < due_at
    assert not datetime(2024, 10, 1, 17, 0, tzinfo=UTC) < due_at


@pytest.mark.parametrize(
    ("quarter", "before_day", "due"),
    [
        (1, 2, "2024-04-02"),  # last day Mon 01/04
        (2, 2, "2024-07-02"),  # last day Mon 01/07
        (3, 2, "2024-10-02"),  # last day Tue 01/10
        (4, 2, "2025-01-03"),  # 01/01/2025 New Year: last day Thu 02/01
        (1, 10, "2024-04-10"),  # last day Tue 09/04
        (2, 10, "2024-07-10"),  # last day Tue 09/07
        (3, 10, "2024-10-10"),  # last day Wed 09/10
        (4, 10, "2025-01-10"),  # last day Thu 09/01/2025
    ],
)
def test_quarter_report_due_2024(quarter: int, before_day: int, due: str) -> None:
    assert CAL.quarter_report_due(2024, quarter, before_day) == midnight(due)


@pytest.mark.parametrize(
    ("before_day", "due"),
    [
        (2, "2024-12-03"),  # 01/12/2024 is a Sunday: last day Mon 02/12
        (10, "2024-12-10"),  # last day Mon 09/12
    ],
)
def test_annual_report_due_2024(before_day: int, due: str) -> None:
    assert CAL.annual_report_due(2024, before_day, 12) == midnight(due)


@pytest.mark.parametrize("quarter", [0, 5])
def test_quarter_out_of_range(quarter: int) -> None:
    with pytest.raises(ValueError, match="quarter"):
        CAL.quarter_report_due(2024, quarter, 2)


@pytest.mark.parametrize(
    ("event_at", "n", "due"),
    [
        # 01:00 Friday in Vietnam is still Thursday in UTC: Friday + 1 = Monday.
        (datetime(2024, 10, 3, 18, 0, tzinfo=UTC), 1, "2024-10-08"),
        (datetime(2024, 2, 7, 16, 30, tzinfo=TZ), 1, "2024-02-16"),
        (datetime(2024, 2, 7, 16, 30, tzinfo=TZ), 5, "2024-02-22"),
        (datetime(2025, 1, 24, 9, 0, tzinfo=TZ), 3, "2025-02-06"),
        (datetime(2024, 10, 5, 9, 0, tzinfo=TZ), 0, "2024-10-08"),
    ],
)
def test_deadline_after_working_days(event_at: datetime, n: int, due: str) -> None:
    assert CAL.deadline_after_working_days(event_at, n) == midnight(due)


# -- a plan's overrides --------------------------------------------------------------------------


def test_extra_holiday_is_a_day_off() -> None:
    cal = WorkingCalendar.from_overrides(extra_holidays=[d("2024-10-07")])
    assert not cal.is_working_day(d("2024-10-07"))
    assert cal.add_working_days(d("2024-10-04"), 1) == d("2024-10-08")
    assert cal.last_permitted_day(d("2024-10-07")) == d("2024-10-08")
    assert CAL.is_working_day(d("2024-10-07"))  # the default calendar is untouched


def test_extra_working_saturday() -> None:
    cal = WorkingCalendar.from_overrides(extra_working_days=[d("2024-10-05")])
    assert cal.is_working_day(d("2024-10-05"))
    assert cal.add_working_days(d("2024-10-04"), 1) == d("2024-10-05")
    assert cal.working_days_between(d("2024-10-04"), d("2024-10-07")) == 2


def test_extra_working_day_overrides_an_official_day_off() -> None:
    cal = WorkingCalendar.from_overrides(extra_working_days=[d("2024-09-03")])
    assert cal.is_working_day(d("2024-09-03"))
    assert cal.last_permitted_day(d("2024-09-02")) == d("2024-09-03")


def test_extra_holiday_overrides_an_official_working_saturday() -> None:
    cal = WorkingCalendar.from_overrides(extra_holidays=[d("2025-04-26")])
    assert not cal.is_working_day(d("2025-04-26"))


def test_overrides_must_not_overlap() -> None:
    with pytest.raises(ValueError, match="2024-10-07"):
        WorkingCalendar.from_overrides([d("2024-10-07")], [d("2024-10-07")])


def test_calendars_compare_by_overrides() -> None:
    one = WorkingCalendar.from_overrides([d("2024-10-07")])
    one.is_working_day(d("2024-10-07"))  # warm the cache: it must not affect equality
    assert one == WorkingCalendar.from_overrides([d("2024-10-07")])
    assert hash(one) == hash(WorkingCalendar.from_overrides([d("2024-10-07")]))
    assert one != CAL


# -- guards --------------------------------------------------------------------------------------


def test_datetime_is_refused_where_a_date_is_expected() -> None:
    with pytest.raises(TypeError):
        CAL.is_working_day(datetime(2024, 10, 5, tzinfo=TZ))


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        local_date(datetime(2024, 10, 5, 12, 0))


def test_year_outside_the_calendar() -> None:
    with pytest.raises(CalendarRangeError):
        CAL.is_working_day(date(2150, 1, 1))


def test_local_date_and_day_bounds() -> None:
    assert local_date(datetime(2024, 12, 31, 17, 0, tzinfo=UTC)) == d("2025-01-01")
    assert start_of_day(d("2024-10-02")) == midnight("2024-10-02")
    assert end_of_day(d("2024-10-02")) == midnight("2024-10-03")


# -- formatting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        ("2024-10-02", "ngày 02 tháng 10 năm 2024", "02/10/2024"),
        ("2024-02-05", "ngày 05 tháng 02 năm 2024", "05/02/2024"),
        ("2024-01-15", "ngày 15 tháng 01 năm 2024", "15/01/2024"),
        ("2024-04-09", "ngày 09 tháng 4 năm 2024", "09/04/2024"),
        ("2024-12-10", "ngày 10 tháng 12 năm 2024", "10/12/2024"),
    ],
)
def test_format_vn_date(day: str, long: str, short: str) -> None:
    assert format_vn_date(d(day)) == long
    assert format_vn_date_short(d(day)) == short


@pytest.mark.parametrize(
    ("day", "weekday"),
    [("2024-12-02", "thứ Hai"), ("2024-12-07", "thứ Bảy"), ("2024-12-01", "Chủ nhật")],
)
def test_format_vn_weekday(day: str, weekday: str) -> None:
    assert format_vn_weekday(d(day)) == weekday


# -- properties ----------------------------------------------------------------------------------

# Far enough inside MIN_YEAR..MAX_YEAR that 400 working days either way stay inside it.
dates = st.dates(min_value=date(2003, 1, 1), max_value=date(2097, 12, 31))
steps = st.integers(min_value=1, max_value=400)


def reference_add(cal: WorkingCalendar, start: date, n: int) -> date:
    """Day-by-day count, the obvious way."""
    day = start
    while n:
        day += timedelta(days=1)
        n -= cal.is_working_day(day)
    return day


@given(dates, steps)
def test_add_lands_on_a_working_day_after_start(start: date, n: int) -> None:
    result = CAL.add_working_days(start, n)
    assert result > start
    assert CAL.is_working_day(result)


@given(dates, steps)
def test_between_inverts_add(start: date, n: int) -> None:
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@given(dates, st.integers(min_value=1, max_value=40))
def test_add_matches_day_by_day_count(start: date, n: int) -> None:
    assert CAL.add_working_days(start, n) == reference_add(CAL, start, n)


@given(dates, steps)
def test_counting_back_from_a_working_day(start: date, n: int) -> None:
    anchor = CAL.next_working_day(start)
    result = CAL.add_working_days(anchor, -n)
    assert result < anchor
    assert CAL.is_working_day(result)
    assert CAL.working_days_between(anchor, result) == -n
    assert CAL.add_working_days(result, n) == anchor


@given(dates, dates, dates)
def test_between_is_additive(a: date, b: date, c: date) -> None:
    assert CAL.working_days_between(a, b) + CAL.working_days_between(b, c) == (
        CAL.working_days_between(a, c)
    )


@given(dates)
def test_last_permitted_day_is_the_first_working_day_from_the_day_before(before: date) -> None:
    last_day = CAL.last_permitted_day(before)
    assert last_day >= before - timedelta(days=1)
    assert CAL.is_working_day(last_day)
    assert CAL.working_days_between(before - timedelta(days=2), last_day) == 1


def test_the_metric_shows_a_plan_year_without_a_table() -> None:
    plan = load_plan(default_plan_path())
    later = plan.model_copy(update={"meta": plan.meta.model_copy(update={"year": 2026})})
    refresh_calendar_tables(later)
    assert CALENDAR_OFFICIAL_TABLE.labels("2026")._value.get() == 1
    assert CALENDAR_OFFICIAL_TABLE.labels("2027")._value.get() == 0
