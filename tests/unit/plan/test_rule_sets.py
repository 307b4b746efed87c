"""The shared classification rule set (decision 0015): every plan names one versioned file of
rules instead of keeping its own copy; the loader reads it, and a problem is reported in the file
and field where it is (the plan's reference, or the rule set's own line)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from minhbach.plan import Plan, PlanError, load_plan, parse_plan
from minhbach.plan.rule_sets import SHIPPED
from tests.unit.plan.helpers import edited, line_of, seed_plan, seed_text

RULE_SET = SHIPPED / "rule-sets" / "phan-loai-van-ban.yaml"
PLANS = sorted(SHIPPED.glob("*.yaml"))
VERSION = yaml.safe_load(RULE_SET.read_text(encoding="utf-8"))["version"]
REFERENCE = f"    file: rule-sets/phan-loai-van-ban.yaml\n    version: {VERSION}\n"


def rule_set_text() -> str:
    return RULE_SET.read_text(encoding="utf-8")


def write(tmp_path: Path, plan: str, rule_set: str) -> Path:
    """A plan and its rule set beside it (`rule-sets/phan-loai-van-ban.yaml`)."""
    (tmp_path / "rule-sets").mkdir()
    (tmp_path / "rule-sets" / "phan-loai-van-ban.yaml").write_text(rule_set, encoding="utf-8")
    path = tmp_path / "plan.yaml"
    path.write_text(plan, encoding="utf-8")
    return path


def test_every_shipped_plan_sorts_with_the_one_rule_set() -> None:
    shared = None
    for path in PLANS:
        monitoring = load_plan(path).portal_monitoring
        assert monitoring is not None and monitoring.classification_rule_set is not None, path
        assert monitoring.classification_rule_set.file == "rule-sets/phan-loai-van-ban.yaml"
        assert shared in (None, monitoring.shared_classification_rules), path
        shared = monitoring.shared_classification_rules
    assert shared


def test_the_seed_has_no_rules_of_its_own() -> None:
    monitoring = seed_plan().portal_monitoring
    assert monitoring is not None
    assert monitoring.classification_rules == ()
    assert monitoring.rules == monitoring.shared_classification_rules
    assert monitoring.rules[0].code == "qa-section" and monitoring.rules[-1].catch_all


def test_a_plans_own_rules_are_tried_first() -> None:
    monitoring = load_plan(SHIPPED / "bac-ninh-2026.yaml").portal_monitoring
    assert monitoring is not None
    codes = [rule.code for rule in monitoring.rules]
    assert codes[:3] == ["budget-section", "budget-phrases", "qa-section"]


def test_or_last_before_the_catch_all() -> None:
    text = edited(
        REFERENCE,
        REFERENCE + "    own_rules: last\n"
        "  classification_rules:\n"
        "    - {code: budget-words, kind: planning, text_any: [dự toán ngân sách]}\n",
    )
    monitoring = parse_plan(text).portal_monitoring
    assert monitoring is not None
    codes = [rule.code for rule in monitoring.rules]
    assert codes[-2:] == ["budget-words", "other"]
    assert codes[0] == "qa-section"


def test_a_plan_read_and_rebuilt_keeps_its_rules() -> None:
    plan = seed_plan()
    rebuilt = Plan.model_validate(plan.model_dump(mode="json"))
    assert rebuilt.portal_monitoring == plan.portal_monitoring


def test_the_rule_set_is_found_beside_the_plan_first(tmp_path: Path) -> None:
    changed = rule_set_text().replace("  - code: report-type\n", "  - code: report-kind\n")
    monitoring = load_plan(write(tmp_path, seed_text(), changed)).portal_monitoring
    assert monitoring is not None
    assert "report-kind" in {rule.code for rule in monitoring.rules}


def test_a_missing_rule_set_is_named_with_the_plans_line() -> None:
    text = edited("    file: rule-sets/phan-loai-van-ban.yaml", "    file: rule-sets/khong-co.yaml")
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "plan.yaml")
    (issue,) = caught.value.issues
    assert issue.field == "portal_monitoring.classification_rule_set.file"
    assert "khong-co.yaml" in issue.message and issue.source == "plan.yaml"
    assert issue.line == line_of(text, "khong-co.yaml")


def test_a_version_the_plan_was_not_checked_against_is_refused() -> None:
    text = edited(
        REFERENCE,
        "    file: rule-sets/phan-loai-van-ban.yaml\n    version: 99\n",
    )
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "plan.yaml")
    (issue,) = caught.value.issues
    assert issue.field == "portal_monitoring.classification_rule_set.version"
    assert "version 99" in issue.message and "phan-loai-van-ban.yaml" in issue.message
    assert issue.line == line_of(text, "version: 99")


@pytest.mark.parametrize(
    ("old", "new", "message", "marker", "field"),
    [
        (
            "  - code: planning-zoning\n    kind: planning",
            "  - code: planning-zoning\n    kind: zoning",
            "unknown document kind 'zoning'",
            "kind: zoning",
            "kind",
        ),
        (
            "    types: [ke-hoach, chuong-trinh, de-an, phuong-an]\n",
            '    number_pattern: "/KH-("\n',
            "not a valid regular expression",
            '"/KH-("',
            "number_pattern",
        ),
        (
            "    types: [ke-hoach, chuong-trinh, de-an, phuong-an]\n",
            "    types: [ke-hoach, ke-hoach-x]\n",
            "unknown document type 'ke-hoach-x'",
            "ke-hoach-x",
            "types[1]",
        ),
        (
            "  - code: report-type\n",
            "  - code: report-type\n    text_anyy: [x]\n",
            "unknown field",
            "text_anyy",
            "text_anyy",
        ),
    ],
)
def test_a_broken_rule_is_named_in_the_rule_set_file(
    tmp_path: Path, old: str, new: str, message: str, marker: str, field: str
) -> None:
    text = rule_set_text()
    assert text.count(old) == 1, old
    broken = text.replace(old, new)
    path = write(tmp_path, seed_text(), broken)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    issues = [i for i in caught.value.issues if message in i.message]
    assert issues, caught.value
    assert issues[0].source.endswith("phan-loai-van-ban.yaml")
    assert issues[0].field.startswith("classification_rules[") and issues[0].field.endswith(field)
    assert issues[0].line == line_of(broken, marker)


def test_a_rule_code_twice_across_the_plan_and_the_set_is_refused() -> None:
    text = edited(
        REFERENCE,
        REFERENCE + "  classification_rules:\n"
        "    - {code: qa-section, kind: qa, text_any: [hỏi]}\n",
    )
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "plan.yaml")
    issues = [i for i in caught.value.issues if "duplicate rule code 'qa-section'" in i.message]
    assert issues and issues[0].field == "portal_monitoring.classification_rules[0].code"
    assert issues[0].line == line_of(text, "{code: qa-section, kind: qa")


def test_the_set_rules_are_not_written_in_a_plan() -> None:
    text = edited(
        "  classification_rule_set:\n" + REFERENCE,
        "  shared_classification_rules:\n    - {code: x, kind: qa, text_any: [hỏi]}\n",
    )
    with pytest.raises(PlanError) as caught:
        parse_plan(text)
    assert any("name the rule set" in i.message for i in caught.value.issues), caught.value
