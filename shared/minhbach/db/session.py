"""The async engine and session factory (SQLAlchemy 2 on asyncpg): one place for both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeAlias

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

Session: TypeAlias = AsyncSession
"""A session, as code outside `minhbach.db` and the stores names it (it runs no SQL itself)."""
Sessions: TypeAlias = async_sessionmaker[AsyncSession]
"""The session factory, likewise."""
Engine: TypeAlias = AsyncEngine


def async_url(url: str) -> str:
    """Accept plain `postgresql://` URLs (as pgserver and operators write them) for asyncpg."""
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgres://")
    return url


# A connection attempt gives up after this many seconds (asyncpg's default is 60). After a
# kill -9 of PostgreSQL a surviving backend may still hold the old listening socket: a connect
# is queued and never answered, and every loop of the service stood still for the whole minute
# (found by the chaos run). Retrying sooner reaches the restarted server.
CONNECT_TIMEOUT_SECONDS = 5.0


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One unit of work: everything inside commits together or not at all."""
    async with sessions() as session, session.begin():
        yield session


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
