"""The scoring service: readiness per indicator, records per unit, the obligations ledger."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from minhbach.app import service_app
from minhbach.db.unit_of_work import UnitOfWork
from minhbach.observability.logging import get_logger
from minhbach.runtime import Runtime
from minhbach.services import service
from scoring.api import router
from scoring.db import messaging
from scoring.scorer import Scorer
from scoring.service import ScoringService

SPEC = service("scoring")
log = get_logger(__name__)


async def tick_once(scoring: ScoringService) -> int:
    """One pass of the time-driven loop (two transactions: the ledger's, then the figures');
    returns how many events it emitted."""
    now = scoring.clock.now()
    emitted = [*await scoring.pass_of_time(now), *await scoring.refresh_figures(now)]
    await scoring.refresh_metrics(now)
    return len(emitted)


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes, subscribers and the time-driven loop of the service."""
    scorer = Scorer(runtime.plan, runtime.settings.scoring_due_soon_working_days)
    scoring = ScoringService(scorer, UnitOfWork(runtime.sessions, runtime.emit), runtime.clock)
    app.state.scorer = scorer
    app.state.scoring = scoring
    # Scoring's effects are merges that commute (tested: order and duplicates do not change the
    # figures), so each subject's events are applied several at a time.
    n = runtime.settings.scoring_consumer_concurrency
    for kind, apply in scoring.handlers():
        runtime.consumer.subscribe(runtime.broker, kind, apply, concurrency=n)

    async def time_loop(runtime: Runtime) -> None:
        """Obligations from the plan appear at start even with no events; statuses that move
        as time passes (into due soon, into overdue) are announced; time-dependent figures are
        recomputed. Every pass is idempotent, so replicas and restarts are harmless."""
        while True:
            emitted = await tick_once(scoring)
            if emitted:
                log.info("time pass emitted events", count=emitted)
            await asyncio.sleep(runtime.settings.scoring_tick_seconds)

    async def figure_loop(runtime: Runtime) -> None:
        """Figures that events marked are recomputed a moment after the first of a burst, in one
        transaction for the burst, and announced naming every event that moved them."""
        while True:
            await scorer.pending.ready.wait()
            await asyncio.sleep(runtime.settings.scoring_figure_delay_seconds)
            await scoring.flush_figures()

    runtime.background += [time_loop, figure_loop]
    app.include_router(router)


create_app = service_app(SPEC, messaging, setup)
