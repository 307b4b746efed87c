"""The one way to emit an event: the outbox row joins the caller's transaction, and the relay is
woken once that transaction committed.

`Outbox.emit(session, *events)` is what services call (`runtime.emit`). The wake-up is debounced:
woken after every commit, the relay ran back to back under load, one or two events a round, each
round with its own queries (a fifth of intake's CPU); gathering the commits of 20 ms into one
round costs an event at most that much extra delay.

A hot path that writes its state and its event in one hand-written statement (intake's filing,
one round trip) embeds `OutboxRow.of(event)` under `OUTBOX_COLUMNS` and calls
`Outbox.committed()` after its commit: the row is still defined here only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Final, NamedTuple, Protocol
from uuid import UUID

from sqlalchemy import event as sa_event
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.db.messaging_tables import MessagingTables
from minhbach.events.base import Event

WAKE_DEBOUNCE_SECONDS: Final = 0.02


class Emit(Protocol):
    """Store events in the caller's transaction; they are published after it commits."""

    async def __call__(self, session: AsyncSession, *events: Event) -> None: ...


class OutboxRow(NamedTuple):
    event_id: UUID
    subject: str
    payload: str

    @classmethod
    def of(cls, event: Event) -> OutboxRow:
        return cls(event.event_id, event.subject, event.model_dump_json())


OUTBOX_COLUMNS: Final = ", ".join(OutboxRow._fields)
"""The outbox columns a hand-written INSERT names, in `OutboxRow`'s order."""


class Outbox:
    def __init__(
        self,
        tables: MessagingTables,
        wake_relay: Callable[[], None] | None = None,
        *,
        debounce_seconds: float = WAKE_DEBOUNCE_SECONDS,
    ) -> None:
        """`wake_relay` is the relay's wake-up; None where no relay runs in this process (a
        command-line tool: the service's relay finds the rows at its next poll)."""
        self._table = tables.outbox
        self._wake_relay = wake_relay
        self._debounce = debounce_seconds
        self._wake_pending = False

    async def emit(self, session: AsyncSession, *events: Event) -> None:
        if not events:
            return
        await session.execute(insert(self._table), [OutboxRow.of(e)._asdict() for e in events])
        sa_event.listen(session.sync_session, "after_commit", self._after_commit, once=True)

    def _after_commit(self, _session: object) -> None:
        self.committed()

    def committed(self) -> None:
        """Outbox rows were committed: wake the relay soon, once per debounce interval."""
        if self._wake_relay is None or self._wake_pending:
            return
        self._wake_pending = True
        asyncio.get_running_loop().call_later(self._debounce, self._wake_now)

    def _wake_now(self) -> None:
        self._wake_pending = False
        assert self._wake_relay is not None
        self._wake_relay()
