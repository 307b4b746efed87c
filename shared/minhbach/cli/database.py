"""The one way an operator's command opens the database: settings' URL, one connection, closed
after the work whatever happens; no URL configured is a clear error, not a traceback."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer

from minhbach.db.session import Sessions, make_engine, make_sessionmaker
from minhbach.settings import NO_DATABASE, get_settings

T = TypeVar("T")


def with_database(work: Callable[[Sessions], Awaitable[T]]) -> T:
    """Run `work` with a session factory on the configured database; exit 2 when none is set."""
    url = get_settings().database_url
    if not url:
        typer.echo(NO_DATABASE, err=True)
        raise typer.Exit(2)

    async def run() -> T:
        engine = make_engine(url, pool_size=1)
        try:
            return await work(make_sessionmaker(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())
