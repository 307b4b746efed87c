"""Read a plan file: YAML -> validated `Plan`, or `PlanError` naming each field and line.

The YAML is composed into its node tree once; the tree gives every field path its line (for
messages) and is then constructed into plain data for Pydantic.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from minhbach.plan.errors import (
    LineLookup,
    PlanError,
    PlanIssue,
    issues_from_pydantic,
)
from minhbach.plan.plan import Plan
from minhbach.plan.rule_sets import ReadRuleSet, resolve_rule_set
from minhbach.plan.rule_text import rule_text_warnings

_REPO_ROOT = Path(__file__).resolve().parents[3]

# Fields an older schema had: a file that still has one is told what to write instead.
RETIRED_FIELDS: dict[tuple[str, ...], str] = {
    ("meta", "district"): (
        "`meta.district` is retired: write `level:` (province, central_city, commune, ward, "
        "special_zone or district) and `locality:` (the name without its level, e.g. "
        "`level: district` and `locality: Lục Nam`)"
    ),
    ("portal_monitoring", "commune_copy_tasks"): (
        "`commune_copy_tasks` is retired: declare the duty as `copy_duties:` entries, e.g. "
        '`- {documents_of: [ubnd-huyen], reposted_on: [all_communes], tasks: ["1.1"]}`'
    ),
}


def default_plan_path() -> Path:
    """The seed plan shipped in the repository (settings' MINHBACH_PLAN_FILE overrides it)."""
    return _REPO_ROOT / "shared" / "plans" / "luc-nam-2024.yaml"


def load_plan(path: str | Path) -> Plan:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        issue = PlanIssue((), f"cannot read the plan file: {error}", source=str(path))
        raise PlanError([issue]) from None
    return parse_plan(text, str(path))


def load_plan_with_warnings(path: str | Path) -> tuple[Plan, tuple[PlanIssue, ...]]:
    """The plan and what in it is valid but likely wrong (a rule's text and its computed dates
    disagree), each warning with its YAML line; `PlanError` as `load_plan`."""
    path = Path(path)
    plan = load_plan(path)
    root = _compose(path.read_text(encoding="utf-8"), str(path))
    lines: dict[tuple[str, ...], int] = {}
    _index_lines(root, (), lines, [])
    line_of = LineLookup(lines)
    warnings = (
        replace(issue, source=str(path), line=line_of(issue.path))
        for issue in rule_text_warnings(plan)
    )
    return plan, tuple(warnings)


def parse_plan(text: str, source_name: str = "<plan>") -> Plan:
    root = _compose(text, source_name)
    lines: dict[tuple[str, ...], int] = {}
    duplicates: list[PlanIssue] = []
    _index_lines(root, (), lines, duplicates)
    line_of = LineLookup(lines)
    if duplicates:
        raise PlanError(duplicates).located(source_name, line_of)
    data = yaml.SafeLoader(text).construct_document(root) if root is not None else None
    if not isinstance(data, dict):
        raise PlanError([PlanIssue((), "the plan must be a YAML mapping of sections", 1)]).located(
            source_name, line_of
        )
    retired = _retired(data)
    reference_issues, rule_set_issues, rule_set = resolve_rule_set(data, source_name)
    if reference_issues or rule_set_issues:
        located = PlanError([*retired, *reference_issues]).located(source_name, line_of)
        raise PlanError([*located.issues, *rule_set_issues])
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        issues = [*retired, *issues_from_pydantic(error)]
        raise _split(issues, source_name, line_of, rule_set) from None
    except PlanError as error:
        raise _split([*retired, *error.issues], source_name, line_of, rule_set) from None
    if retired:
        raise PlanError(retired).located(source_name, line_of)
    return plan


def _split(
    issues: list[PlanIssue], source_name: str, line_of: LineLookup, rule_set: ReadRuleSet | None
) -> PlanError:
    """The plan's issues located in the plan; those of the shared rules in the rule set's file."""
    if rule_set is None:
        return PlanError(issues).located(source_name, line_of)
    own = [issue for issue in issues if not rule_set.owns(issue)]
    shared = [rule_set.locate(issue) for issue in issues if rule_set.owns(issue)]
    return PlanError([*PlanError(own).located(source_name, line_of).issues, *shared])


def _retired(data: dict[str, Any]) -> list[PlanIssue]:
    """Issues for retired fields, removed from `data` so they are not also "unknown"."""
    issues = []
    for path, message in RETIRED_FIELDS.items():
        parent: Any = data
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and path[-1] in parent:
            del parent[path[-1]]
            issues.append(PlanIssue(path, message))
    return issues


def _compose(text: str, source_name: str) -> yaml.Node | None:
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        message = f"YAML syntax error: {error.problem or error}"
        if "mapping values are not allowed" in str(error.problem):
            message += (
                " (a value containing ': ' or, inside {...}, ', ' must be quoted: "
                '`name: "Phòng Tài chính, Kế hoạch"`)'
            )
        if error.context:
            started = error.context_mark
            if started is not None and started.line != (mark.line if mark else None):
                message += f" ({error.context} started on line {started.line + 1})"
            else:
                message += f" ({error.context})"
        raise PlanError([PlanIssue((), message, line, source_name)]) from None
    except yaml.YAMLError as error:
        raise PlanError([PlanIssue((), f"YAML error: {error}", None, source_name)]) from None
    finally:
        loader.dispose()


def _index_lines(
    node: yaml.Node | None,
    path: tuple[str, ...],
    lines: dict[tuple[str, ...], int],
    duplicates: list[PlanIssue],
) -> None:
    """Record the line of every mapping key and list item; report keys given twice (PyYAML
    would silently keep the last)."""
    if node is None:
        return
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            if child in lines:
                duplicates.append(
                    PlanIssue(child, f"key {key!r} appears twice", key_node.start_mark.line + 1)
                )
                continue
            lines[child] = key_node.start_mark.line + 1
            _index_lines(value_node, child, lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, str(index)), lines, duplicates)
