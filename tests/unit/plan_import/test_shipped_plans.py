"""Every shipped plan written back as its office's .docx and unit .xlsx (`docx_from_plan`)
imports to the same indicators, tasks, units and scoring obligations: the seed (a district of
the old three tiers), the province Bắc Ninh and the commune Tân Kỳ (decision 0013)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from minhbach.plan import load_plan
from minhbach.plan.rules import ReportingRule
from minhbach.plan_import.commands import import_bytes
from tests.unit.plan_import.documents import REPO, directory_from_plan, docx_from_plan
from tests.unit.plan_import.test_seed_import import obligations, task_view

PLANS = ["luc-nam-2024.yaml", "bac-ninh-2026.yaml", "tan-ky-2026.yaml"]


@pytest.mark.parametrize("name", PLANS)
def test_a_shipped_plan_comes_back_from_its_documents(name: str) -> None:
    shipped = load_plan(Path(REPO / "shared" / "plans" / name))
    result = import_bytes(
        docx_from_plan(shipped), f"{name}.docx", directory_from_plan(shipped), f"{name}.xlsx"
    )
    plan = result.plan
    assert [(i.number, i.title, i.target) for i in plan.indicators] == [
        (i.number, i.title, i.target) for i in shipped.indicators
    ]
    for task in shipped.tasks:
        assert task_view(plan, task.code) == task_view(shipped, task.code), task.code
    assert plan.roles == shipped.roles
    assert obligations(plan) == obligations(shipped)
    assert [rule_view(r) for r in plan.reporting_rules] == [
        rule_view(r) for r in shipped.reporting_rules
    ]


def rule_view(rule: ReportingRule) -> tuple[Any, ...]:
    month = rule.due_month_index if rule.period != "year" else None
    return (
        rule.reporter,
        rule.period,
        rule.due_before_day,
        rule.due_before_month,
        month,
        rule.fold_last_into_year,
        rule.data_cutoff_day,
        rule.recipients,
    )
