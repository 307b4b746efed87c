"""The outbox relay: publishes stored events to JetStream, at least once, deduplicated by id.

Each event goes out with `Nats-Msg-Id` = its event id, so JetStream's duplicate window drops a
second copy when the relay crashed between publishing and marking. A publish failure (NATS down)
leaves the row unpublished; the relay backs off and tries again, forever.
Rows are claimed with FOR UPDATE SKIP LOCKED so replicas share the work without double-sending.
"""

from __future__ import annotations

import asyncio
import contextlib
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

    def wake(self) -> None:
        """Producers call this after a commit so the event leaves without waiting for a poll."""
        self._wake.set()

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many were published. Raises on the first failure."""
        sent: list[object] = []
        failure: Exception | None = None
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
            for event_id, subject, payload in rows:
                try:
                    await self._publish(subject, payload.encode(), str(event_id))
                except Exception as exc:
                    # Keep what went out (committed below); count this failed attempt.
                    failure = exc
                    await session.execute(
                        update(self._outbox)
                        .where(self._outbox.c.event_id == event_id)
                        .values(attempts=self._outbox.c.attempts + 1, last_error=repr(exc)[:2000])
                    )
                    break
                sent.append(event_id)
            if sent:
                await session.execute(
                    update(self._outbox)
                    .where(self._outbox.c.event_id.in_(sent))
                    .values(published_at=datetime.now(UTC))
                )
        OUTBOX_PUBLISHED.labels(self._service).inc(len(sent))
        if failure is not None:
            raise failure
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

    async def run(self) -> None:
        """Relay until cancelled."""
        backoff = 0.0
        while True:
            try:
                published = await self.publish_pending()
                await self.refresh_gauges()
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
