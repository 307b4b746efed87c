"""Checks across the whole plan: unique codes, references that resolve, sums, dates near the year.

Each check returns issues with the exact field path, so the loader can point at the YAML line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from minhbach.plan.contents import PlanContents
from minhbach.plan.errors import FieldPath, PlanIssue
from minhbach.plan.portal_checks import portal_monitoring_issues
from minhbach.plan.types import LEVEL_UNIT_KIND, LOCAL_GOVERNMENT_KINDS

# Dates in the plan may reach one year either side of the plan year (referenced plans of the
# previous year, reports due in January of the next).
_YEARS_AROUND = 1
_WEIGHT_TOLERANCE = 1e-6


def find_consistency_issues(plan: PlanContents) -> list[PlanIssue]:
    checks: Sequence[Callable[[PlanContents], Iterable[PlanIssue]]] = (
        _unique_codes,
        _roles,
        _level,
        _unit_portals,
        _groups,
        _catalogues,
        _indicators,
        _tasks,
        _merged_cells,
        _reporting_rules,
        _escalation,
        _dates,
        portal_monitoring_issues,
        _drafting,
    )
    return [issue for check in checks for issue in check(plan)]


def _issue(path: FieldPath, message: str) -> PlanIssue:
    return PlanIssue(path=path, message=message)


def _duplicates(collection: str, keys: Sequence[Any], field: str) -> Iterable[PlanIssue]:
    first_at: dict[Any, int] = {}
    for index, key in enumerate(keys):
        if key in first_at:
            yield _issue(
                (collection, index, field),
                f"duplicate {field} {key!r} (first used at {collection}[{first_at[key]}])",
            )
        else:
            first_at[key] = index


def _unique_codes(plan: PlanContents) -> Iterable[PlanIssue]:
    yield from _duplicates("units", [u.code for u in plan.units], "code")
    yield from _duplicates("unit_groups", [g.code for g in plan.unit_groups], "code")
    yield from _duplicates("document_kinds", [k.code for k in plan.document_kinds], "code")
    yield from _duplicates("portal_sections", [s.code for s in plan.portal_sections], "code")
    yield from _duplicates("reference_links", [r.code for r in plan.reference_links], "code")
    yield from _duplicates("readiness_signals", [s.code for s in plan.readiness_signals], "code")
    yield from _duplicates("indicators", [i.number for i in plan.indicators], "number")
    yield from _duplicates("tasks", [t.code for t in plan.tasks], "code")
    yield from _duplicates("reporting_rules", [r.code for r in plan.reporting_rules], "code")
    unit_codes = {u.code for u in plan.units}
    for index, group in enumerate(plan.unit_groups):
        if group.code in unit_codes:
            yield _issue(
                ("unit_groups", index, "code"),
                f"group code {group.code!r} is also a unit code; tasks could not tell them apart",
            )


def _roles(plan: PlanContents) -> Iterable[PlanIssue]:
    units = {u.code: u for u in plan.units}
    for role in ("focal_unit", "chairman", "vice_chairman_in_charge"):
        code = getattr(plan.roles, role)
        if code not in units:
            yield _issue(("roles", role), f"unknown unit {code!r}")
        elif role != "focal_unit" and units[code].kind != "leadership":
            yield _issue(("roles", role), f"unit {code!r} must be of kind leadership")


def _level(plan: PlanContents) -> Iterable[PlanIssue]:
    """The plan's own government is a unit of its level's kind (the owner of its portal)."""
    kind = LEVEL_UNIT_KIND[plan.meta.level]
    own = [index for index, unit in enumerate(plan.units) if unit.kind == kind]
    if not own:
        yield _issue(
            ("meta", "level"),
            f"a plan of level {plan.meta.level!r} needs a unit of kind {kind!r} (its own "
            f"government, with its portal); add one to `units` or correct `meta.level`",
        )
    elif len(own) > 1:
        yield _issue(
            ("units", own[1], "kind"),
            f"only one unit may be of kind {kind!r}, the plan's own government "
            f"(first at units[{own[0]}])",
        )


def _unit_portals(plan: PlanContents) -> Iterable[PlanIssue]:
    for index, unit in enumerate(plan.units):
        if unit.kind in LOCAL_GOVERNMENT_KINDS and unit.portal is None:
            yield _issue(("units", index), f"a {unit.kind} unit needs a `portal` URL")


def _groups(plan: PlanContents) -> Iterable[PlanIssue]:
    units = {u.code for u in plan.units}
    present_kinds = {u.kind for u in plan.units}
    for index, group in enumerate(plan.unit_groups):
        for position, member in enumerate(group.members):
            if member not in units:
                yield _issue(
                    ("unit_groups", index, "members", position), f"unknown unit {member!r}"
                )
        if not group.members and not present_kinds.intersection(group.kinds):
            yield _issue(("unit_groups", index, "kinds"), "no unit of these kinds: group is empty")


def _catalogues(plan: PlanContents) -> Iterable[PlanIssue]:
    kinds = {k.code for k in plan.document_kinds}
    for index, section in enumerate(plan.portal_sections):
        yield from _unknown(
            kinds,
            section.document_kinds,
            ("portal_sections", index, "document_kinds"),
            "document kind",
        )


def _unknown(
    known: set[str], refs: Sequence[str], path: FieldPath, what: str
) -> Iterable[PlanIssue]:
    for position, ref in enumerate(refs):
        if ref not in known:
            yield _issue((*path, position), f"unknown {what} {ref!r}")


def _indicators(plan: PlanContents) -> Iterable[PlanIssue]:
    signals = {s.code for s in plan.readiness_signals}
    tasks_by_indicator: dict[int, set[str]] = {}
    for task in plan.tasks:
        tasks_by_indicator.setdefault(task.indicator, set()).add(task.code)
    task_codes = {t.code for t in plan.tasks}
    for index, indicator in enumerate(plan.indicators):
        path: FieldPath = ("indicators", index)
        for position, code in enumerate(indicator.tasks):
            if code not in task_codes:
                yield _issue((*path, "tasks", position), f"unknown task {code!r}")
            elif code not in tasks_by_indicator.get(indicator.number, set()):
                yield _issue(
                    (*path, "tasks", position),
                    f"task {code!r} belongs to another indicator (see its `indicator`)",
                )
        missing = tasks_by_indicator.get(indicator.number, set()) - set(indicator.tasks)
        if missing:
            yield _issue((*path, "tasks"), f"tasks of this indicator not listed: {sorted(missing)}")
        for signal in indicator.readiness_weights:
            if signal not in signals:
                yield _issue(
                    (*path, "readiness_weights", signal),
                    f"unknown readiness signal {signal!r}",
                )
        total = sum(indicator.readiness_weights.values())
        if abs(total - 1.0) > _WEIGHT_TOLERANCE:
            yield _issue((*path, "readiness_weights"), f"weights sum to {total:g}, not 1")


def _tasks(plan: PlanContents) -> Iterable[PlanIssue]:
    refs = {u.code for u in plan.units} | {g.code for g in plan.unit_groups}
    indicators = {i.number for i in plan.indicators}
    kinds = {k.code for k in plan.document_kinds}
    sections = {s.code for s in plan.portal_sections}
    for index, task in enumerate(plan.tasks):
        path: FieldPath = ("tasks", index)
        prefix = int(task.code.split(".")[0])
        if task.indicator not in indicators:
            yield _issue((*path, "indicator"), f"unknown indicator {task.indicator}")
        elif task.indicator != prefix:
            yield _issue(
                (*path, "indicator"),
                f"task {task.code} must belong to indicator {prefix}, not {task.indicator}",
            )
        yield from _unknown(refs, task.lead, (*path, "lead"), "unit or group")
        yield from _unknown(refs, task.supporting, (*path, "supporting"), "unit or group")
        yield from _unknown(kinds, task.document_kinds, (*path, "document_kinds"), "document kind")
        yield from _unknown(sections, task.portal_sections, (*path, "portal_sections"), "section")


def _merged_cells(plan: PlanContents) -> Iterable[PlanIssue]:
    """A row whose cells the seed merged with another's must repeat that row's values."""
    position = {t.code: i for i, t in enumerate(plan.tasks)}
    for index, task in enumerate(plan.tasks):
        source_code = task.merged_cells_from
        if source_code is None:
            continue
        path: FieldPath = ("tasks", index, "merged_cells_from")
        if source_code not in position or position[source_code] >= index:
            yield _issue(path, f"{source_code!r} is not an earlier task")
            continue
        source = plan.tasks[position[source_code]]
        for field in ("lead", "supporting", "supporting_role", "timing"):
            if getattr(task, field) != getattr(source, field):
                yield _issue(
                    ("tasks", index, field),
                    f"differs from task {source_code}, whose cell this row shares",
                )


def _reporting_rules(plan: PlanContents) -> Iterable[PlanIssue]:
    units = {u.code for u in plan.units}
    yearly = {rule.reporter for rule in plan.reporting_rules if rule.period == "year"}
    for index, rule in enumerate(plan.reporting_rules):
        listed = isinstance(rule.recipient, tuple)
        for n, recipient in enumerate(rule.recipients):
            if recipient not in units:
                path: FieldPath = ("reporting_rules", index, "recipient")
                yield _issue((*path, n) if listed else path, f"unknown unit {recipient!r}")
        if rule.fold_last_into_year and rule.reporter not in yearly:
            yield _issue(
                ("reporting_rules", index, "fold_last_into_year"),
                f"folds {rule.periods_folded()} into the annual report, but no yearly rule "
                f"has reporter {rule.reporter}: add one (period: year) or write false",
            )


def _escalation(plan: PlanContents) -> Iterable[PlanIssue]:
    units = {u.code for u in plan.units}
    for index, step in enumerate(plan.escalation.steps):
        if step.notify not in units:
            yield _issue(("escalation", "steps", index, "notify"), f"unknown unit {step.notify!r}")


def _dates(plan: PlanContents) -> Iterable[PlanIssue]:
    year = plan.meta.year
    earliest, latest = date(year - _YEARS_AROUND, 1, 1), date(year + _YEARS_AROUND, 12, 31)

    def outside(value: date | None) -> bool:
        return value is not None and not earliest <= value <= latest

    near = f"must lie between {earliest.isoformat()} and {latest.isoformat()}"
    if not date(year, 1, 1) <= plan.meta.effective_from <= date(year, 12, 31):
        yield _issue(("meta", "effective_from"), f"must lie in the plan year {year}")
    if outside(plan.meta.document.issued_on):
        yield _issue(("meta", "document", "issued_on"), near)
    for index, reference in enumerate(plan.meta.references):
        # A parent plan may be years older (a 2024-2026 programme); none is from the future.
        if reference.date > latest:
            yield _issue(
                ("meta", "references", index, "date"),
                f"must lie before {latest.isoformat()} (a referenced plan precedes this one)",
            )
    for index, task in enumerate(plan.tasks):
        if outside(task.timing.deadline):
            yield _issue(("tasks", index, "timing", "deadline"), near)
    calendar = plan.calendar
    for field, entries in (
        ("extra_holidays", calendar.extra_holidays),
        ("extra_working_days", calendar.extra_working_days),
    ):
        yield from _duplicates_in_calendar(field, [e.date for e in entries])
        for index, entry in enumerate(entries):
            if outside(entry.date):
                yield _issue(("calendar", field, index, "date"), near)
    both = calendar.extra_holiday_dates & calendar.extra_working_day_dates
    for index, entry in enumerate(calendar.extra_working_days):
        if entry.date in both:
            yield _issue(
                ("calendar", "extra_working_days", index, "date"),
                f"{entry.date.isoformat()} is also listed in extra_holidays",
            )


def _duplicates_in_calendar(field: str, dates: Sequence[date]) -> Iterable[PlanIssue]:
    for issue in _duplicates(field, dates, "date"):
        yield PlanIssue(path=("calendar", *issue.path), message=issue.message)


def _drafting(plan: PlanContents) -> Iterable[PlanIssue]:
    """Readers, recipients and issuers must be units of the plan; the notice's task a task."""
    drafting = plan.drafting
    if drafting is None:
        return
    units = {u.code for u in plan.units}
    for field in ("readers", "draft_recipients"):
        for position, code in enumerate(getattr(drafting, field)):
            if code not in units:
                yield PlanIssue(
                    path=("drafting", field, position), message=f"unknown unit {code!r}"
                )
    for name in ("consolidated_report", "inspection_notice"):
        document = getattr(drafting, name)
        issuer = document.issuer
        if issuer is None or issuer == plan.roles.focal_unit:
            continue
        if issuer not in units:
            yield PlanIssue(path=("drafting", name, "issuer"), message=f"unknown unit {issuer!r}")
        elif document.issuing_body is None:
            yield PlanIssue(
                path=("drafting", name, "issuing_body"),
                message=f"the document is issued by {issuer!r}, not the focal unit: write its "
                "header line `issuing_body` (and `superior_body` if it differs)",
            )
    task = drafting.inspection_notice.task
    if task not in {t.code for t in plan.tasks}:
        yield PlanIssue(
            path=("drafting", "inspection_notice", "task"),
            message=f"unknown task {task!r}: write the code of the plan's portal-inspection task",
        )
