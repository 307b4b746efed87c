"""Checks across the plan of its `portal_monitoring` block: platforms, sections, document kinds,
reference links, tasks and portals it names must exist (run with the other consistency checks)."""

from __future__ import annotations

from collections.abc import Iterable

from minhbach.plan.contents import PlanContents
from minhbach.plan.errors import FieldPath, PlanIssue
from minhbach.plan.portal import OTHER_KIND, SectionSource


def portal_monitoring_issues(plan: PlanContents) -> Iterable[PlanIssue]:
    """Cross-references of `portal_monitoring` (run with the plan's other consistency checks)."""
    monitoring = plan.portal_monitoring
    if monitoring is None:
        return
    root: FieldPath = ("portal_monitoring",)
    platforms = {p.code for p in monitoring.platforms}
    sections = {s.code for s in plan.portal_sections}
    kinds = {k.code for k in plan.document_kinds} | {OTHER_KIND}
    links = {r.code for r in plan.reference_links}
    tasks = {t.code for t in plan.tasks}
    portal_units = {u.code for u in plan.units if u.portal is not None}

    def issue(path: FieldPath, message: str) -> PlanIssue:
        return PlanIssue(path=(*root, *path), message=message)

    if monitoring.default_platform not in platforms:
        yield issue(("default_platform",), f"unknown platform {monitoring.default_platform!r}")
    for field in ("legal_links_section", "qa_section", "directive_section"):
        value = getattr(monitoring, field)
        if value is not None and value not in sections:
            yield issue((field,), f"unknown portal section {value!r}")
    if monitoring.directive_kind not in kinds:
        yield issue(("directive_kind",), f"unknown document kind {monitoring.directive_kind!r}")
    for position, code in enumerate(monitoring.legal_links):
        if code not in links:
            yield issue(("legal_links", position), f"unknown reference link {code!r}")
    refs = {u.code for u in plan.units} | {g.code for g in plan.unit_groups}
    task_kinds = {t.code: t.document_kinds for t in plan.tasks}
    for index, duty in enumerate(monitoring.copy_duties):
        at: FieldPath = ("copy_duties", index)
        for field in ("documents_of", "reposted_on"):
            for position, code in enumerate(getattr(duty, field)):
                if code not in refs:
                    yield issue((*at, field, position), f"unknown unit or group {code!r}")
        for position, code in enumerate(duty.tasks):
            if code not in tasks:
                yield issue((*at, "tasks", position), f"unknown task {code!r}")
            elif not task_kinds[code]:
                yield issue(
                    (*at, "tasks", position),
                    f"task {code!r} has no `document_kinds`: there is nothing to re-post",
                )
    for index, regulation in enumerate(monitoring.regulations):
        for position, code in enumerate(regulation.required_sections):
            if code not in sections:
                yield issue(
                    ("regulations", index, "required_sections", position),
                    f"unknown portal section {code!r}",
                )
    for index, platform in enumerate(monitoring.platforms):
        yield from _sources_issues(
            platform.sections, sections, (*root, "platforms", index, "sections")
        )
    seen: dict[str, int] = {}
    for index, config in enumerate(monitoring.portals):
        path: FieldPath = ("portals", index)
        if config.unit not in portal_units:
            yield issue((*path, "unit"), f"{config.unit!r} is not a unit with a `portal`")
        elif config.unit in seen:
            yield issue(
                (*path, "unit"), f"duplicate portal (first at portals[{seen[config.unit]}])"
            )
        seen.setdefault(config.unit, index)
        if config.platform is not None and config.platform not in platforms:
            yield issue((*path, "platform"), f"unknown platform {config.platform!r}")
        yield from _sources_issues(config.sections, sections, (*root, *path, "sections"))
    types = {t.code for t in monitoring.document_types}
    if monitoring.letter_type is not None and monitoring.letter_type not in types:
        yield issue(("letter_type",), f"unknown document type {monitoring.letter_type!r}")
    for position, code in enumerate(monitoring.directive_types):
        if code not in types:
            yield issue(("directive_types", position), f"unknown document type {code!r}")
    rule_codes: dict[str, str] = {}
    for field in ("shared_classification_rules", "classification_rules"):
        for index, rule in enumerate(getattr(monitoring, field)):
            path = (field, index)
            if rule.code in rule_codes:
                first = rule_codes[rule.code]
                yield issue(
                    (*path, "code"), f"duplicate rule code {rule.code!r} (first in {first})"
                )
            where = "the rule set" if field.startswith("shared") else "the plan"
            rule_codes.setdefault(rule.code, f"{where}'s classification_rules[{index}]")
            if rule.kind not in kinds:
                yield issue((*path, "kind"), f"unknown document kind {rule.kind!r}")
            for position, code in enumerate(rule.sections):
                if code not in sections:
                    yield issue((*path, "sections", position), f"unknown portal section {code!r}")
            for position, code in enumerate(rule.types):
                if code not in types:
                    yield issue((*path, "types", position), f"unknown document type {code!r}")


def _sources_issues(
    sources: tuple[SectionSource, ...], sections: set[str], path: FieldPath
) -> Iterable[PlanIssue]:
    seen: set[str] = set()
    for index, source in enumerate(sources):
        if source.section not in sections:
            yield PlanIssue(
                path=(*path, index, "section"), message=f"unknown portal section {source.section!r}"
            )
        if source.section in seen:
            yield PlanIssue(
                path=(*path, index, "section"), message=f"section {source.section!r} listed twice"
            )
        seen.add(source.section)
