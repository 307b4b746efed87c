"""Intake under reporting rules as real plans write them: the periods the plan asks for, the
binding deadline where several rules ask for one report, and the one period label."""

from __future__ import annotations

from datetime import datetime

from intake import messages as msg
from intake.domain import IntakeRules
from minhbach.calendar import TZ
from minhbach.plan import default_plan_path, load_plan, parse_plan
from tests.support.tiers import seed_with_rules, two_focal_tiers


def test_the_seed_asks_for_the_quarters_and_the_year() -> None:
    assert IntakeRules.of(load_plan(default_plan_path())).periods == (
        "Q1",
        "Q2",
        "Q3",
        "Q4",
        "year",
    )


def test_a_half_year_rule_adds_its_periods_and_a_folded_quarter_stays_asked_by_others() -> None:
    extra = """  - code: focal-half-year
    reporter: focal_unit
    period: half_year
    due_before_day: 20
    due_month: last
    recipient: chu-tich
"""
    rules = IntakeRules.of(parse_plan(seed_with_rules(extra)))
    assert rules.periods == ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "year")
    due = rules.due("focal_unit", "H1", 2024)
    assert due is not None and due.rule.code == "focal-half-year"
    assert due.due_at == datetime(2024, 6, 20, tzinfo=TZ)  # before 20/06: by the end of 19/06
    assert rules.due("lead_units", "H1", 2024) is None  # lead units report per quarter only


def test_the_earliest_of_several_tiers_binds_the_focal_units_report() -> None:
    rules = IntakeRules.of(two_focal_tiers())
    due = rules.due("focal_unit", "Q3", 2024)
    assert due is not None
    assert due.rule.code == "focal-quarterly-pci"
    assert due.due_at == datetime(2024, 10, 4, tzinfo=TZ)
    lead = rules.due("lead_units", "Q3", 2024)
    assert lead is not None and lead.rule.code == "lead-quarterly"  # unchanged


def test_one_period_label_style() -> None:
    assert msg.period_label("Q3", 2024) == "quý III năm 2024"
    assert msg.period_label("H1", 2026) == "6 tháng đầu năm 2026"
    assert msg.period_label("M9", 2026) == "9 tháng năm 2026"
    assert msg.period_label("year", 2024) == "năm 2024"
