"""`minhbach deadletters`: see and replay events a service gave up on."""

from __future__ import annotations

import asyncio

import typer

from minhbach.services import SERVICES, service
from minhbach.settings import get_settings

deadletters_app = typer.Typer(help="Dead-lettered events: list and replay.", no_args_is_help=True)


@deadletters_app.command("list")
def list_dead_letters(
    name: str | None = typer.Option(None, "--service", help="one service; default all"),
) -> None:
    """List dead letters not yet replayed."""
    from minhbach.messaging.dead_letters import pending_dead_letters

    specs = [service(name)] if name else list(SERVICES)
    rows = asyncio.run(pending_dead_letters(get_settings().database_url, specs))
    if not rows:
        typer.echo("no dead letters")
    for row in rows:
        typer.echo(
            f"{row.service}#{row.id}  {row.failed_at:%Y-%m-%d %H:%M:%S}  {row.subject}  "
            f"event={row.event_id}  deliveries={row.deliveries}  {row.error[:120]}"
        )


@deadletters_app.command("replay")
def replay(
    name: str = typer.Argument(..., help="the service that dead-lettered it"),
    dead_letter_id: int = typer.Argument(..., help="the number shown by `list`"),
) -> None:
    """Publish the event again so the service retries it (other consumers ignore it: inbox)."""
    from minhbach.messaging.dead_letters import replay_dead_letter

    settings = get_settings()
    asyncio.run(replay_dead_letter(settings, service(name), dead_letter_id))
    typer.echo(f"replayed {name}#{dead_letter_id}")
