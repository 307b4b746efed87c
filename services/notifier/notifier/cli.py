"""`minhbach notifier ...`: silences (set, list, remove) and the notices an operator must see."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from typing import Any, TypeVar

import typer

from minhbach.calendar import TZ
from minhbach.cli.database import with_database
from minhbach.db.session import Sessions
from minhbach.db.unit_of_work import UnitOfWork
from minhbach.messaging.outbox import Outbox
from notifier import operations
from notifier.db import messaging

notifier_app = typer.Typer(help="Notifier: silences and failed notices.", no_args_is_help=True)
COMMANDS = {"notifier": notifier_app}

T = TypeVar("T")


def _call(use_case: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """A use case of `notifier.operations` on the configured database (one transaction)."""

    async def on(sessions: Sessions) -> T:
        return await use_case(UnitOfWork(sessions, Outbox(messaging).emit))

    return with_database(on)


def _until(value: str) -> datetime:
    """A date (silenced through that whole day, Vietnam time) or an ISO instant."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=TZ)
    return datetime.combine(day, time(23, 59, 59), tzinfo=TZ)


@notifier_app.command("silence")
def silence(
    until: str = typer.Option(..., help="YYYY-MM-DD (through that day) or an ISO instant"),
    reason: str = typer.Option(..., help="why, for the next operator"),
    unit: str | None = typer.Option(None, help="a unit code: none of its notices"),
    obligation: str | None = typer.Option(None, help="one obligation id"),
    by: str = typer.Option("", help="who set it"),
) -> None:
    """Hold back notices about a unit or an obligation until a date."""
    if (unit is None) == (obligation is None):
        typer.echo("give exactly one of --unit or --obligation", err=True)
        raise typer.Exit(2)
    moment = _until(until)
    silence_id = _call(
        lambda uow: operations.add_silence(
            uow,
            until=moment,
            reason=reason,
            unit_code=unit,
            obligation_id=obligation,
            created_by=by,
        )
    )
    typer.echo(f"silence #{silence_id}: {unit or obligation} until {moment.isoformat()}")


@notifier_app.command("silences")
def silences(all_: bool = typer.Option(False, "--all", help="include removed ones")) -> None:
    """List silences."""
    rows = _call(lambda uow: operations.list_silences(uow, include_removed=all_))
    if not rows:
        typer.echo("no silences")
    for r in rows:
        target = f"unit={r['unit_code']}" if r["unit_code"] else f"obligation={r['obligation_id']}"
        removed = f"  removed {_fmt(r['removed_at'])}" if r["removed_at"] else ""
        typer.echo(f"#{r['id']}  {target}  until {_fmt(r['until'])}  {r['reason']}{removed}")


@notifier_app.command("unsilence")
def unsilence(silence_id: int = typer.Argument(..., help="the number shown by `silences`")) -> None:
    """Remove a silence now."""
    if not _call(lambda uow: operations.remove_silence(uow, silence_id)):
        typer.echo(f"no active silence #{silence_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"removed silence #{silence_id}")


@notifier_app.command("failed")
def failed() -> None:
    """Notices given up on ('dead') or held after a crash ('uncertain')."""
    rows = _call(lambda uow: operations.list_notices(uow, ["dead", "uncertain"]))
    if not rows:
        typer.echo("no failed notices")
    for r in rows:
        typer.echo(_notice_line(r))


@notifier_app.command("notices")
def notices(
    state: str | None = typer.Option(None, help="pending, sending, sent, dead, uncertain ..."),
    limit: int = typer.Option(50),
) -> None:
    """Recent notices, newest first."""
    rows = _call(lambda uow: operations.list_notices(uow, [state] if state else [], limit))
    for r in rows:
        typer.echo(_notice_line(r))


@notifier_app.command("retry")
def retry(notice_key: str = typer.Argument(...)) -> None:
    """Send a dead or uncertain notice again (same Message-ID, attempts reset)."""
    if not _call(lambda uow: operations.requeue(uow, notice_key)):
        typer.echo(f"no dead or uncertain notice {notice_key}", err=True)
        raise typer.Exit(1)
    typer.echo(f"requeued {notice_key}")


def _fmt(value: Any) -> str:
    return value.astimezone(TZ).strftime("%Y-%m-%d %H:%M") if value else "-"


def _notice_line(r: dict[str, Any]) -> str:
    error = f"  {str(r['last_error'])[:100]}" if r["last_error"] else ""
    return (
        f"{r['notice_key']}  {r['state']:<9} {r['stage']:<12} {r['recipient_unit']:<16} "
        f"attempts={r['attempts']}  decided {_fmt(r['decided_at'])}  sent {_fmt(r['sent_at'])}"
        f"{error}"
    )
