"""`minhbach plan show --calendar YEAR`: every deadline the reporting rules compute for a year.

So a user sees at once what the rules mean: the rule's words, then per period the day it is due
"before", the last day a report is on time (moved past days off as the services move it), the
data cut-off span, and a period folded into the annual report.
"""

from __future__ import annotations

from datetime import timedelta

from minhbach.calendar import format_vn_date_short, format_vn_weekday
from minhbach.periods import periods_of_kind
from minhbach.plan import Plan, ReportingRule


def describe_rule(rule: ReportingRule) -> str:
    """One line for an operator: who reports to whom, per what, due when."""
    to = ", ".join(rule.recipients)
    if rule.period == "year":
        when = f"before {rule.due_before_day:02d}/{rule.due_before_month:02d}"
    else:
        month = rule.due_month or "next"
        where = {
            "next": "of the month after the period",
            "last": "of the period's last month",
            "first": "of the period's first month",
        }.get(str(month), f"of month {month} of the period")
        when = f"before day {rule.due_before_day} {where}"
    extras = []
    if rule.fold_last_into_year:
        extras.append(f"{rule.periods_folded()} folded into the annual report")
    if rule.data_cutoff_day is not None:
        extras.append(f"data cut-off day {rule.data_cutoff_day}")
    tail = f" ({'; '.join(extras)})" if extras else ""
    return f"{rule.code}: {rule.reporter} -> {to}, per {rule.period}, {when}{tail}"


def render_calendar(plan: Plan, year: int) -> str:
    """Every computed deadline of `year`, rule by rule, in the plan's order."""
    calendar = plan.working_calendar()
    lines = [f"Reporting calendar {year} ({plan.meta.title})"]
    for rule in plan.reporting_rules:
        lines += ["", describe_rule(rule)]
        if rule.text:
            lines.append(f"  “{rule.text}”")
        for code in periods_of_kind(rule.period):
            if code not in rule.periods:
                lines.append(f"  {code:<5} folded into the annual report")
                continue
            before = rule.due_before_date(year, code)
            last = rule.last_day(calendar, year, code)
            moved = "" if last == before - timedelta(days=1) else " (moved past days off)"
            line = (
                f"  {code:<5} before {format_vn_date_short(before)}  last day "
                f"{format_vn_weekday(last)} {format_vn_date_short(last)}{moved}"
            )
            span = rule.data_span(year, code)
            if span is not None:
                line += f"  data {format_vn_date_short(span[0])}-{format_vn_date_short(span[1])}"
            lines.append(line)
    return "\n".join(lines)
