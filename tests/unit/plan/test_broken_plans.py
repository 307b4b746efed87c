"""Broken plans are rejected with a message naming the field and the YAML line.

Each case edits the seed in one place; the expected line is found from a marker in the edited
text, so the cases survive edits elsewhere in the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from minhbach.plan import PlanError, PlanIssue, parse_plan
from tests.unit.plan.helpers import edited, indicator_index, line_of, task_index, unit_index


@dataclass(frozen=True)
class Broken:
    old: str
    new: str
    field: str
    message: str  # a fragment of the expected message
    line_marker: str  # text on the line the issue must point at, in the edited file


def _t(code: str) -> str:
    return f"tasks[{task_index(code)}]"


CASES: dict[str, Broken] = {
    "unknown unit in a task": Broken(
        "lead: [tu-phap]",
        "lead: [tu-phap-x]",
        f"{_t('5.1')}.lead[0]",
        "unknown unit or group 'tu-phap-x'",
        "lead: [tu-phap-x]",
    ),
    "unknown group in supporting units": Broken(
        "    lead: [vhtt]\n    supporting: [all_departments, all_communes]",
        "    lead: [vhtt]\n    supporting: [all_departments, all_villages]",
        f"{_t('7.2')}.supporting[1]",
        "unknown unit or group 'all_villages'",
        "supporting: [all_departments, all_villages]",
    ),
    "duplicate unit code": Broken(
        "  - code: ktht\n",
        "  - code: tckh\n",
        f"units[{unit_index('ktht')}].code",
        "duplicate code 'tckh'",
        "name: Phòng Kinh tế và Hạ tầng",  # the duplicate's entry; checked as line - 1 below
    ),
    "weights not summing to 1": Broken(
        "fixed_deadline_met: 0.2",
        "fixed_deadline_met: 0.3",
        f"indicators[{indicator_index(7)}].readiness_weights",
        "weights sum to 1.1, not 1",
        "fixed_deadline_met: 0.3",
    ),
    "unknown readiness signal": Broken(
        "{tasks_reported_done: 0.6, fixed_deadline_met: 0.2,",
        "{tasks_reported_done: 0.6, deadline_met: 0.2,",
        f"indicators[{indicator_index(7)}].readiness_weights.deadline_met",
        "unknown readiness signal 'deadline_met'",
        "deadline_met: 0.2",
    ),
    "bad URL": Broken(
        "portal: https://vuxa.lucnam.bacgiang.gov.vn",
        "portal: vuxa.lucnam.bacgiang.gov.vn",
        f"units[{unit_index('vu-xa')}].portal",
        "not an http(s) URL",
        "code: vu-xa",
    ),
    "bad e-mail": Broken(
        "email: tnmt@lucnam.example.invalid",
        "email: tnmt.lucnam.example.invalid",
        f"units[{unit_index('tnmt')}].email",
        "not a valid e-mail address: 'tnmt.lucnam.example.invalid'",
        "email: tnmt.lucnam.example.invalid",
    ),
    "missing required field": Broken(
        "    title: Tiếp cận tài liệu quy hoạch\n",
        "",
        f"indicators[{indicator_index(1)}].title",
        "required field is missing",
        "target: {value: 3.4, unit: points",  # the item starts on the line above
    ),
    "wrong type": Broken(
        "overdue_notice_after_working_days: 1",
        "overdue_notice_after_working_days: one",
        "escalation.overdue_notice_after_working_days",
        "Input should be a valid integer",
        "overdue_notice_after_working_days: one",
    ),
    "task under the wrong indicator": Broken(
        '  - code: "5.1"\n    indicator: 5',
        '  - code: "5.1"\n    indicator: 4',
        f"{_t('5.1')}.indicator",
        "task 5.1 must belong to indicator 5, not 4",
        "    indicator: 4\n",  # placeholder, replaced by the line after the code (see test)
    ),
    "target out of range": Broken(
        "target: {value: 83, unit: percent",
        "target: {value: 830, unit: percent",
        f"indicators[{indicator_index(8)}].target.value",
        "a target in percent must lie between 0 and 100",
        "value: 830",
    ),
    "points target above 10": Broken(
        "target: {value: 3.4, unit: points",
        "target: {value: 34, unit: points",
        f"indicators[{indicator_index(1)}].target.value",
        "a target in points must lie between 0 and 10",
        "value: 34,",
    ),
    "unknown key": Broken(
        "    supporting_role: kiểm tra, đôn đốc\n",
        "    supporting_role: kiểm tra, đôn đốc\n    priority: high\n",
        f"{_t('4.1')}.priority",
        "unknown field",
        "priority: high",
    ),
    "key given twice": Broken(
        "  overdue_notice_after_working_days: 1\n",
        "  overdue_notice_after_working_days: 1\n  overdue_notice_after_working_days: 2\n",
        "escalation.overdue_notice_after_working_days",
        "appears twice",
        "overdue_notice_after_working_days: 2",
    ),
    "unquoted task code": Broken(
        'tasks: ["7.1", "7.2"]',
        'tasks: [7.1, "7.2"]',
        f"indicators[{indicator_index(7)}].tasks[0]",
        'must be a quoted string such as "1.1"',
        'tasks: [7.1, "7.2"]',
    ),
    "fixed deadline without a date": Broken(
        '      deadline: 2024-11-29     # "Trước 30/11/2024": '
        "the last day to finish is 29/11/2024\n",
        "",
        f"{_t('7.2')}.timing",
        "a fixed_deadline timing needs `deadline`",
        "      kind: fixed_deadline",  # placeholder, replaced by the `timing:` line (see test)
    ),
    "deadline far from the plan year": Broken(
        "deadline: 2024-11-29",
        "deadline: 2042-11-29",
        f"{_t('7.2')}.timing.deadline",
        "must lie between 2023-01-01 and 2025-12-31",
        "deadline: 2042-11-29",
    ),
    "reminders out of order": Broken(
        "reminders_before_due_working_days: [7, 3, 1]",
        "reminders_before_due_working_days: [3, 7, 1]",
        "escalation.reminders_before_due_working_days",
        "strictly decreasing",
        "reminders_before_due_working_days: [3, 7, 1]",
    ),
    "escalation to an unknown unit": Broken(
        "notify: pct-phu-trach",
        "notify: pct-khac",
        "escalation.steps[1].notify",
        "unknown unit 'pct-khac'",
        "notify: pct-khac",
    ),
    "unknown time zone": Broken(
        "timezone: Asia/Ho_Chi_Minh",
        "timezone: Asia/Hanoi_City",
        "meta.timezone",
        "unknown time zone 'Asia/Hanoi_City'",
        "timezone: Asia/Hanoi_City",
    ),
    "merged row that differs from its source": Broken(
        '    timing: {kind: ongoing, text: Thường xuyên}\n    merged_cells_from: "6.1"\n'
        "    document_kinds: [qa]",
        '    timing: {kind: after_issue, text: Thường xuyên}\n    merged_cells_from: "6.1"\n'
        "    document_kinds: [qa]",
        f"{_t('6.3')}.timing",
        "differs from task 6.1",
        "timing: {kind: after_issue, text: Thường xuyên}",
    ),
    "yearly report without a month": Broken(
        "    due_before_day: 10\n    due_before_month: 12\n",
        "    due_before_day: 10\n    due_before_month: null\n",
        "reporting_rules[3].due_before_month",
        "a yearly rule is due before a fixed date of the plan year",
        "    due_before_month: null\n    recipient: chu-tich\n    text: trước ngày 10/12",
    ),
    "chairman who is not leadership": Broken(
        "  chairman: chu-tich",
        "  chairman: tckh",
        "roles.chairman",
        "must be of kind leadership",
        "  chairman: tckh",
    ),
    "commune without a portal": Broken(
        ", portal: https://tamdi.lucnam.bacgiang.gov.vn}",
        "}",
        f"units[{unit_index('tam-di')}]",
        "a commune unit needs a `portal` URL",
        "code: tam-di",
    ),
}


def _expected_line(name: str, case: Broken, text: str) -> int:
    """Where the issue must point. Most cases mark the line directly; a few point at a key
    that has no unique text of its own, found relative to a unique neighbour."""
    if name in ("duplicate unit code", "missing required field"):
        return line_of(text, case.line_marker) - 1  # the item's first line, just above
    if name == "task under the wrong indicator":
        return line_of(text, 'code: "5.1"') + 1
    if name == "fixed deadline without a date":
        return line_of(text, case.line_marker) - 1  # `timing:` is the line above `kind:`
    if name == "yearly report without a month":
        return line_of(text, "code: focal-yearly") + 4
    return _line_of_multiline(text, case.line_marker)


def _line_of_multiline(text: str, marker: str) -> int:
    if "\n" not in marker.rstrip("\n"):
        return line_of(text, marker.rstrip("\n"))
    start = text.index(marker)
    assert text.count(marker) == 1
    return text[:start].count("\n") + 1 + (marker.startswith("\n"))


def _issues(text: str) -> tuple[PlanIssue, ...]:
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "broken.yaml")
    return caught.value.issues


@pytest.mark.parametrize("name", list(CASES))
def test_broken_plan_names_field_and_line(name: str) -> None:
    case = CASES[name]
    text = edited(case.old, case.new)
    issues = _issues(text)
    matching = [issue for issue in issues if issue.field == case.field]
    assert matching, f"no issue on {case.field}; got {[i.format() for i in issues]}"
    issue = matching[0]
    assert case.message in issue.message
    assert issue.line == _expected_line(name, case, text)
    assert issue.source == "broken.yaml"
    assert issue.format().startswith(f"broken.yaml:{issue.line}: {case.field}: ")


def test_yaml_syntax_error_points_at_the_line() -> None:
    text = edited(
        "    supporting_role: kiểm tra, đôn đốc\n", "    supporting_role: kiểm tra: đôn đốc\n"
    )
    (issue,) = _issues(text)
    assert issue.line == line_of(text, "supporting_role: kiểm tra: đôn đốc")
    assert issue.field == "(document)"
    assert "YAML syntax error" in issue.message


def test_unclosed_bracket_is_a_syntax_error() -> None:
    text = edited("lead: [tu-phap]", "lead: [tu-phap")
    (issue,) = _issues(text)
    assert "YAML syntax error" in issue.message
    assert issue.line is not None and issue.line >= line_of(text, "lead: [tu-phap")


def test_a_document_that_is_not_a_mapping() -> None:
    (issue,) = _issues("- just\n- a list\n")
    assert issue.line == 1
    assert "mapping" in issue.message


def test_an_empty_document() -> None:
    (issue,) = _issues("# nothing here\n")
    assert "mapping" in issue.message


def test_every_problem_is_reported_in_file_order() -> None:
    text = edited("email: tnmt@lucnam.example.invalid", "email: nope").replace(
        "timezone: Asia/Ho_Chi_Minh", "timezone: Mars/Olympus"
    )
    issues = _issues(text)
    assert [issue.field for issue in issues] == [
        "meta.timezone",
        f"units[{unit_index('tnmt')}].email",
    ]
    assert [issue.line for issue in issues] == sorted(issue.line or 0 for issue in issues)


def test_cross_reference_problems_are_all_reported_together() -> None:
    text = edited("lead: [tu-phap]", "lead: [ghost-a]").replace(
        "notify: pct-phu-trach", "notify: ghost-b"
    )
    messages = [issue.message for issue in _issues(text)]
    assert "unknown unit or group 'ghost-a'" in messages
    assert "unknown unit 'ghost-b'" in messages
