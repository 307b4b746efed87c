"""One unit of work: a service function runs in one transaction, and the events it returns are
emitted through the outbox inside that same transaction.

Why: a command's state and the events that announce it must commit together or not at all (the
outbox's promise), and a service function should say *what* happened (the events its domain
decided) rather than open sessions and call `emit` by hand somewhere in the middle. With this,
each service function has one shape: `await uow.run(work)`, where `work(session)` reads and writes
through the store and returns `Outcome(value, events)`; the unit commits both, or neither when
`work` raises. Nothing is published before the commit (the relay does that after it).

A consumed event already has its transaction: the consumer's, which records the event in the
inbox. `applying` makes that transaction the unit: the work's events join it, so the inbox row,
the effect and the events commit together. Services name the session type `Session` (from here),
so that only their `store/` imports SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.db.session import Session, Sessions, transaction
from minhbach.events.base import Event
from minhbach.messaging.outbox import Emit

__all__ = ["Outcome", "Session", "Sessions", "UnitOfWork", "after_commit"]

T = TypeVar("T")
E = TypeVar("E", bound=Event)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a piece of work answers (`value`) and the events it produced (emitted in order)."""

    value: T
    events: Sequence[Event] = ()


Work = Callable[[AsyncSession], Awaitable[Outcome[T]]]
Emitting = Callable[[AsyncSession], Awaitable[Sequence[Event]]]
Handling = Callable[[AsyncSession, E], Awaitable[Sequence[Event]]]


@dataclass(frozen=True)
class UnitOfWork:
    sessions: async_sessionmaker[AsyncSession]
    emit: Emit

    async def run(self, work: Work[T]) -> T:
        """Run `work` in one transaction and emit its events in it; commit, then answer its
        value. If `work` (or the emit) raises, nothing is written and no event leaves."""
        async with transaction(self.sessions) as session:
            outcome = await work(session)
            await self.emit(session, *outcome.events)
        return outcome.value

    async def emitting(self, work: Emitting) -> Sequence[Event]:
        """`run` for work that answers only its events (a loop's tick); they are answered too."""

        async def outcome(session: AsyncSession) -> Outcome[Sequence[Event]]:
            events = await work(session)
            return Outcome(events, events)

        return await self.run(outcome)

    def applying(self, work: Handling[E]) -> Callable[[AsyncSession, E], Awaitable[None]]:
        """The consumer's handler for `work`: run in the consumer's transaction (the one that
        records the event in the inbox), the events `work` returns emitted in it."""

        async def apply(session: AsyncSession, event: E) -> None:
            await self.emit(session, *await work(session, event))

        return apply


def after_commit(session: AsyncSession, then: Callable[[], None]) -> None:
    """Call `then` once the session's transaction committed (not if it rolls back): for state
    kept outside the database that must not run ahead of it."""
    sa_event.listen(session.sync_session, "after_commit", lambda _session: then(), once=True)
