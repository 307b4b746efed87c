"""Probing at scale: a schedule in PostgreSQL, a work queue in JetStream.

- Every replica runs the scheduler. Each tick it claims the portals that are due (stored
  `next_probe_at` <= the clock's now, not leased) with `SELECT ... FOR UPDATE SKIP LOCKED`, leases
  them, and publishes one `portalwork.probe.requested` message per portal (Nats-Msg-Id =
  unit@due-instant, so a re-publish is dropped). Two replicas never claim the same portal.
- The requests go to a WorkQueue-retention stream; all replicas pull from one durable consumer,
  so each request is delivered to one replica at a time and removed once acknowledged.
- The probe's final transaction sets the next due instant and clears the lease. A replica that
  dies mid-probe leaves the lease to expire (`portal_lease_seconds`) and the unacknowledged
  message to be redelivered: the portal is probed again, and the stored state makes that
  harmless (documents and postings are unique; events are emitted only for new rows).
Nothing depends on a process having stayed up: the schedule is rows and the clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from datetime import datetime, timedelta

import nats.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.observability.logging import get_logger
from minhbach.plan import Plan
from portal_monitor import store
from portal_monitor.deps import ProbeDeps
from portal_monitor.probe import probe_portal

log = get_logger(__name__)

STREAM = "PORTAL_WORK"
SUBJECT = "portalwork.probe.requested"
DURABLE = "portal-monitor--probe-requests"
HEARTBEAT_SECONDS = 30.0


async def declare_work_stream(js: JetStreamContext, duplicate_window_seconds: float) -> None:
    config = StreamConfig(
        name=STREAM,
        subjects=[SUBJECT],
        retention=RetentionPolicy.WORK_QUEUE,
        storage=StorageType.FILE,
        duplicate_window=duplicate_window_seconds,
        description="Portal probe requests: each taken by one portal-monitor replica",
    )
    try:
        await js.add_stream(config)
    except BadRequestError:
        await js.update_stream(config)


def monitored_units(plan: Plan) -> list[tuple[str, str]]:
    if plan.portal_monitoring is None:
        return []
    return [(u.code, u.portal) for u in plan.portal_units() if u.portal is not None]


async def register_portals(
    sessions: async_sessionmaker[AsyncSession], plan: Plan, now: datetime
) -> None:
    """Every portal of the plan gets a schedule row (due now when new)."""
    units = monitored_units(plan)
    if units:
        async with sessions() as session, session.begin():
            await store.register_portals(session, units, now)


async def claim_due(
    sessions: async_sessionmaker[AsyncSession],
    unit_codes: Sequence[str],
    now: datetime,
    lease: timedelta,
    limit: int = 500,
) -> list[tuple[str, datetime]]:
    """Lease the due portals no other replica holds; returns (unit, due instant)."""
    async with sessions() as session, session.begin():
        return await store.claim_due(session, unit_codes, now, lease, limit)


def request_payload(unit_code: str, due: datetime) -> tuple[bytes, str]:
    body = json.dumps({"unit_code": unit_code, "due_at": due.isoformat()}).encode()
    return body, f"{unit_code}@{due.isoformat()}"


async def schedule_once(
    js: JetStreamContext,
    sessions: async_sessionmaker[AsyncSession],
    plan: Plan,
    now: datetime,
    lease: timedelta,
) -> int:
    claimed = await claim_due(sessions, [c for c, _ in monitored_units(plan)], now, lease)
    for unit_code, due in claimed:
        body, msg_id = request_payload(unit_code, due)
        await js.publish(SUBJECT, body, stream=STREAM, headers={"Nats-Msg-Id": msg_id})
    return len(claimed)


class ProbeWorker:
    """Pulls probe requests from the shared durable consumer and probes up to `concurrency`
    portals at once."""

    def __init__(
        self,
        js: JetStreamContext,
        deps: ProbeDeps,
        concurrency: int,
        ack_wait_seconds: float,
    ) -> None:
        self.js = js
        self.deps = deps
        self.concurrency = concurrency
        self.ack_wait = ack_wait_seconds
        self.units = {code for code, _ in monitored_units(deps.plan)}

    async def run(self) -> None:
        sub = await self.js.pull_subscribe(
            SUBJECT,
            durable=DURABLE,
            stream=STREAM,
            config=ConsumerConfig(ack_wait=self.ack_wait, max_ack_pending=-1),
        )
        running: set[asyncio.Task[None]] = set()
        try:
            while True:
                free = self.concurrency - len(running)
                if free <= 0:
                    await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                    continue
                try:
                    messages = await sub.fetch(free, timeout=1.0)
                except (nats.errors.TimeoutError, TimeoutError):
                    continue  # nothing queued (nats-py raises either kind)
                for message in messages:
                    task = asyncio.create_task(self.handle(message))
                    running.add(task)
                    task.add_done_callback(running.discard)
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def handle(self, message: Msg) -> None:
        request = json.loads(message.data)
        unit, due = request["unit_code"], request["due_at"]
        if unit not in self.units:
            await message.ack()
            return
        heartbeat = asyncio.create_task(_heartbeat(message))
        try:
            report = await probe_portal(self.deps, unit, datetime.fromisoformat(due))
        except Exception:
            log.exception("probe failed; the request will be redelivered", unit=unit)
            await message.nak(delay=30)
            return
        finally:
            heartbeat.cancel()
        if report is None:  # stale: the portal was probed since this request was queued
            await message.ack()
            return
        log.info(
            "probe finished",
            unit=unit,
            outcome=report.outcome.value,
            final=report.final,
            found=report.found,
            changed=report.changed,
            pages=report.pages_fetched,
            not_modified=report.pages_not_modified,
        )
        await message.ack()


async def _heartbeat(message: Msg) -> None:
    """Tell JetStream a long probe is still being worked on, so it is not redelivered."""
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        with contextlib.suppress(Exception):
            await message.in_progress()
