"""`minhbach reporting ...`: readers' tokens for the coordinator's page, and the drafts."""

from __future__ import annotations

import typer

from minhbach.cli.database import with_database
from minhbach.db.session import Sessions
from minhbach.plan import load_plan
from minhbach.settings import get_settings
from reporting import service as use_cases
from reporting import store
from reporting.access import issue_reader_token, revoke_reader_tokens

reporting_app = typer.Typer(help="Reporting: the coordinator's page and the drafted documents.")
COMMANDS = {"reporting": reporting_app}


@reporting_app.command("issue-token")
def issue(
    unit: str = typer.Argument(..., help="A reader's unit code from the plan, e.g. vhtt"),
    keep_old: bool = typer.Option(False, help="Keep the unit's earlier tokens valid"),
) -> None:
    """Issue a token for the coordinator's page to UNIT (a reader: the focal unit or leadership)
    and print it once (only its hash is stored)."""
    plan = load_plan(get_settings().plan_file)
    readers = plan.drafting.readers if plan.drafting else ()
    if unit not in readers:
        typer.echo(
            f"{unit!r} is not a reader of the plan's drafts ({', '.join(readers)})", err=True
        )
        raise typer.Exit(2)
    token = with_database(lambda sessions: issue_reader_token(sessions, unit, keep_others=keep_old))
    typer.echo(token)
    typer.echo(
        f"token for {unit} printed above; it is stored hashed and cannot be shown again", err=True
    )


@reporting_app.command("revoke")
def revoke(unit: str = typer.Argument(..., help="Unit code")) -> None:
    """Revoke every reporting token of UNIT."""
    count = with_database(lambda sessions: revoke_reader_tokens(sessions, unit))
    typer.echo(f"revoked {count} token(s) of {unit}")


@reporting_app.command("drafts")
def drafts() -> None:
    """Every drafted version, newest first."""

    async def work(sessions: Sessions) -> list[store.DraftRow]:
        return await use_cases.list_drafts(use_cases.unit_of_work(sessions))

    for row in with_database(work):
        pdf = "pdf" if row.has_pdf else "no-pdf"
        typer.echo(
            f"{row.drafted_at:%Y-%m-%d %H:%M} {row.kind:<20} {row.period_key:<10} "
            f"v{row.version_no} {row.trigger:<14} {pdf:<6} {row.draft_id}"
        )
