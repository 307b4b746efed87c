"""The plan: its contents, checked across the whole file when built.

Built by `parse_plan`/`load_plan`; constructing it directly (`Plan.model_validate`) runs the same
checks and raises `PlanError` (without line numbers) on a cross-reference problem.
"""

from __future__ import annotations

from pydantic import model_validator

from minhbach.plan.consistency import find_consistency_issues
from minhbach.plan.contents import PlanContents
from minhbach.plan.errors import PlanError


class Plan(PlanContents):
    """A district's yearly plan: units, indicators, tasks, reporting rules and escalation."""

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
        issues = find_consistency_issues(self)
        if issues:
            raise PlanError(issues)
        return self
