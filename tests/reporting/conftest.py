"""Fixtures of the reporting tests: a NATS of their own (the shared one carries every other
test's indicator figures), fresh databases, scoring, reporting and the notifier on real HTTP
servers, and a real SMTP server.

The two services get their own clocks: scoring reads the instant a draft is made from the start,
reporting is moved there once it has taken in scoring's figures, so the draft and scoring's API
describe the same instant."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import nats
import pytest
from nats.aio.client import Client as NatsClient
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from minhbach import tokens
from minhbach.calendar import TZ
from minhbach.clock import FixedClock
from minhbach.db.migrations import upgrade
from minhbach.db.session import async_url, make_engine, make_sessionmaker
from minhbach.events.base import Event
from minhbach.infra.embedded import EmbeddedNats, free_port
from minhbach.messaging.streams import declare_streams
from minhbach.plan import Plan, default_plan_path, load_plan
from minhbach.settings import Settings
from notifier.app import create_app as create_notifier
from reporting.app import create_app as create_reporting
from reporting.db import reader_tokens
from scoring.app import create_app as create_scoring
from tests.notifier.helpers import SmtpServer
from tests.support.servers import serving

SERVICE_TOKEN = "service-token-for-the-notifier-" + uuid.uuid4().hex


def vn(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture(scope="module")
def private_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = EmbeddedNats(Path(tmp_path_factory.mktemp("nats")), free_port()).start()
    yield server.url
    server.stop()


async def fresh_database(base_url: str, package: str) -> str:
    name = f"{package}_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(async_url(base_url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    await asyncio.to_thread(upgrade, package, package, url)
    return url


@pytest.fixture(scope="module")
def seed() -> Plan:
    return load_plan(default_plan_path())


@dataclass
class Stack:
    plan: Plan
    scoring_url: str
    reporting_url: str
    scoring_clock: FixedClock
    reporting_clock: FixedClock
    reporting_sessions: async_sessionmaker[AsyncSession]
    nats: NatsClient
    smtp: SmtpServer

    async def publish(self, *events: Event) -> None:
        js = self.nats.jetstream()
        for event in events:
            await js.publish(
                event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.event_id)}
            )

    async def token(self, unit: str) -> str:
        return await tokens.issue_token(self.reporting_sessions, reader_tokens, unit)


@contextlib.asynccontextmanager
async def running_stack(
    settings: Settings, database_url: str, nats_url: str, plan: Plan, now: datetime
) -> AsyncIterator[Stack]:
    scoring_db = await fresh_database(database_url, "scoring")
    reporting_db = await fresh_database(database_url, "reporting")
    notifier_db = await fresh_database(database_url, "notifier")
    reporting_port, smtp = free_port(), SmtpServer(free_port()).start()
    base = settings.model_copy(
        update={
            "nats_url": nats_url,
            "scoring_tick_seconds": 0.3,
            "reporting_tick_seconds": 0.3,
            "reporting_service_token": SERVICE_TOKEN,
            "reporting_url": f"http://127.0.0.1:{reporting_port}",
            "smtp_port": smtp.port,
            "notifier_round_seconds": 0.3,
        }
    )
    scoring_clock, reporting_clock = FixedClock(now), FixedClock(vn(2024, 7, 1, 8))
    scoring = create_scoring(
        settings=base.model_copy(update={"database_url": scoring_db}),
        clock=scoring_clock,
        plan=plan,
    )
    reporting = create_reporting(
        settings=base.model_copy(update={"database_url": reporting_db}),
        clock=reporting_clock,
        plan=plan,
    )
    notifier = create_notifier(
        settings=base.model_copy(update={"database_url": notifier_db}),
        clock=scoring_clock,
        plan=plan,
    )
    engine = make_engine(reporting_db, pool_size=2)
    client = await nats.connect(nats_url)
    await declare_streams(client.jetstream(), 60, 1)
    try:
        async with (
            serving(scoring) as scoring_url,
            serving(reporting, reporting_port) as reporting_url,
            serving(notifier),
        ):
            yield Stack(
                plan,
                scoring_url,
                reporting_url,
                scoring_clock,
                reporting_clock,
                make_sessionmaker(engine),
                client,
                smtp,
            )
    finally:
        smtp.stop()
        await client.close()
        await engine.dispose()


async def get_json(url: str, path: str, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        return await http.get(path, headers=headers)


@dataclass
class RunningReporting:
    url: str
    clock: FixedClock
    sessions: async_sessionmaker[AsyncSession]
    nats: NatsClient

    async def publish(self, *events: Event) -> None:
        js = self.nats.jetstream()
        for event in events:
            await js.publish(
                event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.event_id)}
            )

    async def token(self, unit: str) -> str:
        return await tokens.issue_token(self.sessions, reader_tokens, unit)


@contextlib.asynccontextmanager
async def running_reporting(
    settings: Settings, database_url: str, nats_url: str, plan: Plan, now: datetime
) -> AsyncIterator[RunningReporting]:
    """Reporting alone (no PDF: the page's tests do not need LibreOffice's seconds)."""
    db = await fresh_database(database_url, "reporting")
    clock = FixedClock(now)
    app = create_reporting(
        settings=settings.model_copy(
            update={
                "database_url": db,
                "nats_url": nats_url,
                "reporting_tick_seconds": 0.3,
                "reporting_soffice": "/nonexistent/soffice",
            }
        ),
        clock=clock,
        plan=plan,
    )
    engine = make_engine(db, pool_size=2)
    client = await nats.connect(nats_url)
    await declare_streams(client.jetstream(), 60, 1)
    try:
        async with serving(app) as url:
            yield RunningReporting(url, clock, make_sessionmaker(engine), client)
    finally:
        await client.close()
        await engine.dispose()
