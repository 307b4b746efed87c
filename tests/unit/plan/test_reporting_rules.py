"""Reporting rules as real plans write them: deadlines in the period or after it, half years and
nine months, Q4 folded into the annual report, data cut-off, several tiers and recipients; the
warnings where a rule's words and its dates disagree; the seed's deadlines pinned."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minhbach.calendar import TZ
from minhbach.cli import app
from minhbach.plan import Plan, PlanError, ReportingRule, parse_plan
from minhbach.plan.loader import load_plan_with_warnings
from minhbach.plan.rule_text import rule_text_warnings
from tests.unit.plan.helpers import edited, seed_plan, seed_text

FIXTURE = Path(__file__).parent / "fixtures" / "province-reporting-rules.yaml"


def with_rules(block: str) -> str:
    """The seed with its `reporting_rules` section replaced by the one in `block`."""
    text = seed_text()
    start = text.index("\nreporting_rules:\n") + 1
    end = text.index("\n# ---", start) + 1
    rules = block[block.index("reporting_rules:\n") :]
    return text[:start] + rules + text[end:]


def province_plan() -> Plan:
    return parse_plan(with_rules(FIXTURE.read_text(encoding="utf-8")), "province.yaml")


def vn(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=TZ)


# --- the seed keeps every deadline ----------------------------------------------------------

SEED_DUE_2024 = {
    ("lead-quarterly", "Q1"): vn(2024, 4, 2),
    ("lead-quarterly", "Q2"): vn(2024, 7, 2),
    ("lead-quarterly", "Q3"): vn(2024, 10, 2),
    ("lead-quarterly", "Q4"): vn(2025, 1, 3),  # 01/01/2025 off: last day Thu 02/01
    ("lead-yearly", "year"): vn(2024, 12, 3),  # Sun 01/12: last day Mon 02/12
    ("focal-quarterly", "Q1"): vn(2024, 4, 10),
    ("focal-quarterly", "Q2"): vn(2024, 7, 10),
    ("focal-quarterly", "Q3"): vn(2024, 10, 10),
    ("focal-quarterly", "Q4"): vn(2025, 1, 10),
    ("focal-yearly", "year"): vn(2024, 12, 10),
}


def test_the_seed_plans_deadlines_for_2024_do_not_move() -> None:
    plan = seed_plan()
    calendar = plan.working_calendar()
    computed = {
        (rule.code, period): rule.due(calendar, 2024, period)
        for rule in plan.reporting_rules
        for period in rule.periods
    }
    assert computed == SEED_DUE_2024


# --- a province's rules -----------------------------------------------------------------------


def _last_days(plan: Plan, code: str, year: int) -> dict[str, date]:
    rule = next(r for r in plan.reporting_rules if r.code == code)
    calendar = plan.working_calendar()
    return {period: rule.last_day(calendar, year, period) for period in rule.periods}


def test_before_the_10th_of_the_quarters_last_month_gives_9_march_june_september() -> None:
    plan = province_plan()
    assert _last_days(plan, "units-quarterly", 2026) == {
        "Q1": date(2026, 3, 9),
        "Q2": date(2026, 6, 9),
        "Q3": date(2026, 9, 9),
    }
    # Q4 is folded into the annual report "trước ngày 15/11": Sat 14/11 moves to Mon 16/11.
    assert _last_days(plan, "units-yearly", 2026) == {"year": date(2026, 11, 16)}


def test_half_year_and_nine_months_fall_in_their_last_month() -> None:
    plan = province_plan()
    assert _last_days(plan, "focal-half-year", 2026) == {
        "H1": date(2026, 6, 19),
        "H2": date(2026, 12, 21),  # Sat 19/12: moved to Mon 21/12
    }
    assert _last_days(plan, "focal-nine-months", 2026) == {"M9": date(2026, 9, 21)}


def test_two_focal_tiers_keep_their_own_deadlines_and_recipients() -> None:
    plan = province_plan()
    rules = plan.reporting_rules_covering("focal_unit", "Q2")
    assert [r.code for r in rules] == ["focal-chairman", "focal-pci"]
    calendar = plan.working_calendar()
    assert [r.last_day(calendar, 2026, "Q2") for r in rules] == [
        date(2026, 6, 19),
        date(2026, 6, 24),
    ]
    assert rules[1].recipients == ("tckh", "pct-phu-trach")
    assert plan.reporting_rules_covering("focal_unit", "Q4") == ()  # folded
    assert [r.code for r in plan.reporting_rules_covering("focal_unit", "year")] == ["focal-yearly"]


def test_data_cut_off_runs_from_the_15th_before_to_the_14th_of_the_last_month() -> None:
    rule = next(r for r in province_plan().reporting_rules if r.code == "units-quarterly")
    assert rule.data_span(2026, "Q1") == (date(2025, 12, 15), date(2026, 3, 14))
    yearly = next(r for r in province_plan().reporting_rules if r.code == "units-yearly")
    assert yearly.data_span(2026, "year") == (date(2025, 12, 15), date(2026, 12, 14))


def test_the_province_rules_read_as_they_are_written() -> None:
    assert rule_text_warnings(province_plan()) == []


def test_the_calendar_prints_every_computed_deadline(tmp_path: Path) -> None:
    path = tmp_path / "province.yaml"
    path.write_text(with_rules(FIXTURE.read_text(encoding="utf-8")), encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "show", "--file", str(path), "--calendar", "2026"])
    assert result.exit_code == 0, result.output
    out = result.output
    for line in (
        "  Q1    before 10/03/2026  last day thứ Hai 09/03/2026",
        "  Q2    before 10/06/2026  last day thứ Ba 09/06/2026",
        "  Q3    before 10/09/2026  last day thứ Tư 09/09/2026",
        "  Q4    folded into the annual report",
        "  year  before 15/11/2026  last day thứ Hai 16/11/2026 (moved past days off)",
        "focal-pci: focal_unit -> tckh, pct-phu-trach, per quarter, before day 25 of the "
        "period's last month (Q4 folded into the annual report)",
        "  H1    before 20/06/2026  last day thứ Sáu 19/06/2026",
        "  M9    before 20/09/2026  last day thứ Hai 21/09/2026 (moved past days off)",
    ):
        assert line in out, f"{line!r} not in\n{out}"
    assert "data 15/12/2025-14/03/2026" in out


# --- the words and the dates ------------------------------------------------------------------


def test_a_text_saying_the_last_month_warns_when_the_rule_computes_the_month_after(
    tmp_path: Path,
) -> None:
    text = edited(
        "    text: trước ngày 10 của tháng đầu tiên quý tiếp theo\n",
        "    text: trước ngày 10 tháng cuối quý\n",
    )
    path = tmp_path / "slip.yaml"
    path.write_text(text, encoding="utf-8")
    _plan, warnings = load_plan_with_warnings(path)
    assert len(warnings) == 1
    warning = warnings[0]
    assert warning.field == "reporting_rules[2].text"
    assert warning.line == text.splitlines().index("    text: trước ngày 10 tháng cuối quý") + 1
    assert "the period's last month" in warning.message
    assert "write `due_month: last`" in warning.message
    assert "before 10/04/2024" in warning.message  # what the fields compute now

    result = CliRunner().invoke(app, ["plan", "validate", str(path)])
    assert result.exit_code == 0
    assert "warning: " in result.output and "reporting_rules[2].text" in result.output


def test_a_text_naming_another_day_warns() -> None:
    plan = parse_plan(
        with_rules(
            FIXTURE.read_text(encoding="utf-8").replace(
                "text: Báo cáo năm gửi trước ngày 15/11", "text: Báo cáo năm gửi trước ngày 15/12"
            )
        )
    )
    messages = [w.message for w in rule_text_warnings(plan)]
    assert len(messages) == 1
    assert "the text says month 12 but `due_before_month` is 11" in messages[0]


# A real province's words (Quảng Ngãi, 2019: units report "trước ngày 05/6 và 05/12 hàng năm").
_HALF_YEAR = """reporting_rules:
  - code: units-half-year
    reporter: lead_units
    period: half_year
    due_before_day: 5
    due_month: {month}
    recipient: tckh
    text: định kỳ đánh giá kết quả thực hiện, báo cáo UBND tỉnh trước ngày 05/6 và 05/12 hàng năm
"""


def test_a_real_half_year_text_reads_as_its_fields_and_warns_on_a_slip() -> None:
    right = parse_plan(with_rules(_HALF_YEAR.format(month="last")))
    assert rule_text_warnings(right) == []
    calendar = right.working_calendar()
    rule = right.reporting_rules[0]
    assert [rule.last_day(calendar, 2026, p) for p in rule.periods] == [
        date(2026, 6, 4),
        date(2026, 12, 4),
    ]
    slip = parse_plan(with_rules(_HALF_YEAR.format(month="next")))
    messages = [w.message for w in rule_text_warnings(slip)]
    assert [m.split(",")[0] for m in messages] == [
        "the text names month 6",
        "the text names month 12",
    ]


def test_a_second_rule_for_the_same_reports_to_the_same_units_warns() -> None:
    block = FIXTURE.read_text(encoding="utf-8").replace(
        "recipient: [tckh, pct-phu-trach]", "recipient: [chu-tich]"
    )
    warnings = rule_text_warnings(parse_plan(with_rules(block)))
    assert [w.field for w in warnings] == ["reporting_rules[3].code"]
    assert "as reporting_rules[2]" in warnings[0].message


# --- bad rules: the field, and what to write --------------------------------------------------


def _rule(**fields: object) -> None:
    base: dict[str, object] = {
        "code": "r",
        "reporter": "lead_units",
        "period": "quarter",
        "due_before_day": 10,
        "recipient": "vhtt",
    }
    ReportingRule.model_validate(base | fields)


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"due_before_month": 3}, "due_before_month", "write `due_month: next`"),
        ({"period": "year"}, "due_before_month", "write the month here"),
        (
            {"period": "year", "due_before_month": 12, "due_month": "last"},
            "due_month",
            "remove `due_month`",
        ),
        ({"due_month": 4}, "due_month", "a quarter has months 1..3"),
        ({"period": "half_year", "due_month": 7}, "due_month", "a half_year has months 1..6"),
        ({"due_month": "middle"}, "due_month", "'first', 'last' or 'next'"),
        ({"due_before_day": 31, "due_month": "last"}, "due_month", "day 31 does not exist in"),
        ({"period": "semester"}, "period", "'quarter', 'half_year', 'nine_months' or 'year'"),
        (
            {"period": "nine_months", "fold_last_into_year": True},
            "fold_last_into_year",
            "only a quarter or half_year rule folds",
        ),
        ({"data_cutoff_day": 30}, "data_cutoff_day", "less than or equal to 28"),
        ({"recipient": []}, "recipient", "at least one unit"),
    ],
)
def test_a_bad_rule_names_its_field_and_what_to_write(
    fields: dict[str, object], field: str, says: str
) -> None:
    with pytest.raises(ValueError) as caught:
        _rule(**fields)
    assert field in str(caught.value)
    assert says in str(caught.value)


def test_folding_without_an_annual_rule_is_refused_with_the_field() -> None:
    block = FIXTURE.read_text(encoding="utf-8")
    start = block.index("  - code: units-yearly")
    end = block.index("  - code: focal-chairman")
    with pytest.raises(PlanError) as caught:
        parse_plan(with_rules(block[:start] + block[end:]), "fold.yaml")
    issues = [i for i in caught.value.issues if i.field == "reporting_rules[0].fold_last_into_year"]
    assert issues, caught.value
    assert "no yearly rule has reporter lead_units" in issues[0].message
    assert "add one (period: year) or write false" in issues[0].message


def test_an_unknown_recipient_in_a_list_is_named_by_its_place() -> None:
    block = FIXTURE.read_text(encoding="utf-8").replace(
        "recipient: [tckh, pct-phu-trach]", "recipient: [tckh, so-tai-chinh]"
    )
    with pytest.raises(PlanError) as caught:
        parse_plan(with_rules(block), "recipients.yaml")
    fields = [i.field for i in caught.value.issues]
    assert "reporting_rules[3].recipient[1]" in fields
