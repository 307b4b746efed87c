"""What the plan's parts know, computed once for every service: when a report is due under a
rule, and what share of its scale a target is."""

from __future__ import annotations

import pytest

from minhbach.calendar import WorkingCalendar
from minhbach.plan import QUARTERS, YEAR, ReportingRule, Target

CALENDAR = WorkingCalendar.from_overrides(frozenset(), frozenset())
QUARTERLY = ReportingRule(
    code="q", reporter="lead_units", period="quarter", due_before_day=2, recipient="vhtt"
)
YEARLY = ReportingRule(
    code="y",
    reporter="lead_units",
    period="year",
    due_before_day=2,
    due_before_month=12,
    recipient="vhtt",
)


def test_a_quarterly_rule_is_due_before_its_day_of_the_month_after_the_quarter() -> None:
    assert QUARTERLY.periods == QUARTERS
    assert QUARTERLY.due(CALENDAR, 2024, "Q3") == CALENDAR.quarter_report_due(2024, 3, 2)
    q4 = QUARTERLY.due(CALENDAR, 2024, "Q4")  # in January of the next year
    assert q4 == CALENDAR.quarter_report_due(2024, 4, 2)
    assert (q4.year, q4.month) == (2025, 1)


def test_a_yearly_rule_is_due_before_its_day_and_month_of_the_same_year() -> None:
    assert YEARLY.periods == (YEAR,)
    assert YEARLY.due(CALENDAR, 2024, YEAR) == CALENDAR.annual_report_due(2024, 2, 12)


@pytest.mark.parametrize(("rule", "period"), [(QUARTERLY, YEAR), (YEARLY, "Q1"), (QUARTERLY, "Q5")])
def test_a_period_the_rule_does_not_have_is_refused(rule: ReportingRule, period: str) -> None:
    with pytest.raises(ValueError, match=f"no period '{period}'"):
        rule.due(CALENDAR, 2024, period)


def test_a_target_in_points_is_a_share_of_ten_and_in_percent_of_a_hundred() -> None:
    points = Target(unit="points", value=7.0)
    percent = Target(unit="percent", value=50.6, comparison="<=")
    assert (points.scale, points.share) == (10.0, 0.7)
    assert (percent.scale, percent.share) == (100.0, pytest.approx(0.506))
    assert points.is_met_by_share(0.7) and not points.is_met_by_share(0.69)
    assert percent.is_met_by_share(0.5) and not percent.is_met_by_share(0.51)
