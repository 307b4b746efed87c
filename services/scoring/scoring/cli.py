"""`minhbach scoring ...`: compare the stored ledger and figures with a rebuild, or rebuild."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

import typer

from minhbach.cli.database import with_database
from minhbach.clock import clock_from_settings
from minhbach.db.unit_of_work import UnitOfWork
from minhbach.messaging.outbox import Outbox
from minhbach.plan import load_plan
from minhbach.settings import get_settings
from scoring.db import messaging
from scoring.scorer import Scorer
from scoring.service import ScoringService

scoring_app = typer.Typer(help="Scoring: the obligations ledger and readiness figures.")
COMMANDS = {"scoring": scoring_app}

T = TypeVar("T")


def _run(work: Callable[[ScoringService, datetime], Awaitable[T]]) -> T:
    """`work` with the service on the configured database (its events go to the outbox: the
    running service's relay publishes them) at the current clock."""
    settings = get_settings()
    scorer = Scorer(load_plan(settings.plan_file), settings.scoring_due_soon_working_days)
    clock = clock_from_settings(settings.clock_start, settings.clock_speed, settings.clock_anchor)
    return with_database(
        lambda sessions: work(
            ScoringService(scorer, UnitOfWork(sessions, Outbox(messaging).emit), clock),
            clock.now(),
        )
    )


@scoring_app.command("check")
def check() -> None:
    """Compare the stored ledger and figures with a rebuild from the projections (exit 1 if
    they differ). Figures that depend on time are compared at the current clock."""

    differences = _run(lambda scoring, now: scoring.differences(now))
    for line in differences:
        typer.echo(line)
    typer.echo(f"{len(differences)} difference(s)", err=True)
    raise typer.Exit(1 if differences else 0)


@scoring_app.command("rebuild")
def rebuild() -> None:
    """Recompute task states, the whole ledger and every figure from the projections. Changes
    are announced through the outbox (the running service's relay publishes them)."""

    summary = _run(lambda scoring, now: scoring.rebuild(now))
    typer.echo(
        f"obligations changed: {summary.obligations_changed}, "
        f"figures moved: {summary.figures_changed}"
    )
