"""Access tokens: issued by an operator, shown once, stored as SHA-256 hashes.

One implementation for every service that lets people in (intake's units, reporting's readers);
each keeps its tokens in its own schema, in a table with the columns of `token_table`.

A token is 32 random bytes (`secrets.token_urlsafe`), so a plain SHA-256 is enough to store it
(no salt or slow hash needed: nothing to guess). A verified token is remembered in memory for a
few seconds, so a revocation takes effect within that time on every replica.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


def token_table(name: str, metadata: MetaData) -> Table:
    """The shape every service's token table has (hash, unit, issued, revoked)."""
    return Table(
        name,
        metadata,
        Column("token_hash", String(64), primary_key=True),  # hex SHA-256 of the token
        Column("unit_code", String(64), nullable=False),
        Column("issued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("revoked_at", DateTime(timezone=True)),
        Index(f"ix_{metadata.schema}_{name}_unit_code", "unit_code"),
    )


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
    sessions: async_sessionmaker[AsyncSession],
    table: Table,
    unit_code: str,
    *,
    keep_others: bool = False,
) -> str:
    """A new token for the unit; earlier ones are revoked unless `keep_others`."""
    token = new_token()
    async with sessions() as session, session.begin():
        if not keep_others:
            await _revoke(session, table, unit_code)
        await session.execute(
            insert(table).values(token_hash=token_hash(token), unit_code=unit_code)
        )
    return token


async def revoke_tokens(
    sessions: async_sessionmaker[AsyncSession], table: Table, unit_code: str
) -> int:
    async with sessions() as session, session.begin():
        return await _revoke(session, table, unit_code)


async def _revoke(session: AsyncSession, table: Table, unit_code: str) -> int:
    result = await session.execute(
        update(table)
        .where(table.c.unit_code == unit_code, table.c.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def list_tokens(sessions: async_sessionmaker[AsyncSession], table: Table) -> list[TokenInfo]:
    async with sessions() as session:
        rows = await session.execute(
            select(table.c.unit_code, table.c.issued_at, table.c.revoked_at).order_by(
                table.c.unit_code, table.c.issued_at
            )
        )
        return [TokenInfo(*row) for row in rows]


class TokenVerifier:
    """Token -> unit code, with a short in-memory cache of verified (and unknown) tokens."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        table: Table,
        cache_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
        max_entries: int = 10_000,
    ) -> None:
        self._sessions = sessions
        self._table = table
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
        t = self._table.c
        async with self._sessions() as session:
            unit_code = await session.scalar(
                select(t.unit_code).where(t.token_hash == digest, t.revoked_at.is_(None))
            )
        if self._ttl > 0:
            if len(self._cache) >= self._max_entries:
                self._cache.clear()  # bounded: random tokens could otherwise fill memory
            self._cache[digest] = (unit_code, now + self._ttl)
        return unit_code
