"""The Vietnamese summary printed after an import: what was read, how each unit name was
matched, and what needs a person (the same notes as the file's KIỂM TRA comments)."""

from __future__ import annotations

from collections.abc import Sequence

from minhbach.plan import Plan
from minhbach.plan_import import messages
from minhbach.plan_import.model import Note, PlanDraft
from minhbach.plan_import.resolve import Resolution
from minhbach.plan_import.units import Directory


def summary(
    draft: PlanDraft,
    directory: Directory,
    res: Resolution,
    plan: Plan,
    notes: Sequence[Note],
    differences: Sequence[str],
    from_base: bool,
    file_checks: int,
) -> str:
    matches = [
        (name, match.unit.code, match.unit.name, match.score)
        for name, match in res.matches.items()
        if match.unit is not None
    ]
    rules = [
        messages.rule_line(
            rule.reporter,
            rule.period,
            rule.due_before_day,
            rule.due_before_month,
            rule.due_month,
            rule.periods_folded(),
            ", ".join(plan.unit(code).name for code in rule.recipients),
        )
        for rule in plan.reporting_rules
    ]
    checks = [f"{messages.about(note.about)}: {note.text}" for note in notes]
    lines = messages.summary_lines(
        title=plan.meta.title,
        issuer=plan.meta.issuer,
        year=plan.meta.year,
        signer=f"{plan.meta.signer.title} {plan.meta.signer.name}",
        focal=f"{plan.focal_unit.name} ({plan.focal_unit.code})",
        counts=(len(plan.indicators), len(plan.tasks), len(plan.units), len(plan.unit_groups)),
        matches=matches,
        rules=rules,
        checks=list(dict.fromkeys(checks)),
        corrections=list(draft.corrections),
        differences=list(differences),
        from_base=from_base,
        file_checks=file_checks,
    )
    del directory
    return "\n".join(lines)
