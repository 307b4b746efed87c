"""`make run`: the whole system on one machine, with readable prefixed logs; Ctrl-C stops it.

Ctrl-C, SIGTERM and SIGHUP stop the services, then the embedded servers; a second signal while
stopping is ignored, so the stop is never cut short. If the runner is killed outright, its
children end by themselves (`minhbach.infra.lifeline`).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import secrets
import signal
import time
from datetime import datetime
from types import FrameType

from minhbach.clock import ScaledClock
from minhbach.db.migrations import migrate_all
from minhbach.infra.run_state import published_run_state
from minhbach.observability.logging import configure_logging, get_logger
from minhbach.services import SERVICES
from minhbach.settings import Settings
from minhbach_dev import demo_clock
from minhbach_dev.stack import ProcessGroup, infrastructure, python_command

log = get_logger("minhbach.run")

# Local stand-ins for the outside world; started when their modules exist.
DEV_PROCESSES = {
    "smtp-sink": ("minhbach_dev.smtp_sink", ["dev", "smtp-sink"]),
    "portals": ("minhbach_dev.portal_simulator", ["dev", "portal-simulator"]),
    "demo-filer": ("minhbach_dev.demo_filer", ["dev", "demo-filer"]),
}


def run_stack(settings: Settings) -> int:
    configure_logging("run", settings.log_level)
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, _interrupt)  # `kill` stops the stack as cleanly as Ctrl-C
    try:
        return _run(settings)
    except KeyboardInterrupt:
        log.info("stopped")
        return 0


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _run(settings: Settings) -> int:
    clock = _demo_clock(settings)
    with (
        infrastructure(settings) as infra,
        published_run_state(settings, infra.database_url, infra.nats_url),
        demo_clock.kept(clock, settings.var_dir) if clock else contextlib.nullcontext(),
    ):
        migrate_all(infra.database_url)
        log.info("migrated", database=infra.database_url, nats=infra.nats_url)
        group = ProcessGroup(
            env={
                **infra.env(),
                **_shared_clock_env(settings, clock),
                **_portal_address_env(settings),
                **_service_token_env(settings),
            }
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
        finally:
            log.info("stopping")
            group.stop()


# The demo clock of `make run` (docs: README "What make run shows"): 30/09/2024 07:00 is one
# working day before the Q3 reports' last day (01/10); at 720x a working day passes in two
# minutes. A later run on the same data resumes where the last one stopped (demo_clock).
DEMO_CLOCK_START = datetime.fromisoformat("2024-09-30T07:00:00+07:00")
DEMO_CLOCK_SPEED = 720.0


def demo_clock_start(settings: Settings) -> datetime:
    """The demo's first instant in the plan's own year (30/09 07:00: the seed's 2024 start)."""
    from minhbach.plan import load_plan

    return DEMO_CLOCK_START.replace(year=load_plan(settings.plan_file).year)


def _demo_clock(settings: Settings) -> ScaledClock | None:
    """The demo clock, when no clock is configured: from the last run's reading, if any."""
    if settings.clock_start is not None or not settings.run_demo_clock:
        return None
    resumed = demo_clock.resume_point(settings.var_dir)
    fresh = demo_clock_start(settings)
    # A reading before the plan's own start is another plan's (an older year): start afresh.
    start = resumed if resumed is not None and resumed > fresh else fresh
    log.info(
        "demo clock",
        start=start.isoformat(),
        speed=DEMO_CLOCK_SPEED,
        resumed=start is resumed,
    )
    anchor = settings.clock_anchor or time.time()
    return ScaledClock(start=start, speed=DEMO_CLOCK_SPEED, anchor=anchor)


def _service_token_env(settings: Settings) -> dict[str, str]:
    """The notifier fetches drafts from reporting with a token both know: one per run."""
    if settings.reporting_service_token:
        return {}
    return {"MINHBACH_REPORTING_SERVICE_TOKEN": secrets.token_urlsafe(32)}


def _shared_clock_env(settings: Settings, demo: ScaledClock | None) -> dict[str, str]:
    """All processes read one clock: same start, speed and wall-clock anchor."""
    if demo is not None:
        return {
            "MINHBACH_CLOCK_START": demo.start.isoformat(),
            "MINHBACH_CLOCK_SPEED": str(demo.speed),
            "MINHBACH_CLOCK_ANCHOR": str(demo.anchor),
        }
    if settings.clock_start is None:
        return {}
    return {"MINHBACH_CLOCK_ANCHOR": str(settings.clock_anchor or time.time())}


def _portal_address_env(settings: Settings) -> dict[str, str]:
    """Point portal-monitor at the portal simulator by configuration: each portal's origin in the
    plan maps to a simulator port (portal-monitor does not know it is a simulator). A map the
    operator configured is kept."""
    module = DEV_PROCESSES["portals"][0]
    if settings.portal_address_map or importlib.util.find_spec(module) is None:
        return {}
    from minhbach.plan import load_plan
    from minhbach_dev.portal_simulator import address_map

    mapping = address_map(load_plan(settings.plan_file), settings.portal_simulator_base_port)
    return {"MINHBACH_PORTAL_ADDRESS_MAP": json.dumps(mapping)}


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """The first stop signal interrupts; later ones are ignored until everything has stopped."""
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, signal.SIG_IGN)
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
    print(first_steps(settings), flush=True)


def first_steps(settings: Settings) -> str:
    """What a newcomer does next, as commands to paste in another terminal of this folder."""
    from minhbach.plan import load_plan

    plan = load_plan(settings.plan_file)
    unit = next((u.code for u in plan.units if plan.tasks_led_by(u.code)), plan.units[0].code)
    intake = f"http://{settings.bind_host}:{settings.intake_port}"
    return (
        "\nMinh Bạch is up. In another terminal, in this folder:\n"
        f"  .venv/bin/minhbach units issue-token {unit}    # a unit's token (shown once)\n"
        f"  then open {intake}/ and paste it to file {unit}'s report\n"
        "  .venv/bin/minhbach units list                  # every unit code\n"
        "  .venv/bin/minhbach notifier notices            # e-mails sent (files in var/mail/)\n"
        "Ctrl-C stops everything.\n"
    )
