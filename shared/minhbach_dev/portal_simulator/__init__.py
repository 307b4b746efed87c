"""A simulator of district and commune portals for `make run` and the tests (never deployed).

It plays every portal of the plan on its own loopback port, in Vietnamese, where the plan says
each section is, with documents that appear over time, a section that goes missing, a slow and a
broken portal, and hostile endpoints under /hostile/ for the tests. portal-monitor is pointed at
it by configuration (`MINHBACH_PORTAL_ADDRESS_MAP`, set by `minhbach run`); it does not know.
"""

from __future__ import annotations

import asyncio

from minhbach.calendar import local_date
from minhbach.clock import clock_from_settings
from minhbach.observability.logging import configure_logging, get_logger
from minhbach.plan import load_plan
from minhbach.settings import Settings
from minhbach_dev.portal_simulator.portal import SimPortal
from minhbach_dev.portal_simulator.scenario import address_map, portals_from_plan
from minhbach_dev.portal_simulator.server import PortalSimulator

__all__ = [
    "PortalSimulator",
    "SimPortal",
    "address_map",
    "portals_from_plan",
    "serve_portal_simulator",
]

log = get_logger("minhbach.portal_simulator")


def serve_portal_simulator(settings: Settings) -> None:
    """Serve the plan's portals on 127.0.0.1 from `portal_simulator_base_port` on; blocks."""
    configure_logging("portal-simulator", settings.log_level, settings.log_json)
    asyncio.run(_serve(settings))


async def _serve(settings: Settings) -> None:
    plan = load_plan(settings.plan_file)
    clock = clock_from_settings(settings.clock_start, settings.clock_speed, settings.clock_anchor)
    today = local_date(clock.now())
    portals = portals_from_plan(
        plan,
        today,
        base_port=settings.portal_simulator_base_port,
        demo=True,
        appear_every_seconds=60.0,  # real seconds: a new district document every minute
    )
    simulator = await PortalSimulator(portals).start()
    mapping = address_map(plan, settings.portal_simulator_base_port)
    log.info("portal simulator serving", portals=len(portals), addresses=mapping)
    try:
        await asyncio.Event().wait()
    finally:
        await simulator.stop()
