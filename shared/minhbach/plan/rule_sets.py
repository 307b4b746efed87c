"""Shared classification rule sets (decision 0015): a plan names one in
`portal_monitoring.classification_rule_set`; the loader reads the file, checks it and its
version, and puts its rules in `portal_monitoring.shared_classification_rules`. A problem is
reported in the file and field where it is: the plan's reference, or the rule set's own line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from minhbach.plan.errors import FieldPath, LineLookup, PlanIssue, issues_from_pydantic
from minhbach.plan.portal import ClassificationRuleSet

SHIPPED = Path(__file__).resolve().parents[3] / "shared" / "plans"
_REFERENCE: FieldPath = ("portal_monitoring", "classification_rule_set")
_SHARED_RULES = ("portal_monitoring", "shared_classification_rules")


@dataclass(frozen=True)
class ReadRuleSet:
    """A rule set as read: its file and each field's line there (to locate later issues)."""

    source: str
    line_of: LineLookup

    def locate(self, issue: PlanIssue) -> PlanIssue:
        """An issue the plan's checks found in `shared_classification_rules[i]`, moved to the
        rule set's `classification_rules[i]`, with its file and line."""
        path = ("classification_rules", *issue.path[len(_SHARED_RULES) :])
        return replace(issue, path=path, source=self.source, line=self.line_of(path))

    @staticmethod
    def owns(issue: PlanIssue) -> bool:
        return tuple(issue.path[: len(_SHARED_RULES)]) == _SHARED_RULES


def rule_set_path(file: str, plan_source: str) -> Path:
    """The rule set's file: relative to the plan's folder when it is there, else to the
    shipped `shared/plans/` (a plan written elsewhere, an imported one, a text in a test)."""
    named = Path(file)
    if named.is_absolute():
        return named
    beside = Path(plan_source).parent / named
    return beside if beside.is_file() else SHIPPED / named


def resolve_rule_set(
    data: dict[str, Any], plan_source: str
) -> tuple[list[PlanIssue], list[PlanIssue], ReadRuleSet | None]:
    """Fill `shared_classification_rules` from the rule set the plan names. Returns the issues
    of the plan's reference (to be located in the plan), the issues located in the rule set's
    file, and the rule set as read (None when the plan names none or it could not be read)."""
    monitoring = data.get("portal_monitoring")
    if not isinstance(monitoring, dict):
        return [], [], None
    reference = monitoring.get("classification_rule_set")
    if reference is None:
        return [], [], None
    if not isinstance(reference, dict) or not isinstance(reference.get("file"), str):
        return [], [], None  # the schema reports the reference's own shape
    wanted = reference.get("version")
    path = rule_set_path(reference["file"], plan_source)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        message = f"cannot read the rule set file {str(path)!r}: {error}"
        return [PlanIssue((*_REFERENCE, "file"), message)], [], None
    source = str(path)
    node, syntax = _compose(text, source)
    if syntax is not None:
        return [], [syntax], None
    lines: dict[tuple[str, ...], int] = {}
    _index(node, (), lines)
    line_of = LineLookup(lines)
    raw = yaml.SafeLoader(text).construct_document(node) if node is not None else None
    try:
        rule_set = ClassificationRuleSet.model_validate(raw)
    except ValidationError as error:
        issues = [
            PlanIssue(path, message, line_of(path), source)
            for path, message in _pydantic_issues(error)
        ]
        return [], issues, None
    read = ReadRuleSet(source, line_of)
    if wanted != rule_set.version:
        message = (
            f"the plan was checked against version {wanted!r} of the rule set "
            f"{rule_set.rule_set!r}, the file {source!r} is version {rule_set.version}: read "
            "what changed (decision 0015) and write the new version here"
        )
        return [PlanIssue((*_REFERENCE, "version"), message)], [], read
    monitoring["shared_classification_rules"] = [
        rule.model_dump(mode="json", exclude_defaults=True)
        for rule in rule_set.classification_rules
    ]
    return [], [], read


def read_rule_set_rules(file: str, plan_source: str = "<plan>") -> list[dict[str, Any]]:
    """The rules of a rule set as plain data (for tools reading a plan as YAML), [] when the
    file cannot be read."""
    try:
        raw = yaml.safe_load(rule_set_path(file, plan_source).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    rules = raw.get("classification_rules") if isinstance(raw, dict) else None
    return [r for r in rules if isinstance(r, dict)] if isinstance(rules, list) else []


def _compose(text: str, source: str) -> tuple[yaml.Node | None, PlanIssue | None]:
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node(), None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        return None, PlanIssue((), f"YAML syntax error: {error.problem or error}", line, source)
    except yaml.YAMLError as error:
        return None, PlanIssue((), f"YAML error: {error}", None, source)
    finally:
        loader.dispose()


def _index(
    node: yaml.Node | None, path: tuple[str, ...], lines: dict[tuple[str, ...], int]
) -> None:
    if node is None:
        return
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, str(key_node.value))
            lines.setdefault(child, key_node.start_mark.line + 1)
            _index(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            _index(item, (*path, str(position)), lines)


def _pydantic_issues(error: ValidationError) -> list[tuple[FieldPath, str]]:
    return [(issue.path, issue.message) for issue in issues_from_pydantic(error)]
