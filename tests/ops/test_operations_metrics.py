"""The operations metrics every service gets for free: HTTP latency by route, consumer lag."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import httpx
import pytest
from nats.aio.client import Client as NatsClient
from nats.js.api import ConsumerConfig
from prometheus_client import REGISTRY
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.calendar import TZ
from minhbach.infra.embedded import EmbeddedNats
from minhbach.observability.operations import (
    next_report_dues,
    refresh_consumer_lag,
    refresh_dead_letters,
    refresh_report_dues,
)
from minhbach.plan import load_plan
from minhbach.settings import Settings
from scoring.app import create_app
from scoring.db import messaging
from tests.support.servers import eventually, serving


def _sample(name: str, labels: dict[str, str]) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


async def test_http_requests_are_timed_by_route_template(settings: Settings) -> None:
    labels = {"service": "scoring", "method": "GET", "route": "/healthz", "status": "200"}
    before = _sample("minhbach_http_request_duration_seconds_count", labels) or 0.0
    async with serving(create_app(settings=settings)) as base, httpx.AsyncClient() as client:
        for _ in range(3):
            assert (await client.get(f"{base}/healthz")).status_code == 200
        missing = await client.get(f"{base}/no/such/{uuid.uuid4()}")
        metrics = (await client.get(f"{base}/metrics")).text
    assert missing.status_code == 404
    assert _sample("minhbach_http_request_duration_seconds_count", labels) == before + 3
    unmatched = {"service": "scoring", "method": "GET", "route": "unmatched", "status": "404"}
    assert (_sample("minhbach_http_request_duration_seconds_count", unmatched) or 0) >= 1
    assert 'route="/metrics"' not in metrics  # the scrape itself is not counted


async def test_consumer_lag_is_read_from_jetstream(nats_client: NatsClient) -> None:
    js = nats_client.jetstream()
    service = f"ops-{uuid.uuid4().hex[:8]}"
    subject = f"intake.ops.{service}"
    consumer = f"{service}--intake-ops"
    await js.add_consumer(
        "INTAKE", ConsumerConfig(durable_name=consumer, filter_subject=subject, ack_wait=30)
    )
    for n in range(4):
        await js.publish(subject, f"{n}".encode())
    await refresh_consumer_lag(js, service)
    labels = {"service": service, "consumer": consumer}
    assert _sample("minhbach_consumer_pending_messages", labels) == 4
    assert _sample("minhbach_consumer_ack_pending_messages", labels) == 0

    subscription = await js.pull_subscribe(subject, durable=consumer, stream="INTAKE")
    fetched = await subscription.fetch(1, timeout=30)
    assert len(fetched) == 1
    await refresh_consumer_lag(js, service)
    assert _sample("minhbach_consumer_pending_messages", labels) == 3
    assert _sample("minhbach_consumer_ack_pending_messages", labels) == 1

    await fetched[0].ack_sync()

    async def acknowledged() -> bool:
        await refresh_consumer_lag(js, service)
        return _sample("minhbach_consumer_ack_pending_messages", labels) == 0

    await eventually(acknowledged, timeout=15)


async def test_dead_letter_gauge_counts_what_awaits_an_operator(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    table = messaging.dead_letters
    labels = {"service": "scoring"}
    await refresh_dead_letters(sessions, messaging, "scoring")
    before = _sample("minhbach_dead_letters", labels) or 0.0
    async with sessions() as session, session.begin():
        ids = (
            (
                await session.execute(
                    insert(table)
                    .values(
                        [
                            {
                                "consumer": "ops-test",
                                "subject": "ops.test",
                                "payload": "{}",
                                "error": "boom",
                                "deliveries": 3,
                            }
                            for _ in range(2)
                        ]
                    )
                    .returning(table.c.id)
                )
            )
            .scalars()
            .all()
        )
    await refresh_dead_letters(sessions, messaging, "scoring")
    assert _sample("minhbach_dead_letters", labels) == before + 2

    async with sessions() as session, session.begin():
        await session.execute(
            update(table).where(table.c.id.in_(ids)).values(replayed_at=datetime.now(UTC))
        )
    await refresh_dead_letters(sessions, messaging, "scoring")
    assert _sample("minhbach_dead_letters", labels) == before


def test_next_report_dues_follow_the_plan_rules() -> None:
    plan = load_plan(Settings().plan_file)
    now = datetime(2024, 3, 20, 9, 0, tzinfo=TZ)
    dues = next_report_dues(plan, now)
    # "before the 2nd of the quarter's next month": on time through 1 April (a Monday).
    assert dues["lead-quarterly"] == datetime(2024, 4, 2, 0, 0, tzinfo=TZ)
    assert dues["focal-quarterly"] == datetime(2024, 4, 10, 0, 0, tzinfo=TZ)
    assert dues["lead-yearly"].date() >= date(2024, 12, 2)
    after_q4 = next_report_dues(plan, datetime(2024, 12, 20, tzinfo=TZ))
    # 1 January 2025 is New Year's Day: the last permitted day moves to Thursday 2 January.
    assert after_q4["lead-quarterly"] == datetime(2025, 1, 3, 0, 0, tzinfo=TZ)
    assert "lead-yearly" not in after_q4
    assert next_report_dues(plan, datetime(2025, 6, 1, tzinfo=TZ)) == {}


def test_report_due_gauge_counts_down_and_goes_when_the_year_is_over() -> None:
    plan = load_plan(Settings().plan_file)
    now = datetime(2024, 4, 1, 0, 0, tzinfo=TZ)
    refresh_report_dues(plan, now)
    assert _sample("minhbach_plan_seconds_until_report_due", {"rule": "lead-quarterly"}) == 86400
    refresh_report_dues(plan, datetime(2025, 6, 1, tzinfo=TZ))
    assert _sample("minhbach_plan_seconds_until_report_due", {"rule": "lead-quarterly"}) is None


async def test_dependency_gauges_follow_nats_going_away_and_back(
    settings: Settings, embedded_nats: EmbeddedNats | None
) -> None:
    def up(dependency: str) -> float | None:
        return _sample("minhbach_dependency_up", {"service": "scoring", "dependency": dependency})

    fast = settings.model_copy(update={"consumer_lag_poll_seconds": 0.1})
    async with serving(create_app(settings=fast)):
        await eventually(lambda: up("nats") == 1 and up("database") == 1, timeout=30)
        if embedded_nats is None:
            pytest.skip("NATS is external (MINHBACH_TEST_NATS_URL): not stopping it")
        embedded_nats.stop()
        try:
            await eventually(lambda: up("nats") == 0, timeout=30)
            assert up("database") == 1
        finally:
            embedded_nats.start()
        await eventually(lambda: up("nats") == 1, timeout=60)
