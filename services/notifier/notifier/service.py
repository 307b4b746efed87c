"""Sending rounds: decide (pure ladder over stored facts) and record, then deliver over SMTP.

`decide` runs only in working hours and records every notice before anything is sent; `deliver`
sends what is recorded, one claim per notice, over a few reused SMTP connections, and commits 'sent'
with the outgoing events right after the server accepted each message. In the service they run
in loops of their own (`run_forever`): the notices table is all they share, so a relay that
stalls delays delivery, never the next decision (decision 0019).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from minhbach.clock import Clock
from minhbach.db.session import Sessions
from minhbach.db.unit_of_work import Outcome, Session, UnitOfWork
from minhbach.events.base import Event
from minhbach.events.catalogue import DraftReady, ObligationChanged, ProbeFinished
from minhbach.messaging.outbox import Emit
from minhbach.observability.logging import get_logger
from minhbach.plan import Plan
from minhbach.settings import Settings
from notifier import metrics, store
from notifier.compose import ComposedNotice, compose, envelope_sender
from notifier.domain.facts import obligation_row, probe_seen
from notifier.domain.ladder import (
    Digest,
    Ladder,
    RoundPlan,
    in_working_hours,
    plan_round,
)
from notifier.domain.sent import ClaimedNotice, sent_events
from notifier.drafts import DraftMailer
from notifier.hooks import DeliveryHooks
from notifier.mailer import PermanentFailure, SmtpMailer, TransientFailure
from notifier.store import deliveries
from notifier.store import drafts as drafts_store

log = get_logger(__name__)


# --- facts from events (in the consumer's transaction, with its inbox row) ----------------------


async def apply_obligation(session: Session, event: ObligationChanged) -> Sequence[Event]:
    await store.save_obligation(session, obligation_row(event))
    return ()


async def apply_probe(session: Session, event: ProbeFinished) -> Sequence[Event]:
    await store.save_probe(session, probe_seen(event))
    return ()


async def apply_draft(session: Session, event: DraftReady) -> Sequence[Event]:
    await drafts_store.remember_draft(session, event.draft_id, event.model_dump(mode="json"))
    return ()


Decided = tuple[RoundPlan, list[tuple[Digest, ComposedNotice]]]
Prepared = tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]


@dataclass
class Notifier:
    sessions: Sessions
    emit: Emit
    plan: Plan
    settings: Settings
    clock: Clock
    hooks: DeliveryHooks = field(default_factory=DeliveryHooks)
    mailer_factory: Callable[[Settings], SmtpMailer] = SmtpMailer
    drafts: DraftMailer | None = None  # reporting's drafts, recorded as notices each round

    def __post_init__(self) -> None:
        self.uow = UnitOfWork(self.sessions, self.emit)  # one transaction per step
        self.calendar = self.plan.working_calendar()
        self.ladder = Ladder.from_plan(
            self.plan.escalation, self.settings.notifier_repeat_overdue_working_days
        )
        self.emails = {unit.code: unit.email for unit in self.plan.units}
        self.sender = envelope_sender(self.settings.mail_from)
        self._server_down_delay = 0.0
        self._server_down_until = 0.0
        self._recorded = asyncio.Event()  # set when a notice was recorded: delivering wakes

    # --- deciding ---------------------------------------------------------------------------

    async def decide(self) -> list[str]:
        """Record this round's digests ('pending'); return their notice keys."""
        now = self.clock.now()
        s = self.settings
        hours = (s.notifier_working_hours_start, s.notifier_working_hours_end)
        if not in_working_hours(now, self.calendar, *hours):
            return []
        started = time.perf_counter()

        async def decide(session: Session) -> Outcome[Decided | None]:
            if not await store.try_lock_round(session):
                return Outcome(None)  # another replica is deciding this round
            inputs = await store.load_round_inputs(session, now)
            # The ladder and the composing of each e-mail are pure CPU work (tens of ms per
            # digest): done off the event loop, so delivering goes on meanwhile.
            planned, decided = await asyncio.to_thread(self._plan_and_compose, inputs, now)
            await store.record_notices(session, decided, now)
            return Outcome((planned, decided))

        result = await self.uow.run(decide)
        if result is None:
            return []
        planned, decided = result
        metrics.ROUND_SECONDS.observe(time.perf_counter() - started)
        metrics.ITEMS_HELD.labels("silenced").inc(planned.silenced)
        metrics.ITEMS_HELD.labels("inhibited").inc(planned.inhibited)
        if planned.unroutable:
            metrics.ITEMS_HELD.labels("unroutable").inc(len(planned.unroutable))
            log.warning("recipients not in the plan", units=list(planned.unroutable))
        keys = [digest.key for digest, _ in decided]
        for digest, _ in decided:
            metrics.NOTICES.labels(digest.stage, "recorded").inc()
            log.info(
                "notice recorded",
                notice_key=digest.key,
                recipient=digest.recipient,
                stage=digest.stage,
                items=len(digest.items),
            )
            self.hooks.after_record(digest.key)
        return keys

    def _plan_and_compose(self, inputs: store.RoundInputs, now: datetime) -> Decided:
        s = self.settings
        planned = plan_round(
            inputs.obligations,
            self.ladder,
            self.calendar,
            now,
            emails=self.emails,
            already=inputs.already,
            outages=inputs.outages,
            silences=inputs.silences,
            outage_threshold=s.notifier_portal_down_after_probes,
        )
        decided = [
            (
                digest,
                compose(
                    digest,
                    self.plan,
                    mail_from=s.mail_from,
                    intake_url=s.public_intake_url,
                    now=now,
                ),
            )
            for digest in planned.digests
        ]
        return planned, decided

    # --- delivering -------------------------------------------------------------------------

    async def deliver(self, batch: int = 500) -> int:
        """Send recorded notices that are due; return how many the server accepted."""
        if time.monotonic() < self._server_down_until:
            return 0
        keys = await self._prepare_queue(batch)
        sent = 0
        if keys:
            mailer = self.mailer_factory(self.settings)
            try:
                await mailer.open()
            except TransientFailure as exc:
                self._server_down(str(exc))
                await self._update_gauges()
                return 0
            self._server_down_delay = 0.0
            sent = await self._send_all(mailer, keys)
        await self._update_gauges()
        return sent

    async def _send_all(self, first: SmtpMailer, keys: list[str]) -> int:
        """Send `keys` in order over up to `notifier_smtp_connections` connections at once.
        Each notice is claimed on its own (one claim per notice, decision 0005), so senders
        working side by side never send one twice; a round's time is mostly waiting for the
        relay and the database, and one notice after another sent about one a second on a
        loaded machine (decision 0019). A transient failure stops every sender (the rest stay
        pending, no attempt spent on them)."""
        queue = list(reversed(keys))
        sent = 0
        stop = False

        async def sender(mailer: SmtpMailer) -> None:
            nonlocal sent, stop
            try:
                while queue and not stop:
                    outcome = await self._deliver_one(mailer, queue.pop())
                    if outcome == "sent":
                        sent += 1
                    elif outcome == "server-down":
                        stop = True
            finally:
                await mailer.close()

        async def another() -> None:
            mailer = self.mailer_factory(self.settings)
            try:
                await mailer.open()
            except TransientFailure:
                return  # the relay takes fewer connections: the others carry on
            await sender(mailer)

        extra = min(self.settings.notifier_smtp_connections, len(keys)) - 1
        await asyncio.gather(sender(first), *(another() for _ in range(extra)))
        return sent

    def _server_down(self, error: str) -> None:
        """No notice is claimed while the server is unreachable: waiting spends no attempt."""
        backoff = self.settings.notifier_retry_backoff_seconds or [1.0]
        self._server_down_delay = min(max(self._server_down_delay * 2, backoff[0]), max(backoff))
        self._server_down_until = time.monotonic() + self._server_down_delay
        metrics.SMTP_UNREACHABLE.inc()
        log.warning("smtp server unreachable", error=error, retry_in=self._server_down_delay)

    async def _prepare_queue(self, batch: int) -> list[str]:
        s = self.settings
        lease = timedelta(seconds=s.notifier_sending_lease_seconds)

        async def prepare(session: Session) -> Outcome[Prepared]:
            recovered = await deliveries.recover_stale(session, lease, s.notifier_uncertain_policy)
            cancelled = await deliveries.cancel_moot(session)
            keys = await deliveries.due_notice_keys(session, batch)
            return Outcome((recovered, cancelled, keys))

        recovered, cancelled, keys = await self.uow.run(prepare)
        for key, stage in recovered:
            metrics.NOTICES.labels(stage, "recovered").inc()
            log.warning(
                "notice found mid-send after a crash",
                notice_key=key,
                policy=s.notifier_uncertain_policy,
            )
        for key, stage in cancelled:
            metrics.NOTICES.labels(stage, "cancelled").inc()
            log.info("notice cancelled: all its obligations fulfilled", notice_key=key)
        return keys

    async def _deliver_one(self, mailer: SmtpMailer, key: str) -> str:

        async def claim(session: Session) -> Outcome[ClaimedNotice | None]:
            return Outcome(await deliveries.claim(session, key))

        claimed = await self.uow.run(claim)
        if claimed is None:
            return "taken"
        self.hooks.after_claim(key)
        started = time.perf_counter()
        try:
            await mailer.send(self.sender, claimed.recipient_email, claimed.message)
        except PermanentFailure as exc:
            await self._failed(claimed, str(exc), permanent=True)
            return "failed"
        except TransientFailure as exc:
            await self._failed(claimed, str(exc), permanent=False)
            return "server-down"
        metrics.SEND_SECONDS.observe(time.perf_counter() - started)
        self.hooks.after_accept(key)
        await self._mark_sent(claimed)
        return "sent"

    async def _mark_sent(self, claimed: ClaimedNotice) -> None:
        sent_at = self.clock.now()

        async def mark_sent(session: Session) -> Outcome[bool]:
            items = await deliveries.mark_sent(session, claimed.notice_key, sent_at)
            if items is None:
                return Outcome(False)
            return Outcome(True, sent_events(claimed, items, sent_at))

        if not await self.uow.run(mark_sent):
            return
        metrics.NOTICES.labels(claimed.stage, "sent").inc()
        log.info(
            "notice sent",
            notice_key=claimed.notice_key,
            recipient=claimed.recipient_unit,
            stage=claimed.stage,
            attempt=claimed.attempts,
        )

    async def _failed(self, claimed: ClaimedNotice, error: str, *, permanent: bool) -> None:
        """Only a recipient refused with 5xx is final ('dead'). A transient failure says how the
        relay is, not that the notice is wrong: retried with the back-off for ever, logged as an
        error past `notifier_max_attempts` (decisions 0005 and 0019)."""
        s = self.settings
        backoff = s.notifier_retry_backoff_seconds or [1.0]
        retry_in = None if permanent else backoff[min(claimed.attempts, len(backoff)) - 1]

        async def mark_failed(session: Session) -> Outcome[None]:
            await deliveries.mark_failed(session, claimed.notice_key, error, retry_in)
            return Outcome(None)

        await self.uow.run(mark_failed)
        outcome = "dead" if retry_in is None else "retried"
        metrics.NOTICES.labels(claimed.stage, outcome).inc()
        struggling = retry_in is not None and claimed.attempts >= s.notifier_max_attempts
        (log.error if struggling else log.warning)(
            "notice not accepted",
            notice_key=claimed.notice_key,
            attempt=claimed.attempts,
            outcome=outcome,
            retry_in=retry_in,
            error=error,
        )

    async def _update_gauges(self) -> None:

        async def depth_of(session: Session) -> Outcome[dict[str, int]]:
            return Outcome(await deliveries.queue_depth(session))

        depth = await self.uow.run(depth_of)
        metrics.QUEUE_DEPTH.labels("pending").set(depth["pending"])
        metrics.QUEUE_DEPTH.labels("sending").set(depth["sending"])
        metrics.DEAD_NOTICES.set(depth["dead"] + depth["uncertain"])

    # --- the loops --------------------------------------------------------------------------

    async def record_drafts(self) -> int:
        """Record notices for reporting's drafts still waiting (their files fetched over HTTP)."""
        if self.drafts is None:
            return 0
        recorded = await self.drafts.record_waiting()
        if recorded:
            self._recorded.set()
        return recorded

    async def run_round(self) -> None:
        """Decide, record drafts, deliver, one after the other (tests step through rounds)."""
        await self.decide()
        await self.record_drafts()
        await self.deliver()

    async def run_forever(self) -> None:
        """Deciding, recording drafts and delivering, each in a loop of its own: a relay that
        stalls or answers slowly holds back deliveries only, never a decision (nor a reporting
        service that is slow to hand over a draft). What one loop leaves for another is in the
        notices table (a recorded notice is 'pending'), so a loop's error or a crash between
        them loses nothing; deciding wakes delivering so a recorded notice leaves at once."""
        async with asyncio.TaskGroup() as loops:
            loops.create_task(self._repeat("deciding", self._decide_and_wake))
            loops.create_task(self._repeat("recording drafts", self.record_drafts))
            loops.create_task(self._delivering())

    async def _decide_and_wake(self) -> None:
        if await self.decide():
            self._recorded.set()

    async def _repeat(self, name: str, step: Callable[[], Awaitable[object]]) -> None:
        while True:
            try:
                await step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("notifier loop failed; next round retries", loop=name)
            await asyncio.sleep(self.settings.notifier_round_seconds)

    async def _delivering(self, batch: int = 500) -> None:
        """Deliver what is due, then wait for a round's time or a newly recorded notice,
        whichever comes first; a full batch is followed by the next at once."""
        while True:
            self._recorded.clear()
            sent = 0
            try:
                sent = await self.deliver(batch)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("notifier loop failed; next round retries", loop="delivering")
            if sent >= batch:
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.settings.notifier_round_seconds):
                    await self._recorded.wait()
