"""How scoring's writers are serialised: one lock for the ledger, one for the figures."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from scoring import db

# One writer at a time: the ledger and the figures are read, recomputed and written as a whole.
LOCK_KEY = 0x5C0_21_1E  # arbitrary, unique to scoring

_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_LOCK_FIGURES = text(f"LOCK TABLE {db.SCHEMA}.figures IN SHARE ROW EXCLUSIVE MODE")
_REPEATABLE_READ = text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


async def lock(session: AsyncSession) -> None:
    """Serialise the writers of scoring's ledger (handlers, the time loop, a rebuild)."""
    await session.execute(_LOCK, {"key": LOCK_KEY})


async def lock_figures(session: AsyncSession, *, snapshot_after: bool = False) -> None:
    """Serialise the writers of the figures (flushers, the full pass, a rebuild); readers are
    not held up. Always taken after `lock` when both are needed, so the two never deadlock.

    With `snapshot_after` (first statement of the transaction), the transaction reads one
    snapshot taken at its first query after the lock: a lock table, unlike a SELECT, takes no
    snapshot, so the caller can take its marks between the two and read exactly what they name."""
    if snapshot_after:
        await session.execute(_REPEATABLE_READ)
    await session.execute(_LOCK_FIGURES)
