"""Test plans with unique unit codes (tests share one database and one JetStream), the simulator
serving them, and probe dependencies wired to the real database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.calendar import local_date
from minhbach.clock import FixedClock
from minhbach.messaging.outbox import Outbox
from minhbach.plan import Plan, default_plan_path, load_plan
from minhbach.settings import Settings
from minhbach_dev.portal_simulator import PortalSimulator, portals_from_plan
from minhbach_dev.portal_simulator.scenario import portal_origin
from portal_monitor import db
from portal_monitor.addresses import AddressPolicy
from portal_monitor.deps import ProbeDeps
from portal_monitor.fetcher import Fetcher, FetchLimits, make_client
from portal_monitor.robots_cache import RobotsCache
from portal_monitor.service import register_portals

T0 = datetime(2024, 10, 10, 2, 0, tzinfo=UTC)  # Thursday 10/10/2024, 09:00 in Vietnam
SEED = load_plan(default_plan_path())


def make_plan(
    communes: int = 2, portal_sections: dict[str, list[dict[str, Any]]] | None = None
) -> Plan:
    """The seed plan with its portals replaced by a district and `communes` communes with fresh
    codes; `portal_sections` adds per-portal section overrides (by unit suffix: huyen, xa-1 ...)."""
    prefix = "t" + uuid.uuid4().hex[:8]
    data = SEED.model_dump(mode="json")
    kept = [u for u in data["units"] if u["portal"] is None]
    suffixes = ["huyen", *(f"xa-{n}" for n in range(1, communes + 1))]
    portals = [
        {
            "code": f"{prefix}-{s}",
            "name": "UBND huyện Thử" if s == "huyen" else f"UBND xã Thử {s}",
            "kind": "district" if s == "huyen" else "commune",
            "email": f"{s}@example.invalid",
            "portal": f"https://{prefix}-{s}.test.invalid",
        }
        for s in suffixes
    ]
    data["units"] = [portals[0], *kept, *portals[1:]]
    overrides = portal_sections or {}
    data["portal_monitoring"]["portals"] = [
        {
            "unit": f"{prefix}-{s}",
            "platform": "egov-huyen" if s == "huyen" else "egov-xa",
            "sections": overrides.get(s, []),
        }
        for s in suffixes
    ]
    for duty in data["portal_monitoring"]["copy_duties"]:  # the seed's: the district's portal
        duty["documents_of"] = [f"{prefix}-huyen"]
    return Plan.model_validate(data)


def unit_code(plan: Plan, suffix: str) -> str:
    return next(u.code for u in plan.portal_units() if u.code.endswith("-" + suffix))


@dataclass
class World:
    plan: Plan
    simulator: PortalSimulator
    address_map: dict[str, str]

    def portal(self, suffix: str) -> Any:
        return self.simulator.portal(unit_code(self.plan, suffix))


@asynccontextmanager
async def simulated(plan: Plan, today: date | None = None, items: int = 3) -> AsyncIterator[World]:
    portals = portals_from_plan(plan, today or local_date(T0), items_per_section=items)
    simulator = await PortalSimulator(portals, elapsed=lambda: 0.0).start()
    mapping = {
        portal_origin(u.portal): simulator.origin(u.code)
        for u in plan.portal_units()
        if u.portal is not None
    }
    try:
        yield World(plan, simulator, mapping)
    finally:
        await simulator.stop()


def fast_settings(settings: Settings, world: World, **extra: Any) -> Settings:
    return settings.model_copy(
        update={
            "portal_address_map": world.address_map,
            "portal_min_delay_seconds": 0.0,
            "portal_schedule_tick_seconds": 0.2,
            "portal_fetch_retry_seconds": 0.05,
            "portal_request_timeout_seconds": 3.0,
            "portal_max_response_bytes": 512 * 1024,
            "portal_max_decoded_bytes": 2 * 1024 * 1024,
            **extra,
        }
    )


@asynccontextmanager
async def probe_deps(
    world: World,
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    attempts: int = 3,
    robots_ttl: float = 0.01,
    attachment_checks: int = 100,
) -> AsyncIterator[ProbeDeps]:
    limits = FetchLimits(
        timeout_seconds=3.0,
        max_bytes=512 * 1024,
        max_decoded_bytes=2 * 1024 * 1024,
        min_delay_seconds=0.0,
        user_agent="MinhBach-PortalMonitor/test (+mailto:t@example.invalid)",
    )
    async with make_client(limits) as client:
        fetcher = Fetcher(client, limits, AddressPolicy(world.address_map))
        await register_portals(sessions, world.plan, clock.now())
        yield ProbeDeps.build(
            world.plan,
            fetcher=fetcher,
            robots=RobotsCache(fetcher, robots_ttl, robots_ttl),
            sessions=sessions,
            emit=Outbox(db.messaging).emit,
            clock=clock,
            fetch_retry_seconds=0.05,
            probe_attempts=attempts,
            probe_retry_seconds=60.0,
            attachment_checks_per_probe=attachment_checks,
        )
