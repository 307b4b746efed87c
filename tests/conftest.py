"""Session fixtures: real NATS JetStream and PostgreSQL for the whole suite.

Layout: `tests/unit/<area>/` holds the pure tests (no server: `pytest -m unit` runs only them, in
seconds); `tests/<area>/` the tests of one service on real servers; `tests/system/` the tests of
several services together.

Embedded servers (data under var/test/, wiped per session) unless MINHBACH_TEST_DATABASE_URL /
MINHBACH_TEST_NATS_URL name real ones. The embedded NATS listens on a free loopback port, so a
NATS or PostgreSQL the machine already runs is neither used nor disturbed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client as NatsClient
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from minhbach.db.migrations import migrate_all
from minhbach.db.session import make_engine, make_sessionmaker
from minhbach.infra.embedded import EmbeddedNats, EmbeddedPostgres, free_port
from minhbach.messaging.streams import declare_streams
from minhbach.settings import REPO_ROOT, Settings

TESTS = Path(__file__).parent
MARKED_BY_FOLDER = {TESTS / "unit": pytest.mark.unit, TESTS / "system": pytest.mark.system}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by its folder, so `-m unit` / `-m "not system"` select by kind."""
    for item in items:
        for folder, mark in MARKED_BY_FOLDER.items():
            if item.path.is_relative_to(folder):
                item.add_marker(mark)


# One folder per test session, so that parallel sessions (several developers, CI) never share
# a database or a stream.
TEST_VAR = REPO_ROOT / "var" / "test" / str(os.getpid())


@pytest.fixture(scope="session")
def embedded_postgres() -> Iterator[EmbeddedPostgres | None]:
    if os.environ.get("MINHBACH_TEST_DATABASE_URL"):
        yield None
        return
    pg = EmbeddedPostgres(TEST_VAR / "pg", database="minhbach_test").start()
    yield pg
    pg.stop(delete=True)


@pytest.fixture(scope="session")
def database_url(embedded_postgres: EmbeddedPostgres | None) -> str:
    url = os.environ.get("MINHBACH_TEST_DATABASE_URL") or (
        embedded_postgres.url if embedded_postgres else ""
    )
    migrate_all(url)
    return url


@pytest.fixture(scope="session")
def embedded_nats() -> Iterator[EmbeddedNats | None]:
    if os.environ.get("MINHBACH_TEST_NATS_URL"):
        yield None
        return
    data = TEST_VAR / "nats"
    shutil.rmtree(data, ignore_errors=True)
    server = EmbeddedNats(data, free_port()).start()
    yield server
    server.stop()
    shutil.rmtree(TEST_VAR, ignore_errors=True)


@pytest.fixture(scope="session")
def nats_url(embedded_nats: EmbeddedNats | None) -> str:
    return os.environ.get("MINHBACH_TEST_NATS_URL") or (embedded_nats.url if embedded_nats else "")


@pytest.fixture(scope="session")
def settings(
    database_url: str, nats_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """Settings for services started inside tests: real servers, fast retries."""
    return Settings(
        database_url=database_url,
        nats_url=nats_url,
        var_dir=tmp_path_factory.mktemp("var"),
        outbox_poll_seconds=0.1,
        redelivery_backoff_seconds=[0.05, 0.1, 0.2],
        max_deliveries=3,
    )


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)


@pytest.fixture
async def nats_client(nats_url: str, settings: Settings) -> AsyncIterator[NatsClient]:
    client = await nats.connect(nats_url)
    await declare_streams(client.jetstream(), settings.duplicate_window_seconds)
    yield client
    await client.close()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT
