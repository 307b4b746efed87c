"""The seed plan file (Lục Nam 2024) loads and says what the seed plan says."""

from __future__ import annotations

from datetime import date

import pytest

from minhbach.events.catalogue import DocumentKind
from minhbach.plan import Plan, PlanError, Target, default_plan_path, load_plan
from tests.unit.plan.helpers import seed_plan


@pytest.fixture(scope="module")
def plan() -> Plan:
    return seed_plan()


def test_metadata(plan: Plan) -> None:
    assert (plan.meta.level, plan.meta.locality) == ("district", "Lục Nam")
    assert plan.meta.province == "Bắc Giang"
    assert plan.meta.year == 2024
    assert plan.meta.timezone == "Asia/Ho_Chi_Minh"
    assert plan.meta.overall_target == Target(
        value=7.0, unit="points", comparison=">=", text=plan.meta.overall_target.text
    )
    assert "Tính minh bạch" in plan.meta.title
    references = {ref.number: ref.date for ref in plan.meta.references}
    assert references == {"57/KH-UBND": date(2024, 3, 11), "113/KH-UBND": date(2024, 4, 2)}
    assert plan.meta.signer.name == "Dương Công Định"


def test_roles(plan: Plan) -> None:
    assert plan.focal_unit.name == "Phòng Văn hóa và Thông tin"
    assert plan.chairman.kind == "leadership"
    assert plan.vice_chairman_in_charge.kind == "leadership"


def test_eight_indicators_with_the_seed_targets(plan: Plan) -> None:
    targets = {
        i.number: None if i.target is None else (i.target.value, i.target.unit)
        for i in plan.indicators
    }
    assert targets == {
        1: (3.4, "points"),
        2: (50, "percent"),
        3: None,
        4: (50.6, "percent"),
        5: None,
        6: (57, "percent"),
        7: None,
        8: (83, "percent"),
    }
    assert all(i.target is None or i.target.comparison == ">=" for i in plan.indicators)


def test_nineteen_tasks_under_their_indicators(plan: Plan) -> None:
    codes = [task.code for task in plan.tasks]
    assert codes == [
        "1.1", "1.2", "2.1", "3.1", "3.2", "3.3", "4.1", "5.1", "5.2",
        "6.1", "6.2", "6.3", "6.4", "6.5", "7.1", "7.2", "8.1", "8.2", "8.3",
    ]  # fmt: skip
    assert [t.code for t in plan.tasks_of_indicator(6)] == ["6.1", "6.2", "6.3", "6.4", "6.5"]
    for task in plan.tasks:
        assert task.code.startswith(f"{task.indicator}.")


def test_vietnamese_text_is_kept_with_typos_fixed(plan: Plan) -> None:
    assert plan.task("3.1").text.endswith("đơn giản hóa quy trình giải quyết TTHC...")
    assert "đôn đốc" in plan.task("1.2").text
    assert plan.task("1.1").supporting_role == "đôn đốc, hướng dẫn và kiểm tra việc thực hiện"
    assert "“Công khai, tiếp cận thông tin”" in plan.task("8.2").text
    assert plan.task("7.2").timing.text == "Trước 30/11/2024"


def test_timing_kinds_and_windows(plan: Plan) -> None:
    kinds = {task.code: task.timing.kind for task in plan.tasks}
    assert {c for c, k in kinds.items() if k == "after_issue"} == {
        "1.1",
        "1.2",
        "2.1",
        "3.1",
        "3.2",
    }
    assert {c for c, k in kinds.items() if k == "on_change"} == {"3.3"}
    assert {c for c, k in kinds.items() if k == "fixed_deadline"} == {"7.2"}
    assert plan.publication_window_working_days == 5
    for task in plan.tasks:
        expected = 5 if task.timing.is_event_driven else None
        assert task.timing.within_working_days == expected


def test_task_7_2_is_due_by_29_november(plan: Plan) -> None:
    timing = plan.task("7.2").timing
    assert timing.kind == "fixed_deadline"
    assert timing.deadline == date(2024, 11, 29)


def test_merged_rows_share_lead_supporting_and_timing(plan: Plan) -> None:
    for first, rest in (("6.1", ("6.2", "6.3", "6.4", "6.5")), ("8.1", ("8.2", "8.3"))):
        for code in rest:
            task, source = plan.task(code), plan.task(first)
            assert task.merged_cells_from == first
            assert (task.lead, task.supporting, task.timing) == (
                source.lead,
                source.supporting,
                source.timing,
            )


def test_units(plan: Plan) -> None:
    for code in (
        "vhtt",
        "tckh",
        "ktht",
        "tu-phap",
        "chi-cuc-thue",
        "hoi-doanh-nghiep",
        "ttvh-tttt",
    ):
        assert plan.has_unit(code)
    assert plan.unit("chi-cuc-thue").kind == "tax"
    assert plan.unit("hoi-doanh-nghiep").kind == "association"
    assert plan.unit("ttvh-tttt").kind == "centre"
    communes = plan.communes()
    assert len(communes) == 25
    assert {u.kind for u in communes} == {"commune", "town"}
    assert all(u.portal and u.portal.startswith("https://") for u in communes)
    district = plan.units_of_kind("district")
    assert len(district) == 1
    assert district[0].portal is not None
    assert plan.portal_units()[0] == district[0]
    assert all(u.email.endswith(".example.invalid") for u in plan.units)


def test_unknown_codes_raise_key_error(plan: Plan) -> None:
    with pytest.raises(KeyError, match="no unit 'nope'"):
        plan.unit("nope")
    with pytest.raises(KeyError):
        plan.task("9.9")
    with pytest.raises(KeyError):
        plan.indicator(9)


def test_groups_expand_to_unit_codes(plan: Plan) -> None:
    communes = [u.code for u in plan.communes()]
    assert plan.expand_units(["all_communes"]) == tuple(communes)
    assert plan.lead_unit_codes("1.1") == ("vhtt", *communes)
    departments = plan.expand_units(["all_departments"])
    assert "ttvh-tttt" in departments and "vhtt" in departments
    assert "chi-cuc-thue" not in departments and "chu-tich" not in departments
    # A unit named directly and through a group is listed once.
    assert plan.expand_units(["vhtt", "all_departments"]).count("vhtt") == 1
    assert plan.supporting_unit_codes("7.2") == (*departments, *communes)
    assert [u.code for u in plan.lead_units("5.1")] == ["tu-phap"]


def test_tasks_led_by_a_unit(plan: Plan) -> None:
    assert [t.code for t in plan.tasks_led_by("tu-phap")] == [
        "3.1", "3.2", "3.3", "4.1", "5.1", "5.2", "6.1", "6.2", "6.3", "6.4", "6.5",
        "7.1", "8.1", "8.2", "8.3",
    ]  # fmt: skip
    assert [t.code for t in plan.tasks_led_by("chi-cuc-thue")] == []
    assert "7.2" in [t.code for t in plan.tasks_supported_by("doi-ngo")]
    assert "chi-cuc-thue" not in plan.lead_unit_codes_all()


def test_reporting_rules(plan: Plan) -> None:
    rules = {
        (r.reporter, r.period): (r.due_before_day, r.due_before_month, r.recipient)
        for r in plan.reporting_rules
    }
    assert rules == {
        ("lead_units", "quarter"): (2, None, "vhtt"),
        ("lead_units", "year"): (2, 12, "vhtt"),
        ("focal_unit", "quarter"): (10, None, plan.roles.chairman),
        ("focal_unit", "year"): (10, 12, plan.roles.chairman),
    }
    assert len(plan.reporting_rules_for("focal_unit")) == 2


def test_escalation_ladder(plan: Plan) -> None:
    ladder = plan.escalation
    assert ladder.reminders_before_due_working_days == (7, 3, 1)
    assert ladder.overdue_notice_after_working_days == 1
    steps = [(s.after_overdue_working_days, s.notify) for s in ladder.steps]
    assert steps == [(3, plan.roles.focal_unit), (10, plan.roles.vice_chairman_in_charge)]


def test_readiness_weights_sum_to_one(plan: Plan) -> None:
    signals = {s.code for s in plan.readiness_signals}
    for indicator in plan.indicators:
        assert sum(indicator.readiness_weights.values()) == pytest.approx(1.0)
        assert set(indicator.readiness_weights) <= signals


def test_document_kinds_match_the_event_catalogue(plan: Plan) -> None:
    assert {k.code for k in plan.document_kinds} <= {k.value for k in DocumentKind}
    assert plan.task("2.1").document_kinds == ("investment_incentive",)
    assert plan.task("3.3").document_kinds == ("administrative_procedure",)
    assert plan.task("6.3").document_kinds == ("qa",)
    assert set(plan.task("8.2").portal_sections) == {"disclosure", "directives"}


def test_calendar_overrides_are_empty_and_feed_the_working_calendar(plan: Plan) -> None:
    assert plan.calendar.extra_holiday_dates == frozenset()
    assert plan.calendar.extra_working_day_dates == frozenset()
    calendar = plan.working_calendar()
    assert not calendar.is_working_day(date(2024, 9, 2))  # National Day
    assert calendar.is_working_day(date(2024, 11, 29))


def test_expanded_json_has_every_task_with_its_units(plan: Plan) -> None:
    data = plan.expanded()
    assert len(data["indicators"]) == 8
    assert len(data["tasks"]) == 19
    task_7_2 = next(t for t in data["tasks"] if t["code"] == "7.2")
    assert task_7_2["timing"]["deadline"] == "2024-11-29"
    assert task_7_2["lead_units"] == ["vhtt"]
    groups = {g["code"]: g["units"] for g in data["unit_groups"]}
    assert len(groups["all_communes"]) == 25
    assert data["focal_unit"]["code"] == "vhtt"


def test_plan_model_is_frozen(plan: Plan) -> None:
    with pytest.raises(ValueError, match="frozen"):
        plan.task("1.1").code = "9.9"  # type: ignore[misc]


def test_building_a_plan_in_code_runs_the_same_checks(plan: Plan) -> None:
    data = plan.model_dump()
    data["tasks"][0]["lead"] = ["nobody"]
    with pytest.raises(PlanError) as caught:
        Plan.model_validate(data)
    assert caught.value.issues[0].field == "tasks[0].lead[0]"


def test_load_plan_reports_a_missing_file() -> None:
    with pytest.raises(PlanError, match="cannot read the plan file"):
        load_plan("/nonexistent/plan.yaml")


def test_plans_are_hashable_and_compare_by_content(plan: Plan) -> None:
    fresh = load_plan(default_plan_path())
    plan.unit("vhtt")  # builds the lookup indexes on one of the two
    assert fresh == plan
    assert hash(fresh) == hash(plan)
    assert {plan: "cached"}[fresh] == "cached"
