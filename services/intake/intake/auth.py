"""Unit tokens: issued by an operator, shown once, stored as SHA-256 hashes.

A token is 32 random bytes (`secrets.token_urlsafe`), so a plain SHA-256 is enough to store it
(no salt or slow hash needed: nothing to guess). A verified token is remembered in memory for
`intake_token_cache_seconds`, so a revocation takes effect within that time on every replica.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from intake.db import unit_tokens


@dataclass(frozen=True)
class Caller:
    """The unit a request speaks for."""

    unit_code: str
    is_focal_unit: bool

    def may_read(self, unit_code: str) -> bool:
        return self.is_focal_unit or unit_code == self.unit_code


@dataclass(frozen=True)
class TokenInfo:
    unit_code: str
    issued_at: datetime
    revoked_at: datetime | None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(
    sessions: async_sessionmaker[AsyncSession], unit_code: str, *, keep_others: bool = False
) -> str:
    """A new token for the unit; earlier ones are revoked unless `keep_others`."""
    token = new_token()
    async with sessions() as session, session.begin():
        if not keep_others:
            await _revoke(session, unit_code)
        await session.execute(
            insert(unit_tokens).values(token_hash=token_hash(token), unit_code=unit_code)
        )
    return token


async def revoke_tokens(sessions: async_sessionmaker[AsyncSession], unit_code: str) -> int:
    async with sessions() as session, session.begin():
        return await _revoke(session, unit_code)


async def _revoke(session: AsyncSession, unit_code: str) -> int:
    result = await session.execute(
        update(unit_tokens)
        .where(unit_tokens.c.unit_code == unit_code, unit_tokens.c.revoked_at.is_(None))
        .values(revoked_at=_now_sql())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _now_sql() -> object:
    from sqlalchemy import func

    return func.now()


async def list_tokens(sessions: async_sessionmaker[AsyncSession]) -> list[TokenInfo]:
    async with sessions() as session:
        rows = await session.execute(
            select(
                unit_tokens.c.unit_code, unit_tokens.c.issued_at, unit_tokens.c.revoked_at
            ).order_by(unit_tokens.c.unit_code, unit_tokens.c.issued_at)
        )
        return [TokenInfo(*row) for row in rows]


class TokenVerifier:
    """Token -> unit code, with a short in-memory cache of verified (and unknown) tokens."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        cache_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
        max_entries: int = 10_000,
    ) -> None:
        self._sessions = sessions
        self._ttl = cache_seconds
        self._monotonic = monotonic
        self._max_entries = max_entries
        self._cache: dict[str, tuple[str | None, float]] = {}

    async def unit_for(self, token: str) -> str | None:
        digest = token_hash(token)
        now = self._monotonic()
        cached = self._cache.get(digest)
        if cached is not None and cached[1] > now:
            return cached[0]
        async with self._sessions() as session:
            unit_code = await session.scalar(
                select(unit_tokens.c.unit_code).where(
                    unit_tokens.c.token_hash == digest, unit_tokens.c.revoked_at.is_(None)
                )
            )
        if self._ttl > 0:
            if len(self._cache) >= self._max_entries:
                self._cache.clear()  # bounded: random tokens could otherwise fill memory
            self._cache[digest] = (unit_code, now + self._ttl)
        return unit_code
