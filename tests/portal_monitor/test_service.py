"""The service end to end: scheduler, JetStream work queue, probes against the simulator, events
through the outbox to JetStream; documents found once each across a restart."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import nats.errors
from nats.aio.client import Client as NatsClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.clock import FixedClock
from minhbach.settings import Settings
from minhbach_dev.portal_simulator.content import SimItem
from portal_monitor import db
from portal_monitor.app import create_app
from tests.portal_monitor.helpers import T0, fast_settings, make_plan, simulated
from tests.support.servers import eventually, serving


async def _probes(sessions: async_sessionmaker[AsyncSession], units: list[str]) -> int:
    async with sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(db.probes).where(db.probes.c.unit_code.in_(units))
        )
    return int(count or 0)


async def _unpublished(sessions: async_sessionmaker[AsyncSession]) -> int:
    outbox = db.messaging.outbox
    async with sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        )
    return int(count or 0)


async def _found_on_jetstream(
    nats_client: NatsClient, units: set[str]
) -> list[tuple[str, str, str]]:
    js = nats_client.jetstream()
    sub = await js.subscribe("portal.document.found", ordered_consumer=True)
    keys = []
    try:
        while True:
            try:
                msg = await sub.next_msg(timeout=1.0)
            except nats.errors.TimeoutError:
                break
            document = json.loads(msg.data)["document"]
            if document["portal_unit_code"] in units:
                keys.append(
                    (document["document_id"], document["portal_unit_code"], document["section"])
                )
    finally:
        await sub.unsubscribe()
    return keys


async def test_documents_are_found_once_each_across_restarts(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], nats_client: NatsClient
) -> None:
    plan = make_plan(communes=1)
    units = [u.code for u in plan.portal_units()]
    clock = FixedClock(T0)
    async with simulated(plan) as world:
        config = fast_settings(settings, world)
        async with serving(create_app(settings=config, clock=clock, plan=plan)) as base:
            await eventually(lambda: _probes(sessions, units), timeout=60)
            await eventually(lambda: _probes_at_least(sessions, units, 2), timeout=60)
            async with httpx.AsyncClient() as client:
                listed = (await client.get(f"{base}/portals")).json()
                exposition = (await client.get(f"{base}/metrics")).text
            assert {p["unit_code"] for p in listed} >= set(units)
            probed = {p["unit_code"] for p in listed if p["last_outcome"] == "ok"} & set(units)
            assert probed
            for unit in probed:  # the per-portal gauge behind the MinhBachPortalUnreachable alert
                assert (
                    f'minhbach_portal_monitor_portal_reachable{{portal="{unit}"}} 1.0' in exposition
                )
        # Stopped. A document appears; the clock passes the probe interval; a new process starts.
        world.portal("huyen").section("planning").items.append(
            SimItem(
                66001,
                "Kế hoạch số 66/KH-UBND ngày 09/10/2024 về chuyển đổi số",
                "66/KH-UBND",
                T0.date() - timedelta(days=1),
                "Trích yếu",
                "UBND huyện Thử",
            )
        )
        world.simulator.changed()
        clock.advance(timedelta(minutes=61))
        async with serving(create_app(settings=config, clock=clock, plan=plan)):
            await eventually(lambda: _probes_at_least(sessions, units, 4), timeout=60)
            await eventually(lambda: _no_unpublished(sessions), timeout=30)
    found = await _found_on_jetstream(nats_client, set(units))
    assert len(found) == len(set(found)) == 2 * 21 + 1  # each document once per portal/section
    async with sessions() as session:
        not_modified = await session.scalar(
            select(func.sum(db.probes.c.pages_not_modified)).where(
                db.probes.c.unit_code.in_(units), db.probes.c.finished_at > T0
            )
        )
    assert not_modified == 2 * 7 - 1  # the second round: every page 304 but the changed one


async def _probes_at_least(
    sessions: async_sessionmaker[AsyncSession], units: list[str], count: int
) -> bool:
    return await _probes(sessions, units) >= count


async def _no_unpublished(sessions: async_sessionmaker[AsyncSession]) -> bool:
    return await _unpublished(sessions) == 0
