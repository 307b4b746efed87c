"""Portal-monitor at national scale: one full round over 3,400 portals x 7 sections (the whole
country after the 2025 reform) on the simulator, with 1, 2 and 3 portal-monitor replicas.

Every replica is its own process pulling from the same JetStream work queue (as deployed); the
bench process only schedules the round and waits for the probes. Each round is a first sweep (the
monitor's tables and the work queue's consumer are emptied before it: no stored validators, every
page read in full, every document stored), the worst case of a round. For each replica count:
pages per second over the round, CPU per page summed over the replicas, and the peak memory
(VmHWM) of the largest replica; 2 and 3 replicas are set beside 1.

The full country takes about 3 rounds x 4 minutes here (2 cores shared by the replicas, the
simulator, PostgreSQL and NATS); by default the round is a tenth of it (340 portals) and the row
says so; BENCH_NATIONAL_PORTALS=3400 runs the full set. `python -m tests.benchmarks national`
runs this alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from minhbach.clock import FixedClock
from minhbach.observability.logging import configure_logging
from minhbach.plan import Plan
from portal_monitor.workqueue import ProbeWorker, schedule_once
from tests.benchmarks.bench_portal_monitor import (
    CONCURRENCY,
    T0,
    Monitor,
    _cleanup,
    bench_plan,
    start_simulator,
)
from tests.benchmarks.env import BenchEnv
from tests.benchmarks.table import BenchRow

COUNTRY = 3400
PORTALS = int(os.environ.get("BENCH_NATIONAL_PORTALS", "340"))
SECTIONS = 7  # the district platform's seven sections: six listings and the Q&A feed
REPLICAS = (1, 2, 3)
ROUND_TIMEOUT = 3600.0


@dataclass
class Round:
    replicas: int
    pages: int
    seconds: float
    cpu_seconds: float  # summed over the replicas
    peak_mib: float  # the largest replica's peak resident memory

    @property
    def rate(self) -> float:
        return self.pages / self.seconds

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.pages


def _proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _proc_peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _start_replica(env: BenchEnv, ready: Path) -> subprocess.Popen[bytes]:
    code = (
        "import sys; from tests.benchmarks.bench_national import _replica_main; "
        "_replica_main(*sys.argv[1:])"
    )
    var = env.var_dir
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            env.settings.database_url,
            env.settings.nats_url,
            str(var / "bench-plan.json"),
            str(var / "bench-origins.json"),
            str(var / "bench-now"),
            str(ready),
        ],
        cwd=Path(__file__).parents[2],
    )


def _replica_main(
    database_url: str,
    nats_url: str,
    plan_file: str,
    origins_file: str,
    now_file: str,
    ready_file: str,
) -> None:
    """One replica: the real probe path, pulling until terminated; says when it is pulling."""
    from datetime import datetime

    from minhbach.settings import Settings

    plan = Plan.model_validate_json(Path(plan_file).read_text())
    origins = json.loads(Path(origins_file).read_text())
    now = datetime.fromisoformat(Path(now_file).read_text())

    async def main() -> None:
        configure_logging("bench-replica", "WARNING")
        env = BenchEnv(
            Settings(database_url=database_url, nats_url=nats_url), Path(plan_file).parent
        )
        async with Monitor(env, plan, origins, start=now) as monitor:
            monitor.clock = FixedClock(now)
            worker = ProbeWorker(monitor.js, monitor.deps, CONCURRENCY, 60, 600)
            task = asyncio.create_task(worker.run())
            await asyncio.sleep(0.5)  # the consumer is declared and bound
            await asyncio.to_thread(Path(ready_file).write_text, "ready")
            await task

    asyncio.run(main())


async def full_round(env: BenchEnv, plan: Plan, origins: dict[str, str], replicas: int) -> Round:
    """One first sweep of every portal by `replicas` replica processes."""
    await _cleanup(env)
    start = T0 + timedelta(days=replicas)  # its own day: no request id seen within the hour
    (env.var_dir / "bench-now").write_text(start.isoformat())
    async with Monitor(env, plan, origins, start=start) as monitor:
        readies = [env.var_dir / f"bench-ready-{replicas}-{n}" for n in range(replicas)]
        children = [_start_replica(env, ready) for ready in readies]
        try:
            while not all(r.exists() for r in readies):
                if any(c.poll() is not None for c in children):
                    raise RuntimeError("a portal-monitor replica exited before pulling")
                await asyncio.sleep(0.1)
            cpu_before = [_proc_cpu(c.pid) for c in children]
            wall = time.perf_counter()
            while await schedule_once(
                monitor.js, monitor.sessions, plan, monitor.clock.now(), timedelta(hours=1)
            ):
                pass  # the scheduler claims at most 500 portals per tick
            deadline = wall + ROUND_TIMEOUT
            while await monitor.probes() < len(monitor.units):
                if time.perf_counter() > deadline or any(c.poll() is not None for c in children):
                    raise RuntimeError(
                        f"round with {replicas} replica(s) incomplete:"
                        f" {await monitor.probes()} of {len(monitor.units)} portals probed"
                    )
                await asyncio.sleep(0.2)  # polls the database: the probes are rows
            seconds = time.perf_counter() - wall
            cpu = sum(_proc_cpu(c.pid) - b for c, b in zip(children, cpu_before, strict=True))
            peak = max(_proc_peak_mib(c.pid) for c in children)
            pages = await monitor._pages()
        finally:
            for child in children:
                child.terminate()
            for child in children:
                child.wait(timeout=30)
    result = Round(replicas, pages, seconds, cpu, peak)
    print(f"  {result}", file=sys.stderr, flush=True)
    return result


async def run(env: BenchEnv) -> list[BenchRow]:
    configure_logging("bench", "WARNING")
    plan = bench_plan(PORTALS, sections=SECTIONS, listing_only=False)
    portals = f"{PORTALS:,}" if PORTALS == COUNTRY else f"{PORTALS:,} of {COUNTRY:,}"
    if PORTALS != COUNTRY:
        print(
            f"note: national round scaled down to {PORTALS} portals (not {COUNTRY:,}) to stay"
            f" within the time budget; BENCH_NATIONAL_PORTALS={COUNTRY} runs the whole country",
            file=sys.stderr,
        )
    simulator = start_simulator(plan, env.var_dir)
    try:
        origins = {
            f"https://{code}.bench.invalid": f"http://127.0.0.1:{port}"
            for code, port in simulator.ports.items()
        }
        (env.var_dir / "bench-origins.json").write_text(json.dumps(origins))
        rounds = [await full_round(env, plan, origins, n) for n in REPLICAS]
        await _cleanup(env)
    finally:
        simulator.stop()
    one = rounds[0]
    b = "portal-monitor national"
    rows = []
    for r in rounds:
        what = f"{portals} portals x {SECTIONS} sections, {r.replicas} replica(s)"
        base = None if r.replicas == 1 else one
        label = "" if base is None else "1 replica, same round"
        rows += [
            BenchRow(
                b,
                f"full round, {what}: pages/s ({r.pages} pages, {r.seconds:.0f} s)",
                r.rate,
                "pages/s",
                None if base is None else base.rate,
                label,
            ),
            BenchRow(
                b,
                f"full round, {r.replicas} replica(s): CPU ms per page (all replicas)",
                r.cpu_ms_per_page,
                "ms",
                None if base is None else base.cpu_ms_per_page,
                label,
                higher_is_better=False,
            ),
            BenchRow(
                b,
                f"full round, {r.replicas} replica(s): peak RSS per replica",
                r.peak_mib,
                "MiB",
                None if base is None else base.peak_mib,
                label,
                higher_is_better=False,
            ),
        ]
    return rows
