"""`minhbach dev ...`: local stand-ins for the outside world, started by `make run`."""

from __future__ import annotations

import typer

from minhbach.settings import get_settings

dev_app = typer.Typer(help="Local development tools (never deployed).", no_args_is_help=True)


@dev_app.command("smtp-sink")
def smtp_sink() -> None:
    """An SMTP server on 127.0.0.1 that writes each message as a .eml file under var/mail/."""
    from minhbach.devtools.smtp_sink import serve_smtp_sink

    serve_smtp_sink(get_settings())


@dev_app.command("demo-filer")
def demo_filer() -> None:
    """The lead units file their Q3 reports through intake's API (real tokens), one late."""
    from minhbach.devtools.demo_filer import serve_demo_filer

    serve_demo_filer(get_settings())


@dev_app.command("portal-simulator")
def portal_simulator() -> None:
    """Simulated district and commune portals on 127.0.0.1 (Vietnamese pages, feeds, faults)."""
    from minhbach.devtools.portal_simulator import serve_portal_simulator

    serve_portal_simulator(get_settings())
