"""Fixtures of the scoring service tests: a fresh database per test, the service on a real HTTP
server, and a collector of what it publishes on JetStream."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js.api import DeliverPolicy
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from minhbach.clock import FixedClock
from minhbach.db.migrations import upgrade
from minhbach.db.session import async_url, make_engine, make_sessionmaker
from minhbach.events.base import Event
from minhbach.events.catalogue import IndicatorChanged, ObligationChanged, parse_event
from minhbach.plan import Plan
from minhbach.settings import Settings
from scoring.app import create_app
from scoring.scorer import Scorer
from tests.support.servers import serving


async def fresh_scoring_database(base_url: str) -> str:
    """A new, migrated database: scoring tests never see each other's ledger or figures."""
    name = f"scoring_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(async_url(base_url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    await asyncio.to_thread(upgrade, "scoring", "scoring", url)
    return url


@pytest.fixture
async def scoring_url(database_url: str) -> str:
    return await fresh_scoring_database(database_url)


@pytest.fixture
async def scoring_sessions(scoring_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(scoring_url, pool_size=2)
    yield make_sessionmaker(engine)
    await engine.dispose()


@dataclass
class Published:
    """What scoring published on JetStream since the collector started."""

    events: list[Event] = field(default_factory=list)

    def obligations(self, unit_suffix: str) -> list[ObligationChanged]:
        return [
            e
            for e in self.events
            if isinstance(e, ObligationChanged) and e.unit_code.endswith(unit_suffix)
        ]

    def about(self, obligation_id: str) -> list[ObligationChanged]:
        return [
            e
            for e in self.events
            if isinstance(e, ObligationChanged) and e.obligation_id == obligation_id
        ]

    def caused_by(self, event_id: uuid.UUID) -> list[Event]:
        return [
            e
            for e in self.events
            if getattr(e, "caused_by", None) == event_id
            or event_id in getattr(e, "caused_by_events", ())
        ]

    def indicators(self, caused_by: uuid.UUID) -> list[IndicatorChanged]:
        return [e for e in self.caused_by(caused_by) if isinstance(e, IndicatorChanged)]


@pytest.fixture
async def published(nats_client: NatsClient) -> AsyncIterator[Published]:
    found = Published()

    async def keep(msg: Msg) -> None:
        found.events.append(parse_event(msg.subject, msg.data))

    sub = await nats_client.jetstream().subscribe(
        "scoring.>", cb=keep, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
    )
    yield found
    await sub.unsubscribe()


async def publish(nats_client: NatsClient, event: Event, msg_id: str | None = None) -> None:
    """Publish as a producer's relay does (Nats-Msg-Id = event id unless told otherwise)."""
    await nats_client.jetstream().publish(
        event.subject, event.to_json(), headers={"Nats-Msg-Id": msg_id or str(event.event_id)}
    )


@dataclass
class RunningScoring:
    base_url: str
    app: FastAPI
    clock: FixedClock
    http: httpx.AsyncClient

    @property
    def scorer(self) -> Scorer:
        scorer: Scorer = self.app.state.scorer
        return scorer

    async def get(self, path: str, **params: Any) -> Any:
        response = await self.http.get(path, params=params)
        response.raise_for_status()
        return response.json()


@contextlib.asynccontextmanager
async def running_scoring(
    settings: Settings, database_url: str, plan: Plan, clock: FixedClock, tick: float = 0.2
) -> AsyncIterator[RunningScoring]:
    app = create_app(
        settings=settings.model_copy(
            update={"database_url": database_url, "scoring_tick_seconds": tick}
        ),
        clock=clock,
        plan=plan,
    )
    async with serving(app) as base, httpx.AsyncClient(base_url=base, timeout=30) as http:
        yield RunningScoring(base, app, clock, http)


Factory = Callable[..., contextlib.AbstractAsyncContextManager[RunningScoring]]
