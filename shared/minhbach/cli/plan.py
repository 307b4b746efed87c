"""`minhbach plan ...`: validate, show, import (from .docx/.xlsx) and export a plan file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from minhbach.calendar import FIRST_PLAN_YEAR, LAST_PLAN_YEAR, has_official_table
from minhbach.cli.plan_calendar import describe_rule, render_calendar
from minhbach.plan import Plan, PlanError, Target, load_plan
from minhbach.plan.loader import load_plan_with_warnings

plan_app = typer.Typer(help="Validate and show the plan file.", no_args_is_help=True)


@plan_app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="The plan YAML to check.")],
) -> None:
    """Check a plan file; print one `file:line: field: message` line per problem."""
    try:
        plan, warnings = load_plan_with_warnings(file)
    except PlanError as error:
        for issue in error.issues:
            typer.echo(issue.format())
        count = len(error.issues)
        typer.echo(f"{file}: {count} issue{'s' if count != 1 else ''}, plan rejected", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{file}: OK: {_one_line_summary(plan)}")
    for warning in warnings:
        typer.echo(f"warning: {warning.format()}", err=True)
    for year in (plan.meta.year, plan.meta.year + 1):
        if not has_official_table(year):
            typer.echo(
                f"{file}: warning: no table of official swapped days for {year} in "
                "minhbach.calendar: the holidays package alone decides (make-up Saturdays "
                "count as days off); add the year's notices or the plan's calendar overrides",
                err=True,
            )


@plan_app.command("import")
def import_(
    docx: Annotated[Path, typer.Argument(help="The signed plan (.docx) with its appendix table.")],
    units: Annotated[Path, typer.Option("--units", help="The unit directory (.xlsx).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The plan file to write.")],
    base: Annotated[
        Path | None,
        typer.Option("--base", help="The plan in use: keep its codes, portals and policy."),
    ] = None,
) -> None:
    """Read a plan's .docx and unit .xlsx into a plan file (KIỂM TRA notes where guessed)."""
    from minhbach.plan_import import messages
    from minhbach.plan_import.commands import check_count, import_files
    from minhbach.plan_import.errors import ImportFailure

    try:
        result = import_files(docx, units, base)
    except ImportFailure as error:
        typer.echo(error.message, err=True)
        typer.echo(messages.not_written(), err=True)
        raise typer.Exit(1) from None
    typer.echo(result.summary)
    output.write_text(result.text, encoding="utf-8")
    typer.echo(messages.written(str(output), check_count(result.text)))


@plan_app.command("export")
def export(
    xlsx: Annotated[Path, typer.Option("--xlsx", help="The spreadsheet to write.")],
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Plan YAML (default: MINHBACH_PLAN_FILE or the seed plan)."),
    ] = None,
) -> None:
    """Write the plan as a spreadsheet: indicators, tasks, units, the year's deadlines."""
    from minhbach.plan_import import messages
    from minhbach.plan_import.export import plan_book

    path = file if file is not None else _configured_plan_path()
    try:
        plan = load_plan(path)
    except PlanError as error:
        for issue in error.issues:
            typer.echo(issue.format(), err=True)
        raise typer.Exit(1) from None
    xlsx.write_bytes(plan_book(plan))
    typer.echo(messages.exported(str(xlsx)))


@plan_app.command("show")
def show(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the whole plan, groups expanded, as JSON.")
    ] = False,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Plan YAML (default: MINHBACH_PLAN_FILE or the seed plan)."),
    ] = None,
    calendar_year: Annotated[
        int | None,
        typer.Option(
            "--calendar",
            metavar="YEAR",
            min=FIRST_PLAN_YEAR,
            max=LAST_PLAN_YEAR,
            help="Print every deadline the reporting rules compute for YEAR.",
        ),
    ] = None,
) -> None:
    """Print the plan: a readable summary, everything as JSON, or a year's deadlines."""
    path = file if file is not None else _configured_plan_path()
    try:
        plan = load_plan(path)
    except PlanError as error:
        for issue in error.issues:
            typer.echo(issue.format(), err=True)
        raise typer.Exit(1) from None
    if calendar_year is not None:
        typer.echo(render_calendar(plan, calendar_year))
    elif as_json:
        typer.echo(json.dumps(plan.expanded(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_summary(plan))


def _configured_plan_path() -> Path:
    from minhbach.settings import get_settings

    return get_settings().plan_file


def _one_line_summary(plan: Plan) -> str:
    return (
        f"{plan.words.place} ({plan.meta.level}) {plan.meta.year}: "
        f"{len(plan.indicators)} indicators, {len(plan.tasks)} tasks, {len(plan.units)} units "
        f"({len(plan.communes())} commune-level), focal unit {plan.roles.focal_unit}"
    )


def _units(count: int) -> str:
    return f"{count} unit{'s' if count != 1 else ''}"


def _target(target: Target | None) -> str:
    if target is None:
        return "no target"
    suffix = " points" if target.unit == "points" else "%"
    return f"{target.comparison} {target.value:g}{suffix}"


def _timing(plan: Plan, code: str) -> str:
    timing = plan.task(code).timing
    if timing.kind == "fixed_deadline" and timing.deadline is not None:
        return f"due by {timing.deadline.isoformat()}"
    if timing.is_event_driven:
        return f"{timing.kind}, within {timing.within_working_days} working days"
    return timing.kind


def render_summary(plan: Plan) -> str:
    """The plan at a glance, for an operator's terminal."""
    meta = plan.meta
    lines = [
        meta.title,
        f"{meta.issuer}, {', '.join(filter(None, (meta.province, str(meta.year))))}; "
        f"signed by {meta.signer.name}",
        f"Overall target: {_target(meta.overall_target)}; focal unit: {plan.focal_unit.name} "
        f"({plan.focal_unit.code})",
        f"Units: {len(plan.units)} ({len(plan.communes())} commune-level, "
        f"{len(plan.portal_units())} portals)",
        "",
        "Indicators and tasks:",
    ]
    for indicator in plan.indicators:
        lines.append(f"  {indicator.number}. {indicator.title} [{_target(indicator.target)}]")
        for task in plan.tasks_of_indicator(indicator.number):
            lead = plan.lead_unit_codes(task.code)
            lines.append(
                f"     {task.code}  lead: {', '.join(task.lead)} ({_units(len(lead))}); "
                f"{_timing(plan, task.code)}"
            )
    lines += ["", "Reporting rules:"]
    lines += [f"  {describe_rule(rule)}" for rule in plan.reporting_rules]
    ladder = plan.escalation
    steps = ", ".join(
        f"{step.notify} after {step.after_overdue_working_days}" for step in ladder.steps
    )
    lines += [
        "",
        f"Escalation: reminders {list(ladder.reminders_before_due_working_days)} working days "
        f"before due; overdue notice after {ladder.overdue_notice_after_working_days}; "
        f"escalate to {steps} working days overdue",
    ]
    return "\n".join(lines)
