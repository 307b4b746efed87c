"""The plan says its level (decision 0013): retired fields are refused with what to write
instead, the words people read are derived from the level and the units, copy duties resolve to
units with a portal, and the drafting block names the notice's task and issuer."""

from __future__ import annotations

from datetime import date

import pytest

from minhbach.plan import PlanError, PlanIssue, parse_plan
from tests.unit.plan.helpers import edited, line_of, seed_plan


def _issues(text: str) -> list[PlanIssue]:
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "broken.yaml")
    return list(caught.value.issues)


def test_the_seeds_words() -> None:
    words = seed_plan().words
    assert words.place == "huyện Lục Nam"
    assert words.government == "UBND huyện Lục Nam"
    assert words.inspected_portals == "huyện và các xã, thị trấn"
    assert words.asked_to_act == "các cơ quan, đơn vị, UBND các xã, thị trấn"
    assert words.leadership == "lãnh đạo UBND huyện Lục Nam"
    assert seed_plan().locality_unit.code == "ubnd-huyen"
    assert len(seed_plan().communes()) == 25


def test_meta_district_is_refused_with_what_to_write() -> None:
    text = edited("  level: district ", "  district: Lục Nam\n  level: district ")
    issues = _issues(text)
    (retired,) = [i for i in issues if i.field == "meta.district"]
    assert "write `level:`" in retired.message and "locality:" in retired.message
    assert retired.line == line_of(text, "  district: Lục Nam")
    assert not [i for i in issues if "unknown field" in i.message]


def test_a_plan_without_level_says_it_is_missing() -> None:
    text = edited("  level: district ", "  district: Lục Nam #")
    fields = {i.field: i.message for i in _issues(text)}
    assert fields["meta.level"] == "required field is missing"
    assert "retired" in fields["meta.district"]


def test_commune_copy_tasks_is_refused_with_copy_duties_to_write() -> None:
    text = edited("  copy_duties:\n", '  commune_copy_tasks: ["1.1"]\n  copy_duties:\n')
    (issue,) = _issues(text)
    assert issue.field == "portal_monitoring.commune_copy_tasks"
    assert "copy_duties" in issue.message


def test_a_level_without_its_unit_is_refused() -> None:
    text = edited("  level: district ", "  level: province ")
    (issue,) = _issues(text)
    assert issue.field == "meta.level"
    assert "kind 'province'" in issue.message


def test_a_ward_needs_a_portal() -> None:
    text = edited(
        "kind: commune, email: bao-dai@lucnam.example.invalid, portal: "
        "https://baodai.lucnam.bacgiang.gov.vn}",
        "kind: ward, email: bao-dai@lucnam.example.invalid}",
    )
    messages = [i.message for i in _issues(text)]
    assert "a ward unit needs a `portal` URL" in messages


def test_an_unquoted_comma_gets_a_hint_to_quote() -> None:
    text = edited(
        "  - {code: vu-xa, name: UBND xã Vũ Xá,",
        "  - {code: vu-xa, name: UBND xã Vũ Xá, Lục Nam,",
    )
    (issue,) = [i for i in _issues(text) if "Lục Nam" in i.field]
    assert "quote the whole value" in issue.message


def test_a_colon_in_a_value_gets_a_hint_to_quote() -> None:
    text = edited(
        "    supporting_role: kiểm tra, đôn đốc\n", "    supporting_role: kiểm tra: đôn đốc\n"
    )
    (issue,) = _issues(text)
    assert "must be quoted" in issue.message


def test_copy_duties_name_units_groups_and_tasks_with_kinds() -> None:
    text = edited(
        '      tasks: ["1.1", "2.1", "8.3"]',
        '      tasks: ["1.1", "6.4", "9.9"]\n      within_working_days: 3',
    )
    text = text.replace("reposted_on: [all_communes]", "reposted_on: [all_villages]")
    messages = {i.field: i.message for i in _issues(text)}
    assert (
        "unknown unit or group 'all_villages'"
        in messages["portal_monitoring.copy_duties[0].reposted_on[0]"]
    )
    assert "nothing to re-post" in messages["portal_monitoring.copy_duties[0].tasks[1]"]
    assert "unknown task '9.9'" in messages["portal_monitoring.copy_duties[0].tasks[2]"]


def test_the_seeds_duty_resolves_to_the_commune_portals() -> None:
    (duty,) = seed_plan().copy_duties
    assert duty.sources == ("ubnd-huyen",)
    assert set(duty.targets) == {u.code for u in seed_plan().communes()}
    assert duty.tasks == ("1.1", "2.1", "8.3")
    assert duty.within_working_days is None
    assert seed_plan().copy_duties_onto("vhtt") == ()


def test_the_notice_must_name_the_plans_inspection_task() -> None:
    text = edited('    task: "6.4"', '    task: "6.9"')
    (issue,) = _issues(text)
    assert issue.field == "drafting.inspection_notice.task"
    assert "unknown task '6.9'" in issue.message
    missing = edited('    task: "6.4"                              #', "    #")
    (issue,) = _issues(missing)
    assert (issue.field, issue.message) == (
        "drafting.inspection_notice.task",
        "required field is missing",
    )


def test_another_issuer_needs_its_header_line() -> None:
    text = edited("    symbol: TB-VHTT", "    symbol: TB-VHTT\n    issuer: vp-hdnd-ubnd")
    (issue,) = _issues(text)
    assert issue.field == "drafting.inspection_notice.issuing_body"
    with_header = text.replace(
        "    issuer: vp-hdnd-ubnd", "    issuer: vp-hdnd-ubnd\n    issuing_body: VĂN PHÒNG"
    )
    plan = parse_plan(with_header)
    assert plan.drafting is not None
    notice = plan.drafting.inspection_notice
    assert plan.drafting.issuer_of(notice, plan.roles.focal_unit) == "vp-hdnd-ubnd"
    assert plan.drafting.header_of(notice) == ("UBND HUYỆN LỤC NAM", "VĂN PHÒNG")


def test_rounds_may_be_quarterly() -> None:
    plan = parse_plan(edited("  inspection_round: week ", "  inspection_round: quarter "))
    assert plan.drafting is not None and plan.drafting.inspection_round == "quarter"


def test_a_parent_plan_may_be_years_older_but_not_later() -> None:
    older = parse_plan(edited("      date: 2024-03-11", "      date: 2021-03-11"))
    assert older.meta.references[0].date == date(2021, 3, 11)
    (issue,) = _issues(edited("      date: 2024-03-11", "      date: 2026-03-11"))
    assert issue.field == "meta.references[0].date"
