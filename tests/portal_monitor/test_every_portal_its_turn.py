"""Every portal gets its turn (issue 16): after a restart, after a replica died holding requests,
and with two replicas of which one is killed mid-round, each portal is probed within one probe
interval plus `ALLOWANCE` of the start, and none waits while others are probed again.

The clock runs `SPEED` times faster than real time, as in `make run`, so that the plan's 60-minute
interval passes in a few real seconds; every bound below is in real seconds.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from nats.aio.client import Client as NatsClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.clock import ScaledClock
from minhbach.infra.embedded import free_port
from minhbach.settings import Settings
from portal_monitor import db, metrics
from portal_monitor.app import create_app
from portal_monitor.service import claim_due, register_portals
from portal_monitor.workqueue import (
    DURABLE,
    STREAM,
    declare_probe_consumer,
    declare_work_stream,
    publish_requests,
    request_subject,
)
from tests.portal_monitor.helpers import T0, fast_settings, make_plan, simulated
from tests.support.servers import serving

SPEED = 720.0  # the demo clock's speed: the 60-minute interval passes in 5 s
INTERVAL = 3600 / SPEED
# Beyond one interval: the time a round takes on a slow machine, plus the ack wait of a request a
# dead replica held (ACK_WAIT below).
ACK_WAIT = 5.0
ALLOWANCE = 25.0 + ACK_WAIT


def _settings(settings: Settings, world: object) -> Settings:
    return fast_settings(
        settings,
        world,  # type: ignore[arg-type]
        clock_speed=SPEED,
        portal_concurrency=3,
        portal_min_delay_seconds=0.1,  # a probe takes a second or so: a round is never instant
        portal_ack_wait_seconds=ACK_WAIT,
    )


async def _probed_since(
    sessions: async_sessionmaker[AsyncSession], units: Sequence[str], since: datetime
) -> dict[str, int]:
    probes = db.probes.c
    async with sessions() as session:
        rows = await session.execute(
            select(probes.unit_code, func.count())
            .where(probes.unit_code.in_(units), probes.started_at >= since)
            .group_by(probes.unit_code)
        )
    return {unit: int(count) for unit, count in rows}


async def _every_portal_probed(
    sessions: async_sessionmaker[AsyncSession],
    units: Sequence[str],
    since: datetime,
    within: float,
) -> dict[str, int]:
    """Wait until each unit has a probe started at `since` or later; fail naming the starved."""
    deadline = time.monotonic() + within
    counts: dict[str, int] = {}
    while time.monotonic() < deadline:
        counts = await _probed_since(sessions, units, since)
        if len(counts) == len(units):
            return counts
        await asyncio.sleep(0.2)
    starved = sorted(set(units) - set(counts))
    raise AssertionError(
        f"{len(starved)} of {len(units)} portals not probed within {within:.0f} s: {starved}; "
        f"probes of the others meanwhile: {sorted(counts.values())}"
    )


async def _ack_pending(nats_client: NatsClient) -> int:
    info = await nats_client.jetstream().consumer_info(STREAM, DURABLE)
    return int(info.num_ack_pending)


def _handed_back(reason: str) -> int:
    return int(metrics.REQUESTS_HANDED_BACK.labels(reason)._value.get())


async def _handed_back_at_once(nats_client: NatsClient, handed_back: int) -> None:
    """What a stopped replica held is fetchable at once, well inside the ack wait: it was
    handed back (nak), not left to time out. Put back afterwards for the next replica."""
    assert handed_back >= 1, "the replica stopped with probes in flight yet handed none back"
    sub = await nats_client.jetstream().pull_subscribe_bind(DURABLE, STREAM)
    taken = await sub.fetch(handed_back + 12, timeout=ACK_WAIT / 2)
    for message in taken:
        await message.nak()
    await sub.unsubscribe()
    assert len(taken) >= handed_back


async def test_a_restart_mid_round_leaves_no_portal_behind(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], nats_client: NatsClient
) -> None:
    plan = make_plan(communes=11)
    units = [u.code for u in plan.portal_units()]
    clock = ScaledClock(start=T0, speed=SPEED)
    async with simulated(plan) as world:
        config = _settings(settings, world)
        for _ in range(3):  # start, stop mid-round, start again: every portal each time
            started = clock.now()
            handed_back_before = _handed_back("stopping")
            async with serving(create_app(settings=config, clock=clock, plan=plan)):
                await _every_portal_probed(sessions, units, started, INTERVAL + ALLOWANCE)
                deadline = time.monotonic() + 30
                while await _ack_pending(nats_client) == 0:  # stop with probes in flight
                    assert time.monotonic() < deadline, "no probe ever in flight"
                    await asyncio.sleep(0.05)
            await _handed_back_at_once(nats_client, _handed_back("stopping") - handed_back_before)


async def test_requests_held_by_a_dead_replica_come_back(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], nats_client: NatsClient
) -> None:
    plan = make_plan(communes=11)
    units = [u.code for u in plan.portal_units()]
    clock = ScaledClock(start=T0, speed=SPEED)
    async with simulated(plan) as world:
        config = _settings(settings, world)
        js = nats_client.jetstream()
        # An earlier run with other settings left the consumer holding requests for 15 minutes;
        # this run's ack wait must be the one in force.
        await declare_work_stream(js)
        await declare_probe_consumer(js, ack_wait_seconds=900)
        # A replica claimed every portal, took the requests, and died before probing any.
        await register_portals(sessions, plan, clock.now())
        claimed = await claim_due(sessions, units, clock.now(), timedelta(hours=1))
        await publish_requests(js, claimed)
        async with serving(create_app(settings=config, clock=clock, plan=plan)):
            pass  # declares the stream and the durable consumer as a replica does
        consumer = await js.consumer_info(STREAM, DURABLE)
        assert consumer.config.ack_wait == ACK_WAIT
        dead = await js.pull_subscribe(request_subject("*"), durable=DURABLE, stream=STREAM)
        taken = await dead.fetch(len(units), timeout=5)
        assert len(taken) >= 1
        started = clock.now()
        async with serving(create_app(settings=config, clock=clock, plan=plan)):
            counts = await _every_portal_probed(sessions, units, started, INTERVAL + ALLOWANCE)
        assert min(counts.values()) >= 1


async def test_two_replicas_one_killed_mid_round(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
    tmp_path: Path,
) -> None:
    """Two portal-monitor processes share the queue; one dies by SIGKILL with probes in flight.
    The survivor probes every portal within an interval plus the allowance, the dead one's
    requests included."""
    plan = make_plan(communes=11)
    units = [u.code for u in plan.portal_units()]
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(yaml.safe_dump(plan.model_dump(mode="json"), allow_unicode=True))
    anchor = time.time()
    clock = ScaledClock(start=T0, speed=SPEED, anchor=anchor)
    async with simulated(plan) as world:
        env = {
            **os.environ,
            "MINHBACH_DATABASE_URL": settings.database_url,
            "MINHBACH_NATS_URL": settings.nats_url,
            "MINHBACH_PLAN_FILE": str(plan_file),
            "MINHBACH_PORTAL_ADDRESS_MAP": json.dumps(world.address_map),
            "MINHBACH_CLOCK_START": T0.isoformat(),
            "MINHBACH_CLOCK_SPEED": str(SPEED),
            "MINHBACH_CLOCK_ANCHOR": str(anchor),
            "MINHBACH_PORTAL_CONCURRENCY": "3",
            "MINHBACH_PORTAL_MIN_DELAY_SECONDS": "0.1",
            "MINHBACH_PORTAL_ACK_WAIT_SECONDS": str(ACK_WAIT),
            # The kill may land between a replica's claim and its publishing (the window grows
            # with the load): those portals are offered again when the claim's lease runs out,
            # so the lease, like the ack wait, must fit in the allowance (default 60 s does not).
            "MINHBACH_PORTAL_LEASE_SECONDS": str(ACK_WAIT),
            "MINHBACH_PORTAL_SCHEDULE_TICK_SECONDS": "0.2",
            "MINHBACH_LOG_LEVEL": "WARNING",
        }
        replicas = [_replica(env, tmp_path / f"replica-{n}.log") for n in range(2)]
        try:
            await _every_portal_probed(sessions, units, clock.now(), INTERVAL + 60)
            deadline = time.monotonic() + 30
            while await _ack_pending(nats_client) < 2:  # both replicas busy, probably
                assert time.monotonic() < deadline, "the replicas never had probes in flight"
                await asyncio.sleep(0.05)
            replicas[0].send_signal(signal.SIGKILL)
            replicas[0].wait()
            killed_at = clock.now()
            counts = await _every_portal_probed(sessions, units, killed_at, INTERVAL + ALLOWANCE)
            assert replicas[1].poll() is None, (tmp_path / "replica-1.log").read_text()
            assert min(counts.values()) >= 1
        finally:
            for replica in replicas:
                if replica.poll() is None:
                    replica.terminate()
                    replica.wait(timeout=30)


def _replica(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "minhbach", "serve", "portal-monitor"],
            env={**env, "MINHBACH_PORTAL_MONITOR_PORT": str(free_port())},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
