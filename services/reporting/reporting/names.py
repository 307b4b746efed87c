"""Lists of unit names as a report writes them: units of one kind whose names in the plan all
begin with the same words ("UBND xã ...") are written with those words once, "UBND xã Bảo Sơn,
Chu Điện, Đông Phú", the others in full. The shared words come from the plan's own names,
never from a list of words for a level of government."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from minhbach.plan import Plan

_PREFIXES: dict[int, tuple[Plan, dict[str, str]]] = {}


def kind_prefixes(plan: Plan) -> dict[str, str]:
    """`_kind_prefixes`, once per plan (a plan is immutable; there are few)."""
    found = _PREFIXES.get(id(plan))
    if found is None or found[0] is not plan:
        found = _PREFIXES[id(plan)] = (plan, _kind_prefixes(plan))
    return found[1]


def _kind_prefixes(plan: Plan) -> dict[str, str]:
    """Per unit kind, the words every name of that kind begins with (followed by at least one
    word of its own), when the plan has two or more units of the kind."""
    by_kind: dict[str, list[list[str]]] = {}
    for unit in plan.units:
        by_kind.setdefault(unit.kind, []).append(unit.name.split())
    prefixes = {}
    for kind, names in by_kind.items():
        if len(names) < 2:
            continue
        shared = min(len(n) for n in names) - 1
        for position in range(shared):
            if len({n[position] for n in names}) > 1:
                shared = position
                break
        if shared > 0:
            prefixes[kind] = " ".join(names[0][:shared])
    return prefixes


def name_list(plan: Plan, codes: Iterable[str], after: Mapping[str, str] | None = None) -> str:
    """The units' names in the given order, shared words written once per run of one kind;
    `after` adds a unit's own words after its name (" (nhiệm vụ 1.1, 3.2)")."""
    prefixes = kind_prefixes(plan)
    runs: list[tuple[str, list[str]]] = []  # (shared words, names), "" for names in full
    for code in codes:
        unit = plan.unit(code) if plan.has_unit(code) else None
        prefix = prefixes.get(unit.kind, "") if unit is not None else ""
        text = (unit.name if unit is not None else code) + (after or {}).get(code, "")
        if runs and runs[-1][0] == prefix:
            runs[-1][1].append(text[len(prefix) + 1 :] if prefix else text)
        else:
            runs.append((prefix, [text]))
    return "; ".join(", ".join(names) for _, names in runs)


def short_name(plan: Plan, code: str) -> str:
    """A unit's name as it may appear after the first of its run (without the shared words)."""
    unit = plan.unit(code)
    prefix = kind_prefixes(plan).get(unit.kind, "")
    return unit.name[len(prefix) + 1 :] if prefix else unit.name
