"""The seed plan with a second focal tier: the focal unit reports each quarter to the Chairman
(the seed's rule, due before the 10th of the month after) and also to another unit (`tckh`,
standing in for a province's PCI focal unit) on its own, earlier deadline."""

from __future__ import annotations

from functools import cache

from minhbach.plan import Plan, default_plan_path, parse_plan

SECOND_FOCAL_RULE = """  - code: focal-quarterly-pci
    reporter: focal_unit
    period: quarter
    due_before_day: 4
    recipient: [tckh]
    text: trước ngày 04 của tháng đầu tiên quý tiếp theo
"""


def seed_with_rules(extra: str) -> str:
    """The seed's text with `extra` appended to its `reporting_rules`."""
    text = default_plan_path().read_text(encoding="utf-8")
    start = text.index("\nreporting_rules:\n") + 1
    end = text.index("\n# ---", start)
    block = text[start:end].rstrip("\n") + "\n" + extra
    return text[:start] + block + text[end:]


@cache
def two_focal_tiers() -> Plan:
    return parse_plan(seed_with_rules(SECOND_FOCAL_RULE), "two-tiers.yaml")
