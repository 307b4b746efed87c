"""`minhbach units ...`: issue, list and revoke the units' intake tokens; the directory template."""

from __future__ import annotations

from pathlib import Path

import typer

from intake.auth import issue_token, list_tokens, revoke_tokens
from minhbach.cli.database import with_database
from minhbach.plan import load_plan
from minhbach.settings import get_settings

units_app = typer.Typer(help="Units' access tokens for intake (reports and evidence).")
COMMANDS = {"units": units_app}


def _known_unit(unit: str) -> None:
    plan = load_plan(get_settings().plan_file)
    if not plan.has_unit(unit):
        typer.echo(f"no unit {unit!r} in the plan {get_settings().plan_file}", err=True)
        raise typer.Exit(2)


@units_app.command("issue-token")
def issue(
    unit: str = typer.Argument(..., help="Unit code from the plan, e.g. vhtt"),
    keep_old: bool = typer.Option(False, help="Keep the unit's earlier tokens valid"),
) -> None:
    """Issue a token for UNIT and print it once (only its hash is stored)."""
    _known_unit(unit)
    token = with_database(lambda sessions: issue_token(sessions, unit, keep_others=keep_old))
    typer.echo(token)
    typer.echo(
        f"token for {unit} printed above; it is stored hashed and cannot be shown again", err=True
    )


@units_app.command("revoke")
def revoke(unit: str = typer.Argument(..., help="Unit code")) -> None:
    """Revoke every token of UNIT."""
    count = with_database(lambda sessions: revoke_tokens(sessions, unit))
    typer.echo(f"revoked {count} token(s) of {unit}")


@units_app.command("list")
def list_units() -> None:
    """Units of the plan with their active tokens."""
    plan = load_plan(get_settings().plan_file)
    tokens = with_database(list_tokens)
    active: dict[str, int] = {}
    for info in tokens:
        if info.revoked_at is None:
            active[info.unit_code] = active.get(info.unit_code, 0) + 1
    leads = set(plan.lead_unit_codes_all())
    for unit in plan.units:
        role = (
            "focal"
            if unit.code == plan.roles.focal_unit
            else ("lead" if unit.code in leads else "-")
        )
        typer.echo(f"{unit.code:<20} {role:<6} tokens={active.get(unit.code, 0)}  {unit.name}")


@units_app.command("template")
def template(
    path: Path = typer.Argument(..., help="Where to write the unit directory template (.xlsx)"),
) -> None:
    """Write the unit directory template `minhbach plan import --units` reads."""
    from minhbach.plan_import.export import template_book
    from minhbach.plan_import.messages import exported

    path.write_bytes(template_book())
    typer.echo(exported(str(path)))
