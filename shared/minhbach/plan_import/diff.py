"""What a revised plan changes against the plan in use (`--base`): units, indicators, tasks and
reporting rules, compared through the loaded plans. Pure."""

from __future__ import annotations

from collections.abc import Iterator

from minhbach.plan import Plan
from minhbach.plan_import import messages


def differences(before: Plan, after: Plan) -> Iterator[str]:
    old_units = {u.code: u for u in before.units}
    new_units = {u.code: u for u in after.units}
    for code in new_units.keys() - old_units.keys():
        yield messages.added("đơn vị", code, new_units[code].name)
    for code in old_units.keys() - new_units.keys():
        yield messages.removed("đơn vị", code, old_units[code].name)
    for code in sorted(old_units.keys() & new_units.keys()):
        old, new = old_units[code], new_units[code]
        for field in ("name", "kind", "email", "portal"):
            if getattr(old, field) != getattr(new, field):
                yield messages.changed(
                    f"đơn vị {code}", field, getattr(old, field), getattr(new, field)
                )
    old_ind = {i.number: i for i in before.indicators}
    new_ind = {i.number: i for i in after.indicators}
    for number in sorted(new_ind.keys() - old_ind.keys()):
        yield messages.added("chỉ tiêu", str(number), new_ind[number].title)
    for number in sorted(old_ind.keys() - new_ind.keys()):
        yield messages.removed("chỉ tiêu", str(number), old_ind[number].title)
    for number in sorted(old_ind.keys() & new_ind.keys()):
        old_target, new_target = old_ind[number].target, new_ind[number].target
        old_value = (
            (old_target.comparison, old_target.value, old_target.unit) if old_target else None
        )
        new_value = (
            (new_target.comparison, new_target.value, new_target.unit) if new_target else None
        )
        if old_value != new_value:
            yield messages.changed(f"chỉ tiêu {number}", "mục tiêu", old_value, new_value)
    old_tasks = {t.code: t for t in before.tasks}
    new_tasks = {t.code: t for t in after.tasks}
    for code in sorted(new_tasks.keys() - old_tasks.keys()):
        yield messages.added("nhiệm vụ", code, new_tasks[code].text[:80])
    for code in sorted(old_tasks.keys() - new_tasks.keys()):
        yield messages.removed("nhiệm vụ", code, old_tasks[code].text[:80])
    for code in sorted(old_tasks.keys() & new_tasks.keys()):
        old_task, new_task = old_tasks[code], new_tasks[code]
        pairs: tuple[tuple[str, object, object], ...] = (
            ("chủ trì", old_task.lead, new_task.lead),  # as written: a group stays a group
            ("phối hợp", old_task.supporting, new_task.supporting),
            ("thời gian", _timing(old_task), _timing(new_task)),
            ("nội dung", " ".join(old_task.text.split()), " ".join(new_task.text.split())),
        )
        for label, old_seen, new_seen in pairs:
            if old_seen != new_seen:
                yield messages.changed(f"nhiệm vụ {code}", label, old_seen, new_seen)
    old_rules = {r.code: r for r in before.reporting_rules}
    new_rules = {r.code: r for r in after.reporting_rules}
    for code in sorted(old_rules.keys() | new_rules.keys()):
        old_rule, new_rule = old_rules.get(code), new_rules.get(code)
        if old_rule is None or new_rule is None:
            yield messages.changed(
                f"hạn báo cáo {code}", "", old_rule is not None, new_rule is not None
            )
            continue
        keys = ("reporter", "period", "due_before_day", "due_before_month", "recipient")
        old_key = tuple(getattr(old_rule, k) for k in keys)
        new_key = tuple(getattr(new_rule, k) for k in keys)
        if old_key != new_key:
            yield messages.changed(f"hạn báo cáo {code}", "", old_key, new_key)


def _timing(task: object) -> tuple[object, ...]:
    timing = task.timing  # type: ignore[attr-defined]
    return (timing.kind, timing.deadline)
