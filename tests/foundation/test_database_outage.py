"""An event arriving while the service's PostgreSQL is down is held until the database is back,
then applied once; it is never dead-lettered for the outage (found by the chaos run: a restart
longer than the back-off dead-lettered every event in flight). A handler that fails for any
other reason is still retried and dead-lettered as before (tests/foundation/test_messaging.py).
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from faststream.nats import NatsBroker
from nats.aio.client import Client as NatsClient
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from minhbach.db.outage import database_unavailable
from minhbach.db.session import make_engine, make_sessionmaker
from minhbach.events.catalogue import EvidenceSubmitted
from minhbach.infra.embedded import EmbeddedPostgres
from minhbach.messaging.consumer import DeliveryPolicy, EventConsumer
from minhbach.settings import REPO_ROOT
from tests.foundation.test_messaging import SCHEMA, effects, evidence, metadata, tables
from tests.support.servers import eventually

pytestmark = pytest.mark.slow

POLICY = DeliveryPolicy(max_deliveries=3, backoff_seconds=(0.1, 0.2, 0.4))


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[EmbeddedPostgres]:
    """A PostgreSQL of this test's own, to stop under a running consumer."""
    folder = REPO_ROOT / "var" / "test" / f"outage-{uuid.uuid4().hex[:8]}"
    pg = EmbeddedPostgres(folder, database="outage").start()
    yield pg
    pg.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
async def own_engine(own_postgres: EmbeddedPostgres) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(own_postgres.url, pool_size=2)
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        await conn.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
        await conn.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


async def test_an_event_waits_out_a_database_restart_and_is_applied_once(
    own_postgres: EmbeddedPostgres,
    own_engine: AsyncEngine,
    nats_url: str,
    nats_client: NatsClient,
) -> None:
    sessions = make_sessionmaker(own_engine)
    consumer = EventConsumer(f"t-{uuid.uuid4().hex[:8]}", sessions, tables, POLICY)
    unit = f"outage-{uuid.uuid4().hex[:8]}"

    async def apply(session: AsyncSession, event: EvidenceSubmitted) -> None:
        if event.unit_code == unit:
            await session.execute(insert(effects).values(unit_code=event.unit_code))

    broker = NatsBroker(nats_url, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    consumer.subscribe(broker, EvidenceSubmitted, apply)
    await broker.start()
    try:
        await asyncio.to_thread(own_postgres.stop)
        event = evidence(unit)
        await nats_client.jetstream().publish(
            event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.event_id)}
        )
        await asyncio.sleep(3.0)  # many times the whole back-off: the old policy gave up here
        await asyncio.to_thread(own_postgres.start)
        await eventually(lambda: _count(sessions, unit), timeout=30)
        await asyncio.sleep(0.5)  # a second delivery, had there been one, would land by now
        assert await _count(sessions, unit) == 1
        assert await _dead_letters(sessions) == 0
    finally:
        await broker.stop()


async def _count(sessions: async_sessionmaker[AsyncSession], unit: str) -> int:
    async with sessions() as session:
        found = await session.scalar(
            select(func.count()).select_from(effects).where(effects.c.unit_code == unit)
        )
    return int(found or 0)


async def _dead_letters(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(tables.dead_letters)) or 0)


def test_an_outage_is_told_from_a_failing_statement() -> None:
    refused = DBAPIError("SELECT 1", {}, ConnectionRefusedError(111, "Connection refused"))
    assert database_unavailable(refused)
    starting = _with_sqlstate("57P03")
    assert database_unavailable(DBAPIError("SELECT 1", {}, starting))
    assert not database_unavailable(DBAPIError("INSERT", {}, _with_sqlstate("23505")))
    assert not database_unavailable(RuntimeError("handler bug"))


def _with_sqlstate(code: str) -> Exception:
    error = Exception(f"sqlstate {code}")
    error.sqlstate = code  # type: ignore[attr-defined]
    return error
