"""The outbox relay: publishes stored events to JetStream, at least once, deduplicated by id.

Each event goes out with `Nats-Msg-Id` = its event id, so JetStream's duplicate window drops a
second copy when the relay crashed between publishing and marking. A publish failure (NATS down)
leaves the row unpublished; the relay backs off and tries again, forever.
Rows are claimed with FOR UPDATE SKIP LOCKED so replicas share the work without double-sending.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.db.messaging_tables import MessagingTables
from minhbach.observability.logging import get_logger
from minhbach.observability.metrics import (
    OUTBOX_OLDEST_AGE,
    OUTBOX_PENDING,
    OUTBOX_PUBLISH_ERRORS,
    OUTBOX_PUBLISHED,
)

Publish = Callable[[str, bytes, str], Awaitable[None]]
"""publish(subject, payload, msg_id): returns once JetStream acknowledged, raises otherwise."""

log = get_logger(__name__)

GAUGE_INTERVAL_SECONDS = 1.0


class OutboxRelay:
    def __init__(
        self,
        service: str,
        sessions: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        publish: Publish,
        *,
        poll_seconds: float = 0.5,
        batch_size: int = 200,
        max_backoff_seconds: float = 10.0,
    ) -> None:
        self._service = service
        self._sessions = sessions
        self._outbox = tables.outbox
        self._publish = publish
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._max_backoff = max_backoff_seconds
        self._wake = asyncio.Event()
        self._gauges_at = 0.0

    def wake(self) -> None:
        """Producers call this after a commit so the event leaves without waiting for a poll."""
        self._wake.set()

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many were published. Raises if any publish failed.

        The batch's publishes are pipelined (sent together, acknowledgements awaited together):
        one round trip per batch instead of one per event. Whatever JetStream acknowledged is
        marked, whatever failed is counted and retried by the next batch.
        """
        async with self._sessions() as session, session.begin():
            rows = (
                await session.execute(
                    select(self._outbox.c.event_id, self._outbox.c.subject, self._outbox.c.payload)
                    .where(self._outbox.c.published_at.is_(None))
                    .order_by(self._outbox.c.created_at)
                    .limit(self._batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            outcomes = await asyncio.gather(
                *(
                    self._publish(subject, payload.encode(), str(eid))
                    for eid, subject, payload in rows
                ),
                return_exceptions=True,
            )
            sent = [
                row.event_id for row, outcome in zip(rows, outcomes, strict=True) if outcome is None
            ]
            failures = [
                (row.event_id, outcome)
                for row, outcome in zip(rows, outcomes, strict=True)
                if isinstance(outcome, BaseException)
            ]
            if sent:
                await session.execute(
                    update(self._outbox)
                    .where(self._outbox.c.event_id.in_(sent))
                    .values(published_at=datetime.now(UTC))
                )
            for event_id, exc in failures:
                await session.execute(
                    update(self._outbox)
                    .where(self._outbox.c.event_id == event_id)
                    .values(attempts=self._outbox.c.attempts + 1, last_error=repr(exc)[:2000])
                )
        OUTBOX_PUBLISHED.labels(self._service).inc(len(sent))
        if failures:
            error = failures[0][1]
            if isinstance(error, asyncio.CancelledError):
                raise error
            raise error if isinstance(error, Exception) else RuntimeError(repr(error))
        return len(sent)

    async def refresh_gauges(self) -> None:
        async with self._sessions() as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(self._outbox.c.created_at)).where(
                        self._outbox.c.published_at.is_(None)
                    )
                )
            ).one()
        OUTBOX_PENDING.labels(self._service).set(count)
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
        OUTBOX_OLDEST_AGE.labels(self._service).set(age)

    async def _refresh_gauges_now_and_then(self) -> None:
        """The backlog gauges cost a query: at most one a second, not one per batch."""
        now = time.monotonic()
        if now - self._gauges_at >= GAUGE_INTERVAL_SECONDS:
            self._gauges_at = now
            await self.refresh_gauges()

    async def run(self) -> None:
        """Relay until cancelled."""
        backoff = 0.0
        while True:
            try:
                published = await self.publish_pending()
                await self._refresh_gauges_now_and_then()
                backoff = 0.0
                if published == self._batch_size:
                    continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                OUTBOX_PUBLISH_ERRORS.labels(self._service).inc()
                backoff = min(self._max_backoff, max(0.2, backoff * 2))
                log.warning("outbox publish failed; will retry", error=repr(exc), retry_in=backoff)
                await asyncio.sleep(backoff)
                continue
            await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that
        # arrives as the wake-up fires, and the relay then never stops (shutdown hung under load).
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._poll_seconds):
                await self._wake.wait()
        self._wake.clear()
