"""Schemathesis against every service's HTTP API but intake's (tests/intake fuzzes that one,
authenticated): valid and broken requests alike, never a 5xx.

Each service runs on its own NATS and database, so its durable consumers never take messages
meant for other tests.
"""

from __future__ import annotations

import asyncio
import importlib
import shutil
import uuid
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from minhbach.calendar import TZ
from minhbach.clock import FixedClock
from minhbach.db.migrations import migrate_all
from minhbach.db.session import async_url
from minhbach.infra.embedded import EmbeddedNats, free_port
from minhbach.services import SERVICES
from minhbach.settings import REPO_ROOT, Settings
from tests.support.fuzzing import fuzz
from tests.support.servers import eventually, serving

EXAMPLES_PER_MODE = 15

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
async def isolated(database_url: str, settings: Settings) -> AsyncIterator[Settings]:
    name = f"fuzz_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(async_url(database_url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    await asyncio.to_thread(migrate_all, url)
    data = REPO_ROOT / "var" / "test" / f"fuzz-nats-{uuid.uuid4().hex[:8]}"
    nats = EmbeddedNats(data, free_port()).start()
    try:
        yield settings.model_copy(
            update={
                "database_url": url,
                "nats_url": nats.url,
                "portal_schedule_tick_seconds": 3600.0,  # no probing: only the API is under test
            }
        )
    finally:
        nats.stop()
        shutil.rmtree(data, ignore_errors=True)


async def _ready(client: httpx.AsyncClient) -> bool:
    return (await client.get("/readyz")).status_code == 200


@pytest.mark.parametrize("name", [s.name for s in SERVICES if s.name != "intake"])
async def test_fuzzing_a_services_api_never_yields_a_server_error(
    isolated: Settings, name: str
) -> None:
    spec = next(s for s in SERVICES if s.name == name)
    module, factory = spec.app_factory.split(":")
    create_app = getattr(importlib.import_module(module), factory)
    app = create_app(settings=isolated, clock=FixedClock(datetime(2024, 10, 1, 9, tzinfo=TZ)))
    async with serving(app) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            await eventually(lambda: _ready(client), timeout=60)  # /readyz: 503 until then
            openapi = (await client.get("/openapi.json")).json()
        run = await asyncio.to_thread(fuzz, openapi, url, EXAMPLES_PER_MODE)
    assert run.sent >= len(openapi["paths"])  # a route without parameters is one case
