"""The messaging guarantees, against real NATS JetStream and PostgreSQL.

- an event stored with its state is published exactly once, even when NATS is stopped and
  started between the write and the relay, and when the relay re-sends after a crash;
- a redelivered event has its effect once;
- a failing handler is retried, and after the last attempt the message is dead-lettered, visible
  and replayable, not lost.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from faststream.nats import NatsBroker
from nats.aio.client import Client as NatsClient
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from minhbach.db.messaging_tables import MessagingTables, add_messaging_tables
from minhbach.events.catalogue import EvidenceRef, EvidenceSubmitted
from minhbach.infra.embedded import EmbeddedNats
from minhbach.messaging.consumer import DeliveryPolicy, EventConsumer
from minhbach.messaging.dead_letters import pending_dead_letters, replay_dead_letter
from minhbach.messaging.outbox import Outbox
from minhbach.messaging.relay import OutboxRelay
from minhbach.messaging.streams import declare_streams
from minhbach.services import ServiceSpec
from minhbach.settings import Settings
from tests.support.servers import eventually

SCHEMA = "foundation_test"
metadata = MetaData(schema=SCHEMA)
tables = add_messaging_tables(metadata)
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_code", String(100), nullable=False),
)
SPEC = ServiceSpec("foundation-test", "foundation_test", SCHEMA, "intake_port")


@pytest.fixture(scope="module")
async def schema(engine: AsyncEngine) -> MessagingTables:
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        await conn.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
        await conn.run_sync(metadata.create_all)
    return tables


@pytest.fixture
async def broker(nats_url: str, nats_client: NatsClient) -> AsyncIterator[NatsBroker]:
    broker = NatsBroker(nats_url, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    yield broker
    await broker.stop()


def evidence(unit_code: str) -> EvidenceSubmitted:
    return EvidenceSubmitted(
        evidence_id=uuid.uuid4(),
        unit_code=unit_code,
        task_code="1.1",
        plan_year=2024,
        submitted_at=datetime.now(UTC),
        evidence=EvidenceRef(url="http://127.0.0.1/doc", document_number="57/KH-UBND"),
    )


async def count_in_stream(js_client: NatsClient, unit_code: str) -> int:
    """Messages in the INTAKE stream that carry this unit code (read by an ephemeral consumer)."""
    js = js_client.jetstream()
    sub = await js.pull_subscribe(EvidenceSubmitted.subject, stream="INTAKE")
    found = 0
    try:
        while True:
            try:
                batch = await sub.fetch(256, timeout=0.5)
            except TimeoutError:
                break
            found += sum(1 for m in batch if unit_code.encode() in m.data)
            for m in batch:
                await m.ack()
    finally:
        await sub.unsubscribe()
    return found


async def store_with_state(
    sessions: async_sessionmaker[AsyncSession], event: EvidenceSubmitted
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(insert(effects).values(unit_code=f"state-{event.unit_code}"))
        await Outbox(tables).emit(session, event)


async def test_emit_joins_the_transaction_and_wakes_the_relay_after_commit_once_per_burst(
    schema: MessagingTables, sessions: async_sessionmaker[AsyncSession]
) -> None:
    wakes: list[str] = []
    outbox = Outbox(schema, lambda: wakes.append("wake"), debounce_seconds=0.05)
    first = evidence(f"emit-{uuid.uuid4().hex[:8]}")
    async with sessions() as session, session.begin():
        await outbox.emit(session, first)
        await asyncio.sleep(0.1)  # longer than the debounce: a wake now would have fired
        assert wakes == []  # not before the commit: the relay would find nothing
    await eventually(lambda: wakes == ["wake"])
    assert await _stored(sessions, first.event_id) == 1

    # A burst of commits wakes the relay once per debounce interval, not once per commit.
    patient = Outbox(schema, lambda: wakes.append("burst"), debounce_seconds=2.0)
    burst = [evidence(f"burst-{uuid.uuid4().hex[:8]}") for _ in range(5)]
    for event in burst:
        async with sessions() as session, session.begin():
            await patient.emit(session, event)
    await asyncio.sleep(2.5)  # past the last interval: every wake due has fired
    assert 1 <= wakes.count("burst") < len(burst)
    assert [await _stored(sessions, e.event_id) for e in burst] == [1] * len(burst)


async def test_emit_in_a_rolled_back_transaction_stores_nothing_and_wakes_nobody(
    schema: MessagingTables, sessions: async_sessionmaker[AsyncSession]
) -> None:
    wakes: list[float] = []
    outbox = Outbox(schema, lambda: wakes.append(1.0), debounce_seconds=0.01)
    event = evidence(f"rollback-{uuid.uuid4().hex[:8]}")
    with pytest.raises(RuntimeError):
        async with sessions() as session, session.begin():
            await outbox.emit(session, event)
            raise RuntimeError("the caller's work failed: everything rolls back")
    await asyncio.sleep(0.1)
    assert wakes == []
    assert await _stored(sessions, event.event_id) == 0


async def test_event_stored_with_state_is_published_once_across_a_nats_restart(
    schema: MessagingTables,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
    embedded_nats: EmbeddedNats | None,
    nats_url: str,
) -> None:
    if embedded_nats is None:
        pytest.skip("needs the embedded NATS to stop and start it")
    unit = f"restart-{uuid.uuid4().hex[:8]}"
    event = evidence(unit)
    await store_with_state(sessions, event)

    publisher = await _jetstream_publisher(nats_url)
    relay = OutboxRelay(SPEC.name, sessions, schema, publisher.publish, poll_seconds=0.05)
    embedded_nats.stop()
    with pytest.raises(Exception):  # noqa: B017 - any transport error: NATS is down
        await relay.publish_pending()
    embedded_nats.start()

    relay_task = asyncio.create_task(relay.run())
    try:
        await eventually(lambda: _published(sessions, event.event_id), timeout=30)
    finally:
        relay_task.cancel()
    await publisher.close()

    checker = await _connect(nats_url)
    assert await count_in_stream(checker, unit) == 1
    await checker.close()


async def test_relay_resending_after_a_crash_is_dropped_by_the_duplicate_window(
    schema: MessagingTables,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
    nats_url: str,
) -> None:
    unit = f"resend-{uuid.uuid4().hex[:8]}"
    event = evidence(unit)
    await store_with_state(sessions, event)
    publisher = await _jetstream_publisher(nats_url)
    # The crashed relay had published but not marked the row: the same id goes out again.
    await publisher.publish(event.subject, event.to_json(), str(event.event_id))
    relay = OutboxRelay(SPEC.name, sessions, schema, publisher.publish)
    assert await relay.publish_pending() >= 1
    await publisher.close()
    assert await count_in_stream(nats_client, unit) == 1


async def test_redelivered_event_has_its_effect_once(
    schema: MessagingTables,
    sessions: async_sessionmaker[AsyncSession],
    broker: NatsBroker,
    nats_client: NatsClient,
) -> None:
    unit = f"redeliver-{uuid.uuid4().hex[:8]}"
    consumer = EventConsumer(f"t-{uuid.uuid4().hex[:8]}", sessions, schema)

    async def apply(session: AsyncSession, event: EvidenceSubmitted) -> None:
        await session.execute(insert(effects).values(unit_code=event.unit_code))

    consumer.subscribe(broker, EvidenceSubmitted, apply)
    await broker.start()
    event = evidence(unit)
    js = nats_client.jetstream()
    # Two deliveries of one event (as after a lost ack): distinct message ids defeat the dedup.
    await js.publish(event.subject, event.to_json(), headers={"Nats-Msg-Id": "a-" + unit})
    await js.publish(event.subject, event.to_json(), headers={"Nats-Msg-Id": "b-" + unit})

    await eventually(lambda: _inbox_count(sessions, consumer.service, event.event_id))
    await asyncio.sleep(0.5)  # give the second copy time to arrive and be ignored
    assert await _effect_count(sessions, unit) == 1
    assert await _inbox_count(sessions, consumer.service, event.event_id) == 1


async def test_failing_handler_is_retried_then_dead_lettered_and_replayable(
    schema: MessagingTables,
    sessions: async_sessionmaker[AsyncSession],
    broker: NatsBroker,
    nats_client: NatsClient,
    settings: Settings,
) -> None:
    unit = f"poison-{uuid.uuid4().hex[:8]}"
    service = f"t-{uuid.uuid4().hex[:8]}"
    consumer = EventConsumer(
        service, sessions, schema, DeliveryPolicy(max_deliveries=3, backoff_seconds=(0.05,))
    )
    attempts: list[int] = []
    healthy = asyncio.Event()

    async def apply(session: AsyncSession, event: EvidenceSubmitted) -> None:
        if event.unit_code != unit:
            return
        attempts.append(1)
        if not healthy.is_set():
            raise RuntimeError("handler bug")
        await session.execute(insert(effects).values(unit_code=event.unit_code))

    consumer.subscribe(broker, EvidenceSubmitted, apply)
    await broker.start()
    event = evidence(unit)
    await nats_client.jetstream().publish(
        event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.event_id)}
    )

    spec = ServiceSpec(service, "foundation_test", SCHEMA, "intake_port")
    letters = await eventually(
        lambda: _dead_letters_for(settings.database_url, spec, event.event_id), timeout=20
    )
    assert len(attempts) == 3
    assert letters[0].deliveries == 3
    assert "handler bug" in letters[0].error
    assert await _effect_count(sessions, unit) == 0

    healthy.set()
    await replay_dead_letter(settings, spec, letters[0].id)
    await eventually(lambda: _effect_count(sessions, unit))
    assert await _effect_count(sessions, unit) == 1
    assert await _dead_letters_for(settings.database_url, spec, event.event_id) == []


# --- helpers --------------------------------------------------------------------------------


class _Publisher:
    def __init__(self, client: NatsClient) -> None:
        self._client = client
        self._js = client.jetstream()

    async def publish(self, subject: str, payload: bytes, msg_id: str) -> None:
        await self._js.publish(subject, payload, headers={"Nats-Msg-Id": msg_id}, timeout=1)

    async def close(self) -> None:
        await self._client.close()


async def _connect(nats_url: str) -> NatsClient:
    import nats

    return await nats.connect(
        nats_url, max_reconnect_attempts=-1, reconnect_time_wait=0.2, allow_reconnect=True
    )


async def _jetstream_publisher(nats_url: str) -> _Publisher:
    client = await _connect(nats_url)
    await declare_streams(client.jetstream(), 3600)
    return _Publisher(client)


async def _published(sessions: async_sessionmaker[AsyncSession], event_id: uuid.UUID) -> bool:
    async with sessions() as session:
        published_at = await session.scalar(
            select(tables.outbox.c.published_at).where(tables.outbox.c.event_id == event_id)
        )
    return published_at is not None


async def _stored(sessions: async_sessionmaker[AsyncSession], event_id: uuid.UUID) -> int:
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(tables.outbox)
            .where(tables.outbox.c.event_id == event_id)
        )
    return count or 0


async def _effect_count(sessions: async_sessionmaker[AsyncSession], unit: str) -> int:
    async with sessions() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(effects).where(effects.c.unit_code == unit)
            )
            or 0
        )


async def _inbox_count(
    sessions: async_sessionmaker[AsyncSession], consumer: str, event_id: uuid.UUID
) -> int:
    async with sessions() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(tables.inbox)
                .where(tables.inbox.c.event_id == event_id)
                .where(tables.inbox.c.consumer.like(f"{consumer}--%"))
            )
            or 0
        )


async def _dead_letters_for(database_url: str, spec: ServiceSpec, event_id: uuid.UUID) -> list:
    return [
        letter
        for letter in await pending_dead_letters(database_url, [spec])
        if letter.event_id == event_id
    ]
