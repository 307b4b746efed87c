"""What an operator does to the notifier (`minhbach notifier ...`, the read-only `/notices` route):
silences set, listed and removed, notices listed, and a failed notice sent again.

One use case per command, each one transaction through the unit of work (`service.py` holds the
sending rounds and the consumed events). None of these produces an event.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from minhbach.db.unit_of_work import Outcome, Session, UnitOfWork
from notifier import store

T = TypeVar("T")


async def _in_one_transaction(uow: UnitOfWork, work: Callable[[Session], Awaitable[T]]) -> T:
    async def outcome(session: Session) -> Outcome[T]:
        return Outcome(await work(session))

    return await uow.run(outcome)


async def add_silence(
    uow: UnitOfWork,
    *,
    until: datetime,
    reason: str,
    unit_code: str | None = None,
    obligation_id: str | None = None,
    created_by: str = "",
) -> int:
    """Hold back the notices about one unit or one obligation until `until`; the silence's id."""
    return await _in_one_transaction(
        uow,
        lambda session: store.add_silence(
            session,
            until=until,
            reason=reason,
            unit_code=unit_code,
            obligation_id=obligation_id,
            created_by=created_by,
        ),
    )


async def list_silences(uow: UnitOfWork, *, include_removed: bool = False) -> list[dict[str, Any]]:
    """The silences in force (and the removed ones with `include_removed`), oldest first."""
    return await _in_one_transaction(
        uow, lambda session: store.list_silences(session, include_removed=include_removed)
    )


async def remove_silence(uow: UnitOfWork, silence_id: int) -> bool:
    """End a silence now; False when there is no such silence in force."""
    return await _in_one_transaction(uow, lambda session: store.remove_silence(session, silence_id))


async def list_notices(
    uow: UnitOfWork, states: Sequence[str], limit: int = 100
) -> list[dict[str, Any]]:
    """Recent notices (newest first) in these states (all when none)."""
    return await _in_one_transaction(
        uow, lambda session: store.list_notices(session, list(states), limit)
    )


async def requeue(uow: UnitOfWork, notice_key: str) -> bool:
    """Send a dead or uncertain notice again (same Message-ID, attempts reset); False when there
    is no such notice in those states."""
    return await _in_one_transaction(uow, lambda session: store.requeue(session, notice_key))
