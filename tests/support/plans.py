"""Plans the tests build by editing the seed's YAML data.

A plan naming a shared rule set (`portal_monitoring.classification_rule_set`) is read through
the loader, which reads that file beside the seed; `Plan.model_validate` on raw YAML data would
refuse it, because the rule set's rules are not in the data."""

from __future__ import annotations

from typing import Any

import yaml

from minhbach.plan import Plan, default_plan_path, parse_plan


def seed_data() -> dict[str, Any]:
    """The seed plan's YAML as plain data, a fresh copy for each caller to edit."""
    data: dict[str, Any] = yaml.safe_load(default_plan_path().read_text(encoding="utf-8"))
    return data


def plan_from_seed_data(data: dict[str, Any]) -> Plan:
    """Build a plan from edited seed data, as if it were a file beside the seed."""
    return parse_plan(yaml.safe_dump(data, allow_unicode=True), str(default_plan_path()))
