"""Probing at scale: a schedule in PostgreSQL, a work queue in JetStream (decision 0018).

- Every replica runs the scheduler. Each tick it claims the portals that are due (stored
  `next_probe_at` <= the clock's now, not offered recently), oldest due first, with
  `SELECT ... FOR UPDATE SKIP LOCKED`, and publishes one request per portal on the portal's own
  subject (`portalwork.probe.requested.<unit>`).
- The stream keeps at most one request per subject and refuses a second (WorkQueue retention,
  `max_msgs_per_subject=1`, discard new per subject). So a portal has at most one outstanding
  request, queued or being probed, whatever the replicas, restarts and clocks do: the server, not a
  lease or a dedup window, is what prevents duplicates. A request that was lost (or never
  published) is simply offered again at the next claim.
- The claim's short lease (`portal_lease_seconds`) only spares the scheduler from offering the same
  portal every tick; nothing waits on it.
- All replicas pull from one durable consumer, oldest request first. A request taken is probed or
  handed back within a bounded time: a replica that stops hands back what it holds (nak), a
  replica that dies holds its requests for at most `portal_ack_wait_seconds` (a long probe says it
  is alive every quarter of that), and a probe that overruns `portal_probe_budget_seconds` is
  abandoned and handed back.
- The probe's final transaction sets the next due instant; a request whose portal was probed since
  it was queued is acknowledged without a probe.
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
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import APIError, BadRequestError, NotFoundError

from minhbach.db.outage import database_unavailable
from minhbach.db.session import Sessions
from minhbach.observability.logging import get_logger
from minhbach.plan import Plan
from portal_monitor import metrics
from portal_monitor.deps import ProbeDeps
from portal_monitor.service import claim_due, monitored_units, probe_portal

log = get_logger(__name__)

STREAM = "PORTAL_PROBES"
SUBJECTS = "portalwork.probe.requested.*"
DURABLE = "portal-monitor--probes"
# Before decision 0018 requests shared one subject in this stream, deduplicated by a message id
# for an hour; its contents are derived from the schedule, so it is dropped, not migrated.
RETIRED_STREAM = "PORTAL_WORK"
# JetStream's answer to a second message on a subject limited to one, discarding new ones.
ALREADY_QUEUED = 10077


def request_subject(unit_code: str) -> str:
    return SUBJECTS.replace("*", unit_code)


async def declare_work_stream(js: JetStreamContext) -> None:
    config = StreamConfig(
        name=STREAM,
        subjects=[SUBJECTS],
        retention=RetentionPolicy.WORK_QUEUE,
        storage=StorageType.FILE,
        max_msgs_per_subject=1,
        discard=DiscardPolicy.NEW,
        discard_new_per_subject=True,
        description="Portal probe requests: at most one per portal, each taken by one replica",
    )
    with contextlib.suppress(NotFoundError):
        await js.delete_stream(RETIRED_STREAM)
    try:
        await js.add_stream(config)
    except BadRequestError:
        await js.update_stream(config)


def request_payload(unit_code: str, due: datetime) -> bytes:
    return json.dumps({"unit_code": unit_code, "due_at": due.isoformat()}).encode()


async def publish_requests(js: JetStreamContext, claimed: Sequence[tuple[str, datetime]]) -> int:
    """Queue a request per claimed portal, in order; returns how many were new (a portal whose
    request is still queued or being probed keeps that one)."""
    queued = 0
    for unit_code, due in claimed:
        try:
            await js.publish(request_subject(unit_code), request_payload(unit_code, due))
        except APIError as refused:
            if refused.err_code != ALREADY_QUEUED:
                raise
            continue
        queued += 1
    return queued


async def schedule_once(
    js: JetStreamContext,
    sessions: Sessions,
    plan: Plan,
    now: datetime,
    lease: timedelta,
) -> int:
    claimed = await claim_due(sessions, [c for c, _ in monitored_units(plan)], now, lease)
    return await publish_requests(js, claimed)


async def declare_probe_consumer(js: JetStreamContext, ack_wait_seconds: float) -> None:
    """Create the shared durable consumer, or bring an existing one to this configuration.

    `pull_subscribe` keeps an existing consumer's configuration as it is, so an ack wait changed
    in the settings (or left by an earlier run) would go on holding a dead replica's requests for
    the old time. Creating it explicitly updates it in place on the server."""
    await js.add_consumer(
        STREAM,
        ConsumerConfig(
            durable_name=DURABLE,
            filter_subject=SUBJECTS,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=ack_wait_seconds,
            max_ack_pending=-1,
            deliver_policy=DeliverPolicy.ALL,
        ),
    )


class ProbeWorker:
    """Pulls probe requests from the shared durable consumer and probes up to `concurrency`
    portals at once; whatever it holds when stopped it hands back."""

    def __init__(
        self,
        js: JetStreamContext,
        deps: ProbeDeps,
        concurrency: int,
        ack_wait_seconds: float,
        budget_seconds: float,
        failed_retry_seconds: float = 30.0,
        outage_retry_seconds: float = 1.0,
    ) -> None:
        self.js = js
        self.deps = deps
        self.concurrency = concurrency
        self.ack_wait = ack_wait_seconds
        self.budget = budget_seconds
        self.failed_retry = failed_retry_seconds
        self.outage_retry = outage_retry_seconds
        self.units = {code for code, _ in monitored_units(deps.plan)}

    async def run(self) -> None:
        await declare_probe_consumer(self.js, self.ack_wait)
        sub = await self.js.pull_subscribe_bind(DURABLE, STREAM)
        running: set[asyncio.Task[None]] = set()
        taken: list[Msg] = []  # fetched and not yet answered: handed back if we stop
        try:
            while True:
                taken = [message for message in taken if not message.is_acked]
                free = self.concurrency - len(running)
                if free <= 0:
                    await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                    continue
                try:
                    messages = await sub.fetch(free, timeout=1.0)
                except (nats.errors.TimeoutError, TimeoutError):
                    continue  # nothing queued (nats-py raises either kind)
                for message in messages:
                    taken.append(message)
                    task = asyncio.create_task(self.handle(message))
                    running.add(task)
                    task.add_done_callback(running.discard)
        finally:
            # Withdraw interest before handing anything back: a pull request of ours still
            # waiting at the server would otherwise take the very request we nak, and it would
            # come back only after the ack wait. What a cancelled fetch left in the queue is read
            # first; no await separates that from the unsubscribe.
            stranded = _queued_requests(sub)
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
                await self.js._nc.flush(timeout=2)  # the server has dropped our pull requests
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            # Probes cancelled mid-way or before they started never answered their requests:
            # hand them back with the stranded ones, to be redelivered at once.
            for message in [*taken, *stranded]:
                if not message.is_acked:
                    await _hand_back(message, _unit_of(message), "stopping")
            with contextlib.suppress(Exception):
                await self.js._nc.flush(timeout=2)  # the hand-backs reach the server now

    async def handle(self, message: Msg) -> None:
        request = json.loads(message.data)
        unit, due = request["unit_code"], request["due_at"]
        if unit not in self.units:  # a portal the plan no longer monitors
            await message.ack()
            return
        heartbeat = asyncio.create_task(_heartbeat(message, self.ack_wait / 4))
        try:
            async with asyncio.timeout(self.budget):
                report = await probe_portal(self.deps, unit, datetime.fromisoformat(due))
        except TimeoutError:
            await _hand_back(message, unit, "over budget")
            return
        except Exception as exc:
            # A portal's own trouble is an outcome, not an exception: this is ours. While the
            # database is unreachable the request comes back within a second or so (it is the
            # portal's only one: nothing else can be queued for it until it is answered; a
            # fixed 30 s here starved every portal for 30 s after each PostgreSQL restart).
            outage = database_unavailable(exc)
            delay = self.outage_retry if outage else self.failed_retry
            if outage:
                log.warning("probe failed: database unavailable", unit=unit, retry_in=delay)
            else:
                log.exception("probe failed; the request will be redelivered", unit=unit)
            await message.nak(delay=delay)
            return
        finally:
            heartbeat.cancel()
        if report is not None:  # None: stale, the portal was probed since this was queued
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


def _unit_of(message: Msg) -> str:
    return message.subject.rsplit(".", 1)[-1]


def _queued_requests(sub: JetStreamContext.PullSubscription) -> list[Msg]:
    """Requests delivered to this subscription that no fetch returned (a cancelled fetch's)."""
    queue = sub._sub._pending_queue  # nats-py has no public drain for a pull subscription
    found: list[Msg] = []
    while not queue.empty():
        message = queue.get_nowait()
        queue.task_done()
        if message.reply and not message.headers:  # a request, not a pull status message
            found.append(message)
    return found


async def _hand_back(message: Msg, unit: str, why: str) -> None:
    """Return a request to the queue at once, for this or another replica."""
    metrics.REQUESTS_HANDED_BACK.labels(why).inc()
    log.warning("probe request handed back", unit=unit, reason=why)
    with contextlib.suppress(Exception):
        await message.nak()


async def _heartbeat(message: Msg, every: float) -> None:
    """Tell JetStream a long probe is still being worked on, so it is not redelivered."""
    while True:
        await asyncio.sleep(every)
        with contextlib.suppress(Exception):
            await message.in_progress()
