"""`minhbach scoring ...`: compare the stored ledger and figures with a rebuild, or rebuild."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.cli.database import with_database
from minhbach.clock import clock_from_settings
from minhbach.messaging.outbox import Outbox
from minhbach.plan import load_plan
from minhbach.settings import get_settings
from scoring.db import messaging
from scoring.scorer import Scorer

scoring_app = typer.Typer(help="Scoring: the obligations ledger and readiness figures.")
COMMANDS = {"scoring": scoring_app}

T = TypeVar("T")


def _run(work: Callable[[Scorer, async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    settings = get_settings()
    scorer = Scorer(load_plan(settings.plan_file), settings.scoring_due_soon_working_days)
    return with_database(lambda sessions: work(scorer, sessions))


def _now() -> datetime:
    settings = get_settings()
    clock = clock_from_settings(settings.clock_start, settings.clock_speed, settings.clock_anchor)
    return clock.now()


@scoring_app.command("check")
def check() -> None:
    """Compare the stored ledger and figures with a rebuild from the projections (exit 1 if
    they differ). Figures that depend on time are compared at the current clock."""

    async def work(scorer: Scorer, sessions: async_sessionmaker[AsyncSession]) -> list[str]:
        async with sessions() as session:
            return await scorer.differences(session, _now())

    differences = _run(work)
    for line in differences:
        typer.echo(line)
    typer.echo(f"{len(differences)} difference(s)", err=True)
    raise typer.Exit(1 if differences else 0)


@scoring_app.command("rebuild")
def rebuild() -> None:
    """Recompute task states, the whole ledger and every figure from the projections. Changes
    are announced through the outbox (the running service's relay publishes them)."""

    async def work(scorer: Scorer, sessions: async_sessionmaker[AsyncSession]) -> str:
        async with sessions() as session, session.begin():
            summary = await scorer.rebuild(session, _now())
            await Outbox(messaging).emit(session, *summary.events)
        return (
            f"obligations changed: {summary.obligations_changed}, "
            f"figures moved: {summary.figures_changed}"
        )

    typer.echo(_run(work))
