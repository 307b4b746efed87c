"""Warnings where a reporting rule's own words and the dates it computes disagree.

A plan copies its rule from the signed text ("trước ngày 10 tháng cuối quý") and encodes it in
fields (`due_before_day: 10`, `due_month: last`). A slip in the fields moves every reminder,
notice and draft of the year, and nothing fails: the plan is valid either way. So `minhbach plan
validate` reads the text for the day and the month it names and warns when the fields say
otherwise, showing the date they compute (decision 0017). A text it cannot read gives no warning.
It also warns where two rules ask the same reporter for the same reports sent to the same units
(a copied rule left unchanged would double every reminder).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from minhbach.calendar import format_vn_date_short
from minhbach.periods import ReportingPeriod, period_label
from minhbach.plan.contents import PlanContents
from minhbach.plan.errors import PlanIssue
from minhbach.plan.rules import ReportingRule

# "ngày 10", "ngày 02/12", "ngày 15 tháng 6" (the month part only as a number)
_DAY: Final = re.compile(r"ngày\s+0?(\d{1,2})(?:\s*/\s*0?(\d{1,2})|\s+tháng\s+0?(\d{1,2})\b)?")
_DAY_MONTH: Final = re.compile(r"(?<![\d/])0?(\d{1,2})\s*/\s*0?(\d{1,2})(?![\d])")
_PERIOD: Final = r"(?:quý|kỳ|kỳ\s+báo\s+cáo)"
_FIRST: Final = r"(?:đầu\s+tiên|đầu|thứ\s+nhất)"
_MONTH_PHRASES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    (
        "next",
        re.compile(
            rf"tháng\s+{_FIRST}\s+(?:của\s+)?{_PERIOD}\s+(?:tiếp\s+theo|sau|kế\s+tiếp)"
            r"|tháng\s+(?:sau|kế\s+tiếp|tiếp\s+theo)\b"
        ),
    ),
    ("last", re.compile(rf"tháng\s+cuối\s+(?:của\s+)?{_PERIOD}")),
    ("first", re.compile(rf"tháng\s+{_FIRST}\s+(?:của\s+)?{_PERIOD}")),
)
_NTH: Final = re.compile(rf"tháng\s+thứ\s+(\d|hai|ba)\s+(?:của\s+)?{_PERIOD}")
_NUMBERS: Final = {"hai": 2, "ba": 3}
_MONTH_WORDS: Final = {
    "next": "the month after the period",
    "last": "the period's last month",
    "first": "the period's first month",
}


@dataclass(frozen=True)
class _Read:
    """What a rule's text says: the day, fixed months ("05/6 và 05/12") or a month of the
    period ("tháng cuối quý")."""

    day: int | None
    fixed_months: tuple[int, ...]
    period_month: str | int | None  # "next" | "last" | "first" | k

    @property
    def fixed_month(self) -> int | None:
        return self.fixed_months[0] if self.fixed_months else None


def read_rule_text(text: str) -> _Read:
    lowered = " ".join(text.lower().split())
    days = list(_DAY.finditer(lowered))
    day = int(days[0].group(1)) if days else None
    # "ngày 15 tháng 6", and every "D/M" ("trước ngày 05/6 và 05/12"; not "09/2019/NĐ-CP")
    worded = [(m.start(), int(m.group(3))) for m in days if m.group(3)]
    numeric = [
        (m.start(), int(m.group(2)))
        for m in _DAY_MONTH.finditer(lowered)
        if 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12
    ]
    fixed = tuple(month for _at, month in sorted(worded + numeric))
    period_month: str | int | None = None
    for name, pattern in _MONTH_PHRASES:
        if pattern.search(lowered):
            period_month = name
            break
    nth = _NTH.search(lowered)
    if period_month is None and nth:
        word = nth.group(1)
        period_month = int(word) if word.isdigit() else _NUMBERS[word]
    return _Read(day, fixed, period_month)


def rule_text_warnings(plan: PlanContents) -> list[PlanIssue]:
    """One warning per rule whose text names a day or month its fields do not compute, and per
    rule asking the same reporter for the same periods as an earlier one, to the same units."""
    issues = [
        PlanIssue(("reporting_rules", index, "text"), message)
        for index, rule in enumerate(plan.reporting_rules)
        if rule.text
        for message in _disagreements(plan, rule)
    ]
    first: dict[tuple[str, str, frozenset[str]], int] = {}
    for index, rule in enumerate(plan.reporting_rules):
        key = (rule.reporter, rule.period, frozenset(rule.recipients))
        if key in first:
            issues.append(
                PlanIssue(
                    ("reporting_rules", index, "code"),
                    f"asks {rule.reporter} for the same {rule.period} reports, sent to the same "
                    f"units, as reporting_rules[{first[key]}]: each owes its own deadline, "
                    "reminders and drafts; remove one, or name the other recipient",
                )
            )
        else:
            first[key] = index
    return issues


def _disagreements(plan: PlanContents, rule: ReportingRule) -> Iterable[str]:
    assert rule.text is not None
    said = read_rule_text(rule.text)
    year = plan.meta.year
    first = rule.periods[0] if rule.periods else None
    if first is None:
        return
    before = rule.due_before_date(year, first)
    last_day = rule.last_day(plan.working_calendar(), year, first)
    computed = (
        f"the fields compute 'before {format_vn_date_short(before)}' for "
        f"{period_label(first, year)} (last day {format_vn_date_short(last_day)})"
    )
    if said.day is not None and said.day != rule.due_before_day:
        yield (
            f"the text says day {said.day} but `due_before_day` is {rule.due_before_day}; "
            f"{computed}: correct one of them"
        )
    if rule.period == "year":
        if said.fixed_month is not None and said.fixed_month != rule.due_before_month:
            yield (
                f"the text says month {said.fixed_month} but `due_before_month` is "
                f"{rule.due_before_month}; {computed}: correct one of them"
            )
        return
    if said.fixed_months:
        months = {rule.due_before_date(year, code).month for code in rule.periods}
        for month in dict.fromkeys(said.fixed_months):
            if month not in months:
                yield (
                    f"the text names month {month}, which is not the month any "
                    f"{rule.period} of this rule is due in; {computed}: set `due_month`"
                )
        return
    if said.period_month is None:
        return
    length = ReportingPeriod(year, rule.periods[0]).length_months
    wanted = {"first": 1, "last": length, "next": length + 1}.get(str(said.period_month))
    if wanted is None:
        wanted = int(said.period_month)
    if wanted != rule.due_month_index:
        words = _MONTH_WORDS.get(str(said.period_month), f"month {said.period_month} of the period")
        write = said.period_month if isinstance(said.period_month, str) else wanted
        yield (
            f"the text says {words} but `due_month` is {rule.due_month or 'next (the default)'}; "
            f"{computed}: write `due_month: {write}` or correct the text"
        )
