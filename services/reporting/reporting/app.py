"""The reporting service: projections of the events a draft needs, drafting passes, the
coordinator's page and the drafts' API."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from minhbach.app import service_app
from minhbach.db.unit_of_work import UnitOfWork
from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    IndicatorChanged,
    ProbeFinished,
    ReportSubmitted,
    stream_for,
)
from minhbach.messaging.consumer import durable_name
from minhbach.observability.logging import get_logger
from minhbach.runtime import Runtime
from minhbach.services import service
from minhbach.tokens import TokenVerifier
from reporting import service as use_cases
from reporting.access import Access
from reporting.api import api_router
from reporting.db import messaging, reader_tokens
from reporting.drafting import Drafter
from reporting.page import PAGE_PREFIX, page_router
from reporting.render.pdf import find_soffice

SPEC = service("reporting")
log = get_logger(__name__)


def build_drafter(runtime: Runtime) -> Drafter:
    return Drafter(
        plan=runtime.plan,
        sessions=runtime.sessions,
        emit=runtime.emit,
        soffice=find_soffice(runtime.settings.reporting_soffice),
        pdf_timeout_seconds=runtime.settings.reporting_pdf_timeout_seconds,
        documents_applied=lambda: documents_applied(runtime),
    )


async def documents_applied(runtime: Runtime) -> bool:
    """Every document event JetStream holds has been applied here: portal-monitor publishes a
    probe's documents with its `portal.probe.finished`, but they reach us on other consumers."""
    try:
        for event_type in (DocumentFound, DocumentChanged):
            info = await runtime.jetstream.consumer_info(
                stream_for(event_type.subject).name, durable_name(SPEC.name, event_type)
            )
            if info.num_pending or info.num_ack_pending:
                return False
    except Exception as exc:  # not connected yet, consumer not declared yet
        log.debug("document consumers not readable", error=repr(exc))
        return False
    return True


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Subscribers (one per fact a draft needs), the drafting loop, the page and the API."""
    plan = runtime.plan
    if plan.drafting is None:
        raise RuntimeError(f"the plan {runtime.settings.plan_file} has no `drafting` section")
    consumer, broker = runtime.consumer, runtime.broker

    facts = use_cases.Facts(plan, plan.drafting.inspection_round)
    apply = UnitOfWork(runtime.sessions, runtime.emit).applying
    consumer.subscribe(broker, ReportSubmitted, apply(facts.report))
    consumer.subscribe(broker, IndicatorChanged, apply(facts.figure))
    consumer.subscribe(broker, ProbeFinished, apply(facts.probe))
    consumer.subscribe(broker, DocumentFound, apply(facts.document))
    consumer.subscribe(broker, DocumentChanged, apply(facts.document))

    drafter = build_drafter(runtime)
    app.state.drafter = drafter

    async def drafting_loop(runtime: Runtime) -> None:
        """Drafts are due at moments of the clock (a deadline) as well as on events, so a pass
        runs every few seconds; each pass is idempotent (nothing new: nothing drafted)."""
        while True:
            # Sleep first: after a start, the consumers catch up before the first pass.
            await asyncio.sleep(runtime.settings.reporting_tick_seconds)
            await drafter.run_pass(runtime.clock.now())

    runtime.background.append(drafting_loop)
    verifier = TokenVerifier(
        runtime.sessions, reader_tokens, runtime.settings.reporting_token_cache_seconds
    )
    access = Access(plan, verifier, runtime.settings.reporting_service_token)
    app.include_router(page_router(runtime, access))
    app.include_router(api_router(runtime, access, PAGE_PREFIX))


create_app = service_app(SPEC, messaging, setup)
