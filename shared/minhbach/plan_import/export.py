"""The plan as a spreadsheet to circulate and review (`minhbach plan export --xlsx`), and the
unit directory template (`minhbach units template`). Rows are built here (pure); `xlsx` writes.

The "Đơn vị" sheet has the directory's columns, so an exported plan's units import again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from minhbach.calendar import last_on_time_day
from minhbach.plan import Plan, Target
from minhbach.plan_import import messages, schema
from minhbach.plan_import.xlsx import template_columns, write_book


def _target(target: Target | None) -> str:
    return "" if target is None else (target.text or f"{target.comparison} {target.value:g}")


def unit_rows(plan: Plan) -> list[list[Any]]:
    return [
        [
            u.code,
            u.name,
            schema.KIND_LABELS.get(u.kind, u.kind),
            u.email,
            u.portal or "",
            "",
            u.person or "",
            "",
        ]
        for u in plan.units
    ]


def deadline_rows(plan: Plan) -> list[list[Any]]:
    """Every dated obligation of the plan year from the plan alone: reports and fixed tasks."""
    calendar = plan.working_calendar()
    rows: list[tuple[date, str, str, str]] = []
    for rule in plan.reporting_rules:
        who = plan.focal_unit.name if rule.reporter == "focal_unit" else messages.EXPORT_LEAD_UNITS
        for period in rule.periods:
            due = last_on_time_day(rule.due(calendar, plan.year, period))
            what = messages.export_report(
                period, plan.year, ", ".join(plan.unit(code).name for code in rule.recipients)
            )
            rows.append((due, who, what, rule.code))
    for task in plan.tasks:
        if task.timing.deadline is not None:
            names = ", ".join(plan.unit(code).name for code in plan.lead_unit_codes(task.code))
            rows.append(
                (task.timing.deadline, names, f"{task.code}: {task.timing.text}", task.code)
            )
    return [[d, who, what, code] for d, who, what, code in sorted(rows, key=lambda r: r[0])]


def plan_book(plan: Plan) -> bytes:
    indicators = [
        [i.number, i.title, _target(i.target), ", ".join(i.tasks)] for i in plan.indicators
    ]
    tasks = [
        [
            t.code,
            t.indicator,
            t.text,
            ", ".join(_names(plan, t.lead)),
            ", ".join(_names(plan, t.supporting)),
            t.supporting_role or "",
            t.timing.text,
            t.timing.deadline or "",
        ]
        for t in plan.tasks
    ]
    return write_book(
        [
            (messages.SHEET_INDICATORS, messages.EXPORT_INDICATOR_HEADER, indicators),
            (messages.SHEET_TASKS, messages.EXPORT_TASK_HEADER, tasks),
            (messages.SHEET_UNITS, template_columns(), unit_rows(plan)),
            (messages.SHEET_DEADLINES, messages.EXPORT_DEADLINE_HEADER, deadline_rows(plan)),
        ]
    )


def _names(plan: Plan, codes: tuple[str, ...]) -> list[str]:
    out = []
    for code in codes:
        if plan.has_unit(code):
            out.append(plan.unit(code).name)
        else:
            out.append(plan.group(code).name)
    return out


def template_book() -> bytes:
    """The unit directory's columns, one example row per usual kind, and a sheet of help."""
    examples = [
        ["ubnd", "UBND tỉnh A", "Tỉnh", "vanphong@a.gov.vn", "https://a.gov.vn", "", "", ""],
        ["chu-tich", "Chủ tịch UBND tỉnh", "Lãnh đạo", "chutich@a.gov.vn", "", "ubnd", "", ""],
        [
            "vhtt",
            "Phòng Văn hóa và Thông tin",
            "Phòng/Sở/Ban",
            "vhtt@a.gov.vn",
            "",
            "ubnd",
            "",
            "Phòng VH&TT",
        ],
        ["xa-b", "UBND xã B", "Xã", "xab@a.gov.vn", "https://xab.a.gov.vn", "ubnd", "", ""],
    ]
    kinds = [[label] for label in schema.KIND_HELP.split(", ")]
    return write_book(
        [
            (messages.SHEET_UNITS, template_columns(), examples),
            (
                messages.SHEET_HELP,
                [messages.TEMPLATE_HELP_HEADER],
                [*messages.TEMPLATE_HELP, *kinds],
            ),
        ]
    )
