"""The one home of a reporting period: days, months, data cut-off and the Vietnamese name."""

from __future__ import annotations

from datetime import date

import pytest

from minhbach.periods import (
    PERIOD_CODES,
    ReportingPeriod,
    kind_of,
    period_label,
    period_name,
    period_title,
    periods_of_kind,
)


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("Q2", date(2024, 4, 1), date(2024, 6, 30)),
        ("Q3", date(2024, 7, 1), date(2024, 9, 30)),
        ("Q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("H1", date(2024, 1, 1), date(2024, 6, 30)),
        ("H2", date(2024, 7, 1), date(2024, 12, 31)),
        ("M9", date(2024, 1, 1), date(2024, 9, 30)),
        ("year", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_first_and_last_day(code: str, first: date, last: date) -> None:
    period = ReportingPeriod(2024, code)
    assert (period.first_day, period.last_day) == (first, last)
    assert period.contains(first) and period.contains(last)
    assert not period.contains(date(2025, 1, 1))


def test_months_count_from_one_and_the_month_after_crosses_the_year() -> None:
    assert ReportingPeriod(2026, "Q1").month(3) == (2026, 3)
    assert ReportingPeriod(2026, "Q4").month(4) == (2027, 1)
    assert ReportingPeriod(2026, "H2").month(7) == (2027, 1)
    assert ReportingPeriod(2026, "year").month(13) == (2027, 1)


def test_labels_one_style_everywhere() -> None:
    assert [period_label(code, 2026) for code in PERIOD_CODES] == [
        "quý I năm 2026",
        "quý II năm 2026",
        "quý III năm 2026",
        "quý IV năm 2026",
        "6 tháng đầu năm 2026",
        "6 tháng cuối năm 2026",
        "9 tháng năm 2026",
        "năm 2026",
    ]
    assert period_name("Q3") == "Quý III" and period_name("year") == "Cả năm"
    assert period_title("Q3", 2026) == "Quý III năm 2026"
    assert period_title("year", 2026) == "Năm 2026"
    assert ReportingPeriod(2026, "Q3").key == "2026-Q3"


def test_data_cut_off_follows_decree_09_2019() -> None:
    # Quarter: from the 15th of the month before the quarter to the 14th of its last month.
    assert ReportingPeriod(2026, "Q1").data_span(14) == (date(2025, 12, 15), date(2026, 3, 14))
    assert ReportingPeriod(2026, "Q3").data_span(14) == (date(2026, 6, 15), date(2026, 9, 14))
    # Six and nine months, the year: from 15/12 of the year before.
    assert ReportingPeriod(2026, "H1").data_span(14) == (date(2025, 12, 15), date(2026, 6, 14))
    assert ReportingPeriod(2026, "M9").data_span(14) == (date(2025, 12, 15), date(2026, 9, 14))
    assert ReportingPeriod(2026, "year").data_span(14) == (date(2025, 12, 15), date(2026, 12, 14))
    with pytest.raises(ValueError, match=r"1\.\.28"):
        ReportingPeriod(2026, "Q1").data_span(31)


def test_kinds_and_unknown_codes() -> None:
    assert periods_of_kind("half_year") == ("H1", "H2")
    assert kind_of("M9") == "nine_months"
    with pytest.raises(ValueError, match="unknown period 'Q5'"):
        ReportingPeriod(2026, "Q5")
    with pytest.raises(ValueError, match="unknown period kind 'month'"):
        periods_of_kind("month")
