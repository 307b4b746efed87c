"""The portal-monitor service: inspects the portals the plan names (issue 4).

Background loops: the scheduler (claims due portals, queues probe requests) and the probe worker
(takes requests from the shared JetStream work queue). Routes: GET /portals (schedule and last
outcome of each portal); POST /documents/{id}/kind (a person corrects a document's kind) and GET
/corrections.tsv (the corrections as labelled examples), issue 19.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from minhbach.app import service_app
from minhbach.db.unit_of_work import UnitOfWork
from minhbach.events.catalogue import ProbeOutcome
from minhbach.plan.portal import OTHER_KIND
from minhbach.runtime import Runtime
from minhbach.services import service
from minhbach.settings import Settings
from portal_monitor import db, metrics, store
from portal_monitor import service as use_cases
from portal_monitor.addresses import AddressPolicy
from portal_monitor.deps import ProbeDeps
from portal_monitor.domain.schedule import overdue_seconds
from portal_monitor.fetcher import Fetcher, FetchLimits, make_client
from portal_monitor.robots_cache import RobotsCache
from portal_monitor.service import monitored_units, register_portals
from portal_monitor.workqueue import ProbeWorker, declare_work_stream, schedule_once

SPEC = service("portal-monitor")


class KindCorrection(BaseModel):
    kind: str = Field(min_length=1, max_length=40)
    corrected_by: str = Field(min_length=1, max_length=200)  # who corrects (the focal unit)
    note: str | None = Field(default=None, max_length=2000)


USER_AGENT = "MinhBach-PortalMonitor/0.1 (+mailto:{contact}; transparency plan inspection)"


def fetch_limits(settings: Settings) -> FetchLimits:
    return FetchLimits(
        timeout_seconds=settings.portal_request_timeout_seconds,
        max_bytes=settings.portal_max_response_bytes,
        max_decoded_bytes=settings.portal_max_decoded_bytes,
        max_redirects=settings.portal_max_redirects,
        min_delay_seconds=settings.portal_min_delay_seconds,
        user_agent=USER_AGENT.format(contact=settings.portal_contact),
    )


def address_policy(settings: Settings) -> AddressPolicy:
    mapping = {k.rstrip("/").lower(): v.rstrip("/") for k, v in settings.portal_address_map.items()}
    return AddressPolicy(mapping, tuple(settings.portal_allowed_networks))


PORTAL_GAUGES_SECONDS = 15.0


async def scheduler_loop(runtime: Runtime) -> None:
    settings = runtime.settings
    js = runtime.jetstream
    await declare_work_stream(js)
    await register_portals(runtime.sessions, runtime.plan, runtime.clock.now())
    # The lease is real time; the schedule is clock time, which may run faster (make run).
    lease = timedelta(seconds=settings.portal_lease_seconds * settings.clock_speed)
    while True:
        await schedule_once(js, runtime.sessions, runtime.plan, runtime.clock.now(), lease)
        await asyncio.sleep(settings.portal_schedule_tick_seconds)


async def portal_gauges_loop(runtime: Runtime) -> None:
    """Per-portal reachability and the probe backlog, from stored state (any replica may have
    made the last probe)."""
    units = [code for code, _ in monitored_units(runtime.plan)]
    uow = UnitOfWork(runtime.sessions, runtime.emit)
    while True:
        now = runtime.clock.now()
        outcomes, due, oldest = await use_cases.portal_gauges(uow, units, now)
        for unit_code, outcome in outcomes:
            reachable = outcome != ProbeOutcome.UNREACHABLE.value
            metrics.PORTAL_REACHABLE.labels(unit_code).set(1 if reachable else 0)
        metrics.PORTALS_DUE.set(due)
        metrics.PROBE_OVERDUE.set(overdue_seconds(oldest, now, runtime.settings.clock_speed))
        await asyncio.sleep(PORTAL_GAUGES_SECONDS)


async def worker_loop(runtime: Runtime) -> None:
    settings = runtime.settings
    # httpx logs every request at INFO, with the mapped (physical) address: our own probe log
    # line says what happened, in the portal's terms.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    js = runtime.jetstream
    await declare_work_stream(js)
    limits = fetch_limits(settings)
    async with make_client(limits, connections=4 * settings.portal_concurrency) as client:
        fetcher = Fetcher(client, limits, address_policy(settings))
        deps = ProbeDeps.build(
            runtime.plan,
            fetcher=fetcher,
            robots=RobotsCache(
                fetcher, settings.portal_robots_cache_seconds, settings.portal_robots_retry_seconds
            ),
            sessions=runtime.sessions,
            emit=runtime.emit,
            clock=runtime.clock,
            fetch_retry_seconds=settings.portal_fetch_retry_seconds,
            probe_attempts=settings.portal_probe_attempts,
            probe_retry_seconds=settings.portal_probe_retry_seconds,
        )
        worker = ProbeWorker(
            js,
            deps,
            settings.portal_concurrency,
            ack_wait_seconds=settings.portal_ack_wait_seconds,
            budget_seconds=settings.portal_probe_budget_seconds,
            failed_retry_seconds=settings.portal_failed_retry_seconds,
            outage_retry_seconds=settings.portal_outage_retry_seconds,
        )
        await worker.run()


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes and background loops of the service."""
    if runtime.plan.portal_monitoring is None:
        return  # a plan without portal monitoring: nothing to do
    runtime.background.append(scheduler_loop)
    runtime.background.append(worker_loop)
    runtime.background.append(portal_gauges_loop)
    router = APIRouter()
    uow = UnitOfWork(runtime.sessions, runtime.emit)

    @router.get("/portals")
    async def portals() -> list[dict[str, Any]]:
        return await use_cases.portal_schedule(uow)

    kinds = {k.code for k in runtime.plan.document_kinds} | {OTHER_KIND}

    @router.post("/documents/{document_id}/kind")
    async def correct_kind(document_id: uuid.UUID, correction: KindCorrection) -> dict[str, Any]:
        """A person corrects a document's kind (issue 19): kept across re-probes; the portals
        posting it are probed next, and the change reaches every figure as
        `portal.document.changed`."""
        if correction.kind not in kinds:
            raise HTTPException(422, f"unknown kind {correction.kind!r}; one of {sorted(kinds)}")
        try:
            units = await use_cases.correct_kind(
                uow,
                document_id,
                correction.kind,
                correction.corrected_by,
                correction.note,
                runtime.clock.now(),
            )
        except store.UnknownDocument:
            raise HTTPException(404, f"no document {document_id}") from None
        return {"document_id": str(document_id), "kind": correction.kind, "reprobed": units}

    @router.get("/corrections.tsv", response_class=PlainTextResponse)
    async def corrections() -> str:
        """Corrections as labelled examples, in the classifier's test-set format."""
        return "".join(line + "\n" for line in await use_cases.labelled_examples(uow))

    app.include_router(router)


create_app = service_app(SPEC, db.messaging, setup)
