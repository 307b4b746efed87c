"""`make run`: the whole system on one machine, with readable prefixed logs; Ctrl-C stops it."""

from __future__ import annotations

import importlib.util
import json
import signal
import time
from types import FrameType

from minhbach.devtools.stack import ProcessGroup, infrastructure, migrate_all, python_command
from minhbach.observability.logging import configure_logging, get_logger
from minhbach.services import SERVICES
from minhbach.settings import Settings

log = get_logger("minhbach.run")

# Local stand-ins for the outside world; started when their modules exist.
DEV_PROCESSES = {
    "smtp-sink": ("minhbach.devtools.smtp_sink", ["dev", "smtp-sink"]),
    "portals": ("minhbach.devtools.portal_simulator", ["dev", "portal-simulator"]),
}


def run_stack(settings: Settings) -> int:
    configure_logging("run", settings.log_level)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the stack as cleanly as Ctrl-C
    with infrastructure(settings) as infra:
        migrate_all(infra.database_url)
        log.info("migrated", database=infra.database_url, nats=infra.nats_url)
        group = ProcessGroup(
            env={**infra.env(), **_shared_clock_env(settings), **_portal_address_env(settings)}
        )
        try:
            for module, args in DEV_PROCESSES.values():
                if importlib.util.find_spec(module) is not None:
                    group.start(args[-1], python_command(*args))
            for spec in SERVICES:
                group.start(spec.name, python_command("serve", spec.name))
            _print_banner(settings)
            name, code = group.wait_any()
            log.error("process exited; stopping the stack", process=name, exit_code=code)
            return code or 1
        except KeyboardInterrupt:
            log.info("stopping")
            return 0
        finally:
            group.stop()


# The demo clock of `make run` (docs: README "Time in make run"): 30/09/2024 07:00 is one working
# day before the Q3 reports' last day (01/10); at 720x a working day passes in two minutes.
DEMO_CLOCK_START = "2024-09-30T07:00:00+07:00"
DEMO_CLOCK_SPEED = 720.0


def _shared_clock_env(settings: Settings) -> dict[str, str]:
    """All processes read one clock: same start, speed and wall-clock anchor."""
    anchor = {"MINHBACH_CLOCK_ANCHOR": str(settings.clock_anchor or time.time())}
    if settings.clock_start is None and settings.run_demo_clock:
        log.info("demo clock", start=DEMO_CLOCK_START, speed=DEMO_CLOCK_SPEED)
        return {
            "MINHBACH_CLOCK_START": DEMO_CLOCK_START,
            "MINHBACH_CLOCK_SPEED": str(DEMO_CLOCK_SPEED),
            **anchor,
        }
    if settings.clock_start is None:
        return {}
    return anchor


def _portal_address_env(settings: Settings) -> dict[str, str]:
    """Point portal-monitor at the portal simulator by configuration: each portal's origin in the
    plan maps to a simulator port (portal-monitor does not know it is a simulator). A map the
    operator configured is kept."""
    module = DEV_PROCESSES["portals"][0]
    if settings.portal_address_map or importlib.util.find_spec(module) is None:
        return {}
    from minhbach.devtools.portal_simulator import address_map
    from minhbach.plan import load_plan

    mapping = address_map(load_plan(settings.plan_file), settings.portal_simulator_base_port)
    return {"MINHBACH_PORTAL_ADDRESS_MAP": json.dumps(mapping)}


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _print_banner(settings: Settings) -> None:
    for spec in SERVICES:
        port = spec.port(settings)
        log.info(
            "service",
            name=spec.name,
            url=f"http://{settings.bind_host}:{port}",
            ready=f"http://{settings.bind_host}:{port}/readyz",
        )
