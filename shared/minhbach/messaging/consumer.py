"""Consuming events exactly-once in effect: durable JetStream consumers plus an idempotent inbox.

Acknowledgement is explicit (`AckPolicy.MANUAL`): FastStream's default would terminate a failed
message without retry. The policy here:
- the event id is recorded in the service's inbox in the same transaction as the handler's effect,
  so a redelivered event is acknowledged without a second effect;
- a failing handler is retried with backoff (`nak(delay)`), up to `max_deliveries`;
- while the service's database is unreachable (restarting, recovering, gone) the event is held,
  not failed: the consumer waits with the same backoff, telling JetStream it is still in
  progress, and applies it when the database is back. An outage says nothing about the event,
  so it spends none of its deliveries (before, a restart of PostgreSQL longer than the backoff
  dead-lettered every event in flight; found by the chaos run, tests/chaos);
- after the last attempt, or at once for a message that cannot be parsed, the message is kept in the
  service's `dead_letters` table (operators list and replay it with `minhbach deadletters`) and
  acknowledged, so one poison message never blocks the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, TypeVar

from faststream import AckPolicy
from faststream.nats import ConsumerConfig, JStream, NatsBroker, NatsMessage, PullSub
from pydantic import ValidationError
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.db.messaging_tables import MessagingTables
from minhbach.db.outage import database_unavailable
from minhbach.events.base import Event
from minhbach.events.catalogue import stream_for
from minhbach.observability.logging import get_logger
from minhbach.observability.metrics import DEAD_LETTERS, EVENT_HANDLING_SECONDS, EVENTS_HANDLED

E = TypeVar("E", bound=Event)
Apply = Callable[[AsyncSession, E], Awaitable[None]]
"""The effect of one event, written through the given session (inside the inbox transaction)."""

log = get_logger(__name__)


@dataclass(frozen=True)
class DeliveryPolicy:
    max_deliveries: int = 5
    backoff_seconds: Sequence[float] = (0.5, 2.0, 10.0, 30.0)
    ack_wait_seconds: float = 60.0

    def delay_after(self, delivery: int) -> float:
        index = min(delivery - 1, len(self.backoff_seconds) - 1)
        return float(self.backoff_seconds[max(index, 0)])


async def record_in_inbox(
    session: AsyncSession, tables: MessagingTables, consumer: str, event: Event
) -> bool:
    """True when this consumer sees the event for the first time."""
    inserted = await session.execute(
        pg_insert(tables.inbox)
        .values(event_id=event.event_id, consumer=consumer, subject=event.subject)
        .on_conflict_do_nothing()
        .returning(tables.inbox.c.event_id)
    )
    return inserted.first() is not None


@dataclass
class EventConsumer:
    """Applies events for one service through its inbox; see the module docstring for the policy."""

    service: str
    sessions: async_sessionmaker[AsyncSession]
    tables: MessagingTables
    policy: DeliveryPolicy = DeliveryPolicy()

    async def apply_once(self, consumer: str, event: Event, apply: Apply[Any]) -> bool:
        """Apply `event` unless this consumer already did; True when it was applied now."""
        async with self.sessions() as session, session.begin():
            if not await record_in_inbox(session, self.tables, consumer, event):
                return False
            await apply(session, event)
            return True

    async def handle(
        self, consumer: str, msg: NatsMessage, event_type: type[E], apply: Apply[E]
    ) -> None:
        subject = event_type.subject
        deliveries = _deliveries(msg)
        try:
            event = event_type.model_validate_json(msg.body)
        except ValidationError as exc:
            await self._dead_letter(consumer, msg, None, f"invalid event: {exc}", deliveries)
            return
        if deliveries > self.policy.max_deliveries:
            # Earlier attempts never reported back: the process died while handling it.
            await self._dead_letter(consumer, msg, event, "died while handling", deliveries)
            return
        started = time.perf_counter()
        try:
            applied = await self._apply_through_outages(consumer, msg, event, apply)
        except Exception as exc:
            await self._failed(consumer, msg, event, exc, deliveries)
            return
        EVENT_HANDLING_SECONDS.labels(self.service, subject).observe(time.perf_counter() - started)
        EVENTS_HANDLED.labels(self.service, subject, "applied" if applied else "duplicate").inc()
        await msg.ack()

    async def _apply_through_outages(
        self, consumer: str, msg: NatsMessage, event: E, apply: Apply[E]
    ) -> bool:
        waited = 0
        while True:
            try:
                return await self.apply_once(consumer, event, apply)
            except Exception as exc:
                if not database_unavailable(exc):
                    raise
                waited += 1
                delay = self.policy.delay_after(waited)
                log.warning(
                    "database unavailable; holding the event",
                    consumer=consumer,
                    event_id=str(event.event_id),
                    retry_in=delay,
                    error=repr(exc),
                )
            with contextlib.suppress(Exception):  # NATS may be away too: redelivery covers it
                await msg.in_progress()
            await asyncio.sleep(delay)

    async def _failed(
        self, consumer: str, msg: NatsMessage, event: Event, exc: Exception, deliveries: int
    ) -> None:
        if deliveries >= self.policy.max_deliveries:
            await self._dead_letter(consumer, msg, event, repr(exc), deliveries)
            return
        delay = self.policy.delay_after(deliveries)
        log.warning(
            "event handling failed; will retry",
            consumer=consumer,
            subject=event.subject,
            event_id=str(event.event_id),
            delivery=deliveries,
            retry_in=delay,
            error=repr(exc),
        )
        EVENTS_HANDLED.labels(self.service, event.subject, "retried").inc()
        await msg.nack(delay=delay)

    async def _dead_letter(
        self,
        consumer: str,
        msg: NatsMessage,
        event: Event | None,
        error: str,
        deliveries: int,
    ) -> None:
        subject = str(msg.raw_message.subject)
        async with self.sessions() as session, session.begin():
            await session.execute(
                insert(self.tables.dead_letters).values(
                    consumer=consumer,
                    subject=subject,
                    event_id=event.event_id if event else None,
                    payload=msg.body.decode("utf-8", errors="replace"),
                    error=error[:4000],
                    deliveries=deliveries,
                )
            )
        log.error(
            "event dead-lettered",
            consumer=consumer,
            subject=subject,
            event_id=str(event.event_id) if event else None,
            deliveries=deliveries,
            error=error,
        )
        EVENTS_HANDLED.labels(self.service, subject, "dead_lettered").inc()
        DEAD_LETTERS.labels(self.service).inc()
        await msg.ack()

    def subscribe(
        self,
        broker: NatsBroker,
        event_type: type[E],
        apply: Apply[E],
        *,
        concurrency: int = 1,
        ordered: bool = False,
    ) -> None:
        """Register a durable pull consumer for `event_type`; replicas share it (work is split).

        `concurrency` > 1 applies that many events at once: only for effects that commute
        (the order of two events must not change the result). Even with one worker, the events
        of one pull batch are applied concurrently; `ordered` applies them one at a time, in
        stream order, for effects that depend on it (slower: no overlap of round trips).
        """
        consumer = durable_name(self.service, event_type)
        # FastStream applies the messages of one pull batch concurrently even with one worker;
        # an `ordered` subscription takes them one at a time, in stream order.
        one_at_a_time: AbstractAsyncContextManager[Any] = (
            asyncio.Lock() if ordered else contextlib.nullcontext()
        )

        @broker.subscriber(
            event_type.subject,
            stream=JStream(stream_for(event_type.subject).name, declare=False),
            durable=consumer,
            pull_sub=PullSub(batch_size=64, timeout=1.0),
            config=ConsumerConfig(
                ack_wait=self.policy.ack_wait_seconds,
                max_deliver=-1,  # our own cap above dead-letters; the server must not drop silently
            ),
            ack_policy=AckPolicy.MANUAL,
            title=f"{self.service}: {event_type.__name__}",
            max_workers=concurrency,
        )
        async def on_message(body: object, msg: NatsMessage) -> None:
            async with one_at_a_time:
                await self.handle(consumer, msg, event_type, apply)


def durable_name(service: str, event_type: type[Event]) -> str:
    return f"{service}--{event_type.subject.replace('.', '-')}"


def _deliveries(msg: NatsMessage) -> int:
    metadata = msg.raw_message.metadata
    return int(metadata.num_delivered or 1)
