"""Foundation: outbox relay throughput against a bare JetStream publish loop (baseline)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import nats
from sqlalchemy import MetaData, text

from minhbach.db.messaging_tables import add_messaging_tables
from minhbach.db.session import make_engine, make_sessionmaker
from minhbach.events.catalogue import EvidenceRef, EvidenceSubmitted
from minhbach.messaging.outbox import Outbox
from minhbach.messaging.relay import OutboxRelay
from minhbach.messaging.streams import declare_streams
from tests.benchmarks.env import BenchEnv
from tests.benchmarks.table import BenchRow

EVENTS = 2000
SCHEMA = "bench_foundation"


def _event(n: int) -> EvidenceSubmitted:
    return EvidenceSubmitted(
        evidence_id=uuid.uuid4(),
        unit_code=f"bench-{n}",
        task_code="1.1",
        plan_year=2024,
        submitted_at=datetime.now(UTC),
        evidence=EvidenceRef(url="http://127.0.0.1/x"),
    )


async def run(env: BenchEnv) -> list[BenchRow]:
    client = await nats.connect(env.settings.nats_url)
    js = client.jetstream()
    await declare_streams(js, env.settings.duplicate_window_seconds)

    started = time.perf_counter()
    for n in range(EVENTS):
        e = _event(n)
        await js.publish(e.subject, e.to_json(), headers={"Nats-Msg-Id": str(e.event_id)})
    bare_rate = EVENTS / (time.perf_counter() - started)

    metadata = MetaData(schema=SCHEMA)
    tables = add_messaging_tables(metadata)
    engine = make_engine(env.settings.database_url)
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"'))
        await conn.run_sync(metadata.create_all)
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        await Outbox(tables).emit(session, *(_event(n) for n in range(EVENTS)))

    async def publish(subject: str, payload: bytes, msg_id: str) -> None:
        await js.publish(subject, payload, headers={"Nats-Msg-Id": msg_id})

    relay = OutboxRelay("bench", sessions, tables, publish, batch_size=200)
    started = time.perf_counter()
    while await relay.publish_pending():
        pass
    relay_rate = EVENTS / (time.perf_counter() - started)
    await engine.dispose()
    await client.close()
    return [
        BenchRow(
            "foundation",
            "outbox relay events/s",
            relay_rate,
            "events/s",
            bare_rate,
            "bare JetStream publish loop",
        )
    ]
