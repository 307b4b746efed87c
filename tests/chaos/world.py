"""One run of the system for the chaos test: its own PostgreSQL, NATS, five service processes,
portal simulator and mailbox, on free loopback ports under its own folder; and the faults the
driver can cause in it (each a kill -9 or a misbehaving server, then the recovery)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

import httpx

from minhbach.clock import ScaledClock
from minhbach.db.migrations import migrate_all
from minhbach.infra.embedded import EmbeddedNats, EmbeddedPostgres, free_port
from minhbach.plan import Plan
from minhbach.services import SERVICES
from minhbach_dev.portal_simulator import PortalSimulator, SimPortal, portals_from_plan
from minhbach_dev.portal_simulator.portal import Mode
from minhbach_dev.portal_simulator.scenario import portal_origin
from minhbach_dev.stack import ProcessGroup, python_command
from tests.chaos.mailbox import Mailbox, MailFault, start_mailbox
from tests.chaos.scenario import Fault, PortalBadDay, Span

# Real seconds for the services of both runs to answer ready: ten import-heavy Python processes
# (3.5-4.5 s of CPU each to import) are ready in about 8 s on an idle 2-core machine and took
# 40-52 s at load average 12-17, and were still not all answering /readyz 120 s after launch
# at load average 19-25 (imports took 64 s). The clock stands at the span's start until then.
READY_WITHIN = 240.0
# The span starts this long after the last service answered ready.
ANCHOR_DELAY = 0.5
SIM_TICK = 0.1

# Fast-clock settings for every service, in real seconds: ticks well under a clock day at the
# fastest span, and leases and back-offs short enough that work a fault held back returns
# within a clock day or two (the defaults, right for a real clock, would be weeks at x60,000).
FAST_SERVICE_ENV = {
    "MINHBACH_NOTIFIER_ROUND_SECONDS": "0.25",
    "MINHBACH_SCORING_TICK_SECONDS": "0.25",
    "MINHBACH_REPORTING_TICK_SECONDS": "0.25",
    "MINHBACH_PORTAL_SCHEDULE_TICK_SECONDS": "0.25",
    "MINHBACH_PORTAL_ACK_WAIT_SECONDS": "4",
    "MINHBACH_PORTAL_LEASE_SECONDS": "2",
    "MINHBACH_PORTAL_PROBE_BUDGET_SECONDS": "30",
    "MINHBACH_PORTAL_FAILED_RETRY_SECONDS": "1",
    "MINHBACH_PORTAL_MIN_DELAY_SECONDS": "0.02",
    "MINHBACH_PORTAL_REQUEST_TIMEOUT_SECONDS": "2",
    "MINHBACH_PORTAL_FETCH_RETRY_SECONDS": "0.1",
    "MINHBACH_SMTP_TIMEOUT_SECONDS": "2",
    "MINHBACH_NOTIFIER_RETRY_BACKOFF_SECONDS": "[0.2, 0.5, 1, 2, 3]",
    "MINHBACH_REDELIVERY_BACKOFF_SECONDS": "[0.2, 0.5, 1, 2]",
    "MINHBACH_NOTIFIER_SENDING_LEASE_SECONDS": "5",
    # Overdue notices repeat every six weeks, not every two working days. Every unit has
    # obligations overdue from before the span, so each repeat is ~40 notices: at x97,200 a
    # repeat every two weeks asked for 6 notices a second, and a notifier at load average 13-19
    # sent 1-1.5 a second (decision 0019). The mechanism is the same and still exercised.
    "MINHBACH_NOTIFIER_REPEAT_OVERDUE_WORKING_DAYS": "30",
    # No PDF of drafts: LibreOffice took 20 s a draft at load average 13-19, and reporting,
    # drafting one document after another, was weeks of the clock behind (the .docx, what is
    # e-mailed and judged, is unchanged; the PDF has its own tests).
    "MINHBACH_REPORTING_SOFFICE": "no-soffice-in-the-chaos-run",
    "MINHBACH_LOG_LEVEL": "INFO",
}


@dataclass
class World:
    name: str
    root: Path
    plan: Plan
    plan_file: Path
    span: Span
    bad_days: list[PortalBadDay]
    clock: ScaledClock = field(init=False)
    pg: EmbeddedPostgres = field(init=False)
    nats: EmbeddedNats = field(init=False)
    processes: ProcessGroup = field(init=False)
    mailbox: Mailbox = field(init=False)
    ports: dict[str, int] = field(default_factory=dict)
    outages: list[tuple[str, float, float]] = field(default_factory=list)  # what, from, to
    ready_wall: float = 0.0  # Unix time at which every service answered ready
    ready_at: float = 0.0  # real seconds after the span's start when every service was ready
    settled_in: float = 0.0  # real seconds after the span's end until the run had drained
    owed: dict[str, int] = field(default_factory=dict)  # what was left when settling gave up
    _stoppers: list[Callable[[], None]] = field(default_factory=list)
    # Servers are started from one long-lived thread: PR_SET_PDEATHSIG ties them to it.
    _servers_thread: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1)
    )

    # --- start and stop ----------------------------------------------------------------------

    async def start_servers(self) -> None:
        """PostgreSQL (migrated) and NATS: the slow part of a start on a loaded machine (initdb
        and five services' migrations), done before the clock is set."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.pg = EmbeddedPostgres(self.root / "pg")
        self.nats = EmbeddedNats(self.root / "nats", free_port())
        await self._in_servers_thread(self.pg.start)
        self._stoppers.append(self.pg.stop)
        await self._in_servers_thread(self.nats.start)
        self._stoppers.append(self.nats.stop)
        await self._in_servers_thread(self._migrate)

    async def start(self) -> None:
        """The mailbox, the portals and the five services, on a clock that stands at the span's
        start until `set_anchor` (once every service of both runs is ready)."""
        self.clock = ScaledClock(
            start=self.span.start, speed=self.span.speed, anchor=0.0, anchor_file=self.anchor_file
        )
        smtp_port = free_port()
        self.mailbox, controller = start_mailbox(smtp_port)
        self._stoppers.append(controller.stop)
        portals = self._start_simulator()
        self.ports = {spec.name: free_port() for spec in SERVICES}
        self.processes = ProcessGroup(
            env=self._service_env(smtp_port, portals), log_dir=self.root, stop_timeout=10
        )
        self._stoppers.append(self.processes.stop)
        for spec in SERVICES:
            self.processes.start(spec.name, python_command("serve", spec.name))
        await self._until_ready(time.time() + READY_WITHIN)

    @property
    def anchor_file(self) -> Path:
        return self.root / "clock-anchor"

    def set_anchor(self, anchor: float) -> None:
        """Start the clock: it reads the span's start at `anchor` (Unix time), in every process
        of this run (written whole, then renamed: a process never reads half of it)."""
        partial = self.anchor_file.with_suffix(".partial")
        partial.write_text(repr(anchor))
        partial.rename(self.anchor_file)
        self.clock.anchor, self.clock.anchor_file = anchor, None
        self.ready_at = self.ready_wall - anchor

    def _migrate(self) -> None:
        with _ALEMBIC:
            migrate_all(self.pg.url)

    def stop(self) -> None:
        for stop in reversed(self._stoppers):
            with contextlib.suppress(Exception):  # one failing must not keep the others running
                stop()
        self._servers_thread.shutdown(wait=False)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def real_elapsed(self) -> float:
        """Real seconds since the clock read the span's start (negative while starting)."""
        return time.time() - self.clock.anchor

    def _service_env(self, smtp_port: int, portals: list[SimPortal]) -> dict[str, str]:
        address_map = {
            portal_origin(unit.portal): f"http://127.0.0.1:{portal.port}"
            for portal in portals
            for unit in self.plan.units
            if unit.code == portal.code and unit.portal
        }
        env = {
            "MINHBACH_PLAN_FILE": str(self.plan_file),
            "MINHBACH_VAR_DIR": str(self.root / "var"),
            "MINHBACH_DATABASE_URL": self.pg.url,
            "MINHBACH_NATS_URL": self.nats.url,
            "MINHBACH_CLOCK_START": self.clock.start.isoformat(),
            "MINHBACH_CLOCK_SPEED": str(self.clock.speed),
            "MINHBACH_CLOCK_ANCHOR_FILE": str(self.anchor_file),
            "MINHBACH_SMTP_PORT": str(smtp_port),
            "MINHBACH_PORTAL_ADDRESS_MAP": json.dumps(address_map),
            "MINHBACH_REPORTING_SERVICE_TOKEN": f"chaos-{self.name}-{os.getpid()}",
            # Where the notifier fetches drafts' files (the default is make run's port).
            "MINHBACH_REPORTING_URL": self.url("reporting"),
            **FAST_SERVICE_ENV,
        }
        for spec in SERVICES:
            env[f"MINHBACH_{spec.port_setting.upper()}"] = str(self.ports[spec.name])
        return env

    async def _until_ready(self, deadline: float) -> None:
        async with httpx.AsyncClient(timeout=2) as client:
            while True:
                ready = [await _ready(client, self.url(spec.name)) for spec in SERVICES]
                if all(ready):
                    self.ready_wall = time.time()
                    return
                if time.time() > deadline:
                    raise RuntimeError(f"{self.name}: services not ready; logs in {self.root}")
                await asyncio.sleep(0.5)

    async def _until_service_ready(self, name: str) -> None:
        deadline = time.time() + READY_WITHIN
        async with httpx.AsyncClient(timeout=2) as client:
            while time.time() < deadline:
                if await _ready(client, self.url(name)):
                    return
                await asyncio.sleep(0.2)

    async def _in_servers_thread(self, work: Callable[[], object]) -> None:
        await asyncio.get_running_loop().run_in_executor(self._servers_thread, work)

    # --- the portals -------------------------------------------------------------------------

    def _start_simulator(self) -> list[SimPortal]:
        """The plan's portals in a thread of their own, on clock time: a document appears every
        clock day; the scenario's bad days switch a portal's mode."""
        clock, start = self.clock, self.span.start
        portals = portals_from_plan(self.plan, start.astimezone(UTC).date(), demo=True)

        def clock_minutes() -> float:
            return (clock.now() - start).total_seconds() / 1440  # 60 "seconds" per clock day

        simulator = PortalSimulator(portals, elapsed=clock_minutes)
        started = threading.Event()
        stopping = threading.Event()

        async def serve() -> None:
            await simulator.start()
            started.set()
            usual = {p.code: p.mode for p in portals}
            by_code = {p.code: p for p in portals}
            while not stopping.is_set():
                now = clock.now()
                for portal in portals:
                    portal.mode = usual[portal.code]
                    portal.requests.clear()
                for bad in self.bad_days:
                    if bad.start <= now < bad.end and bad.unit in by_code:
                        by_code[bad.unit].mode = _MODES[bad.trouble]
                await asyncio.sleep(SIM_TICK)
            await simulator.stop()

        thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
        thread.start()
        if not started.wait(20):
            raise RuntimeError("portal simulator did not start")

        def stop() -> None:
            stopping.set()
            thread.join(10)

        self._stoppers.append(stop)
        return portals

    # --- faults ------------------------------------------------------------------------------

    async def inflict(self, fault: Fault) -> None:
        """Cause the fault, hold it, recover; the outage is recorded in real seconds."""
        began = self.real_elapsed()
        if fault.kind == "kill_service":
            self.processes.kill(fault.target)
            await asyncio.sleep(fault.hold)
            self.processes.restart(fault.target)
            # Down until it answers again: a Python service takes 2 s to start on an idle
            # machine and up to 30 s at load average 12, and that is part of its outage.
            await self._until_service_ready(fault.target)
        elif fault.kind == "kill_nats":
            await self._in_servers_thread(lambda: _kill(self.nats.process, signal.SIGKILL))
            await asyncio.sleep(fault.hold)
            await self._in_servers_thread(self.nats.start)
        elif fault.kind in ("restart_postgres", "kill_postgres"):
            how = signal.SIGINT if fault.kind == "restart_postgres" else signal.SIGKILL
            await self._in_servers_thread(lambda: _kill(self.pg.process, how))
            await asyncio.sleep(fault.hold)
            await self._in_servers_thread(self._start_postgres_again)
        else:
            self.mailbox.mode = _MAIL_FAULTS[fault.kind]
            await asyncio.sleep(fault.hold)
            self.mailbox.mode = "ok"
        what = fault.target or fault.kind
        self.outages.append((what, began, self.real_elapsed()))

    def _start_postgres_again(self) -> None:
        """After a kill -9 the old backends take a moment to notice and free shared memory."""
        for attempt in range(20):
            try:
                self.pg.start()
                return
            except Exception:
                if attempt == 19:
                    raise
                time.sleep(0.5)


# Alembic keeps its migration context in module globals: one upgrade at a time per process.
_ALEMBIC = threading.Lock()
_MODES: dict[str, Mode] = {"hangs": "slow", "fails": "broken", "vanishes": "down"}
_MAIL_FAULTS: dict[str, MailFault] = {
    "smtp_stall": "stall",
    "smtp_4xx": "4xx",
    "smtp_5xx": "5xx",
    "smtp_drop_after_data": "drop_after_data",
}


def _kill(process: subprocess.Popen[bytes] | None, how: int) -> None:
    assert process is not None
    process.send_signal(how)
    process.wait(timeout=30)


async def _ready(client: httpx.AsyncClient, base: str) -> bool:
    try:
        return (await client.get(f"{base}/readyz")).status_code == 200
    except httpx.TransportError:
        return False
