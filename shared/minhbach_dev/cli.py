"""`minhbach run` and `minhbach dev ...`: the whole system locally, and the stand-ins for the
outside world that `make run` starts."""

from __future__ import annotations

import typer

from minhbach.settings import get_settings

dev_app = typer.Typer(help="Local development tools (never deployed).", no_args_is_help=True)


def run() -> None:
    """Start the whole system locally (embedded NATS and PostgreSQL unless configured)."""
    from minhbach_dev.run import run_stack

    raise typer.Exit(run_stack(get_settings()))


# Mounted by the `minhbach` command (minhbach.cli), as the services' commands are.
COMMANDS = {"dev": dev_app}
TOP_LEVEL_COMMANDS = {"run": run}


@dev_app.command("smtp-sink")
def smtp_sink() -> None:
    """An SMTP server on 127.0.0.1 that writes each message as a .eml file under var/mail/."""
    from minhbach_dev.smtp_sink import serve_smtp_sink

    serve_smtp_sink(get_settings())


@dev_app.command("demo-filer")
def demo_filer() -> None:
    """The lead units file their Q3 reports through intake's API (real tokens), one late."""
    from minhbach_dev.demo_filer import serve_demo_filer

    serve_demo_filer(get_settings())


@dev_app.command("portal-simulator")
def portal_simulator() -> None:
    """Simulated district and commune portals on 127.0.0.1 (Vietnamese pages, feeds, faults)."""
    from minhbach_dev.portal_simulator import serve_portal_simulator

    serve_portal_simulator(get_settings())
