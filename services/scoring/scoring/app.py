"""The scoring service: readiness per indicator, records per unit, the obligations ledger."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.app import service_app
from minhbach.db.session import transaction
from minhbach.events.base import Event
from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    EvidenceSubmitted,
    ProbeFinished,
    ReportSubmitted,
)
from minhbach.observability.logging import get_logger
from minhbach.runtime import Runtime
from minhbach.services import service
from scoring import metrics
from scoring.api import router
from scoring.db import messaging
from scoring.scorer import Scorer

SPEC = service("scoring")
log = get_logger(__name__)

E = TypeVar("E", bound=Event)


def _apply(
    runtime: Runtime,
    handle: Callable[[AsyncSession, E, datetime], Awaitable[list[Event]]],
) -> Callable[[AsyncSession, E], Awaitable[None]]:
    async def apply(session: AsyncSession, event: E) -> None:
        emitted = await handle(session, event, runtime.clock.now())
        await runtime.emit(session, *emitted)

    return apply


async def tick_once(runtime: Runtime, scorer: Scorer) -> int:
    """One pass of the time-driven loop; returns how many events it emitted."""
    now = runtime.clock.now()
    emitted: list[Event] = []
    for step in (scorer.tick, scorer.refresh_figures):
        async with transaction(runtime.sessions) as session:
            events = await step(session, now)
            await runtime.emit(session, *events)
        emitted += events
    async with runtime.sessions() as session:
        await metrics.refresh(session, scorer.model, now)
    return len(emitted)


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes, subscribers and the time-driven loop of the service."""
    scorer = Scorer(runtime.plan, runtime.settings.scoring_due_soon_working_days)
    app.state.scorer = scorer
    consumer, broker = runtime.consumer, runtime.broker
    # Scoring's effects are merges that commute (tested: order and duplicates do not change the
    # figures), so each subject's events are applied several at a time.
    n = runtime.settings.scoring_consumer_concurrency
    consumer.subscribe(broker, ReportSubmitted, _apply(runtime, scorer.on_report), concurrency=n)
    consumer.subscribe(
        broker, EvidenceSubmitted, _apply(runtime, scorer.on_evidence), concurrency=n
    )
    consumer.subscribe(broker, DocumentFound, _apply(runtime, scorer.on_document), concurrency=n)
    consumer.subscribe(broker, DocumentChanged, _apply(runtime, scorer.on_document), concurrency=n)
    consumer.subscribe(broker, ProbeFinished, _apply(runtime, scorer.on_probe), concurrency=n)

    async def time_loop(runtime: Runtime) -> None:
        """Obligations from the plan appear at start even with no events; statuses that move
        as time passes (into due soon, into overdue) are announced; time-dependent figures are
        recomputed. Every pass is idempotent, so replicas and restarts are harmless."""
        while True:
            emitted = await tick_once(runtime, scorer)
            if emitted:
                log.info("time pass emitted events", count=emitted)
            await asyncio.sleep(runtime.settings.scoring_tick_seconds)

    async def figure_loop(runtime: Runtime) -> None:
        """Figures that events marked are recomputed a moment after the first of a burst, in one
        transaction for the burst, and announced naming every event that moved them."""
        while True:
            await scorer.pending.ready.wait()
            await asyncio.sleep(runtime.settings.scoring_figure_delay_seconds)
            async with transaction(runtime.sessions) as session:
                emitted = await scorer.flush_figures(session, runtime.clock.now())
                await runtime.emit(session, *emitted)

    runtime.background += [time_loop, figure_loop]
    app.include_router(router)


create_app = service_app(SPEC, messaging, setup)
