"""The `minhbach` command: run the stack, serve one service, and the operators' tools."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

from minhbach.cli.deadletters import deadletters_app
from minhbach.cli.plan import plan_app
from minhbach.services import SERVICES, service
from minhbach.settings import NO_DATABASE, get_settings

# A crash prints the exception and stack, never the frames' locals (tokens, URLs with passwords).
app = typer.Typer(
    help="Minh Bạch: the transparency plan's tracker.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(plan_app, name="plan")
app.add_typer(deadletters_app, name="deadletters")
db_app = typer.Typer(help="Database schema (Alembic).", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def main(ctx: typer.Context) -> None:
    """Every command: end with `minhbach run` if it started us; find its servers if it is up."""
    from minhbach.infra.lifeline import hold_lifeline

    hold_lifeline()
    if ctx.invoked_subcommand != "run":
        _adopt_running_stack()


def _adopt_running_stack() -> None:
    """A command started from the repository while `make run` is up uses its embedded servers
    (var/run.json) unless servers are configured; the services it starts get them too."""
    from minhbach.infra.run_state import with_running_stack

    settings = get_settings()
    adopted = with_running_stack(settings)
    if adopted is not settings:
        os.environ["MINHBACH_DATABASE_URL"] = adopted.database_url
        os.environ["MINHBACH_NATS_URL"] = adopted.nats_url
        get_settings.cache_clear()


# The development tools (`minhbach run`, `minhbach dev ...`) live beside the core, not in it: they
# may import the services (the demo filer issues tokens through theirs), the core may not.
DEV_TOOLS = "minhbach_dev"


def _mount_service_commands() -> None:
    """Services contribute their operator commands (e.g. `units`, `notifier`) from `<pkg>.cli`,
    and the development tools theirs; found by name, so the core imports neither."""
    import importlib

    for package in [*(spec.package for spec in SERVICES), DEV_TOOLS]:
        try:
            module = importlib.import_module(f"{package}.cli")
        except ModuleNotFoundError as exc:
            if exc.name not in (package, f"{package}.cli"):
                raise
            continue
        for name, sub_app in getattr(module, "COMMANDS", {}).items():
            app.add_typer(sub_app, name=name)
        for name, command in getattr(module, "TOP_LEVEL_COMMANDS", {}).items():
            app.command(name)(command)


@app.command()
def serve(
    name: str = typer.Argument(..., help="intake | portal-monitor | scoring | notifier"),
) -> None:
    """Serve one service on its fixed port (needs MINHBACH_DATABASE_URL and MINHBACH_NATS_URL)."""
    import uvicorn

    from minhbach.observability.logging import configure_logging

    spec = service(name)
    settings = get_settings()
    configure_logging(spec.name, settings.log_level, settings.log_json)
    uvicorn.run(
        spec.app_factory,
        factory=True,
        host=settings.bind_host,
        port=spec.port(settings),
        log_config=None,
        access_log=False,
    )


@db_app.command("migrate")
def migrate() -> None:
    """Bring every service's schema to the newest revision."""
    from minhbach.db.migrations import migrate_all

    url = get_settings().database_url or os.environ.get("DATABASE_URL", "")
    if not url:
        typer.echo(NO_DATABASE, err=True)
        raise typer.Exit(2)
    migrate_all(url)
    typer.echo("migrated: " + ", ".join(s.schema for s in SERVICES))


@app.command()
def asyncapi(output: Path | None = typer.Option(None, "--output", "-o")) -> None:
    """Print (or write) the AsyncAPI document generated from the event catalogue."""
    from minhbach.events.asyncapi import asyncapi_document

    text = json.dumps(asyncapi_document(), ensure_ascii=False, indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        typer.echo(text)


_mount_service_commands()
