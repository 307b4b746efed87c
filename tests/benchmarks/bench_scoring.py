"""Scoring: event-to-figure latency at 100 events/s, and a full rebuild of a large ledger.

- Latency: ReportSubmitted events are published to JetStream at a steady 100/s (each flips a
  unit's tasks between done and in progress, so every one moves a figure); the time from the
  publish call to the arrival of the first `scoring.indicator.changed` whose `caused_by` is that
  event. Baseline in the same run and at the same rate: a JetStream publish, a subscriber doing
  one PostgreSQL transaction (an inbox row and an effect row) and a reply on core NATS.
- Rebuild: 1,000 units × 20 tasks × 4 quarterly reports (plus one probe per portal) stored as
  projections; `Scorer.rebuild` derives task states, the ledger and every figure and writes them
  with their events to the outbox. Timed cold (empty derived tables) and warm (nothing changed).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
from nats.aio.msg import Msg
from nats.js.api import DeliverPolicy, StreamConfig
from sqlalchemy import make_url, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import create_async_engine

from minhbach.calendar import TZ
from minhbach.db.migrations import upgrade
from minhbach.db.session import async_url, make_engine, make_sessionmaker
from minhbach.events.catalogue import ReportSubmitted, TaskReport, TaskStatus
from minhbach.infra.embedded import free_port
from minhbach.messaging.outbox import Outbox
from minhbach.messaging.streams import declare_streams
from minhbach.plan import Plan, default_plan_path, load_plan
from scoring import db
from scoring.db import messaging
from scoring.scorer import Scorer
from tests.benchmarks.env import BenchEnv
from tests.benchmarks.table import BenchRow
from tests.support.plans import plan_from_seed_data, seed_data
from tests.support.servers import eventually

RATE = 100  # events per second
LATENCY_EVENTS = 1000
WARMUP_EVENTS = 50
REBUILD_UNITS = 1000
NOW = time.time  # wall clock for latencies (same process publishes and receives)
QUIET_SECONDS = 5.0
SERVICE_PID = [0]
CPU_PER_EVENT = [0.0]
METRICS = [""]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _fresh_database(base_url: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(async_url(base_url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    await asyncio.to_thread(upgrade, "scoring", "scoring", url)
    return url


async def _paced(count: int, send: Any) -> None:
    """Call `send(i)` for i in range(count) at RATE per second, on schedule."""
    start = time.perf_counter()
    for i in range(count):
        delay = start + i / RATE - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await send(i)


# --- baseline: NATS round trip plus one PostgreSQL transaction -----------------------------------


async def baseline_latencies(env: BenchEnv) -> list[float]:
    client = await nats.connect(env.settings.nats_url)
    js = client.jetstream()
    await js.add_stream(StreamConfig(name="BENCH_SCORING", subjects=["benchscoring.>"]))
    url = await _fresh_database(env.settings.database_url, "bench_scoring_base")
    engine = make_engine(url, pool_size=4)
    sessions = make_sessionmaker(engine)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE effect (id uuid PRIMARY KEY, body text)"))
    sent: dict[str, float] = {}
    latencies: list[float] = []
    done = asyncio.Event()

    async def handle(msg: Msg) -> None:
        async with sessions() as session, session.begin():
            await session.execute(
                pg_insert(messaging.inbox).values(
                    event_id=uuid.UUID(msg.data.decode()), consumer="bench", subject=msg.subject
                )
            )
            await session.execute(
                text("INSERT INTO effect VALUES (:id, 'x')"), {"id": uuid.UUID(msg.data.decode())}
            )
        await msg.ack()
        await client.publish("benchscoring.out", msg.data)

    async def arrived(msg: Msg) -> None:
        latencies.append(NOW() - sent.pop(msg.data.decode()))
        if len(latencies) == LATENCY_EVENTS:
            done.set()

    await client.subscribe("benchscoring.out", cb=arrived)
    await js.subscribe("benchscoring.in", cb=handle, manual_ack=True)

    async def send(i: int) -> None:
        key = str(uuid.uuid4())
        sent[key] = NOW()
        await js.publish("benchscoring.in", key.encode(), headers={"Nats-Msg-Id": key})

    await _paced(LATENCY_EVENTS, send)
    await asyncio.wait_for(done.wait(), 60)
    await client.close()
    await engine.dispose()
    return latencies


# --- scoring: publication to the indicator.changed it causes -------------------------------------


def _report(
    plan: Plan, unit: str, report_id: uuid.UUID, n: int, version: int, rng: random.Random
) -> ReportSubmitted:
    """Version `version` of a unit's Q3 report, each task done or not at random (so the
    unit's latest statuses, and with them a figure, almost always move)."""
    submitted = plan_now(plan) - timedelta(days=2) + timedelta(seconds=n)
    return ReportSubmitted(
        report_id=report_id,
        version_no=version,
        unit_code=unit,
        plan_year=plan.year,
        period="Q3",
        submitted_at=submitted,
        due_at=submitted,
        on_time=True,
        tasks=tuple(
            TaskReport(
                task_code=t.code,
                status=TaskStatus.DONE if rng.random() < 0.5 else TaskStatus.IN_PROGRESS,
                work_done="x",
                difficulties="y",
            )
            for t in plan.tasks_led_by(unit)
        ),
    )


def plan_now(plan: Plan) -> datetime:
    return datetime(plan.year, 10, 20, 10, tzinfo=TZ)


@contextlib.asynccontextmanager
async def scoring_process(env: BenchEnv, database_url: str, now: datetime) -> AsyncIterator[str]:
    """`minhbach serve scoring` in its own process (as deployed), its clock standing at `now`;
    yields its base URL once it answers."""
    port = free_port()
    environment = {
        **os.environ,
        "MINHBACH_DATABASE_URL": database_url,
        "MINHBACH_NATS_URL": env.settings.nats_url,
        "MINHBACH_SCORING_PORT": str(port),
        "MINHBACH_CLOCK_START": now.isoformat(),
        "MINHBACH_CLOCK_SPEED": "1e-9",  # stands still
        "MINHBACH_LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "minhbach",
        "serve",
        "scoring",
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    SERVICE_PID[0] = process.pid
    try:
        async with httpx.AsyncClient(base_url=base, timeout=2) as client:

            async def ready() -> bool:
                try:
                    return (await client.get("/readyz")).status_code == 200
                except httpx.HTTPError:
                    return False

            await eventually(ready, timeout=60)
        yield base
    finally:
        process.terminate()
        await process.wait()


async def scoring_latencies(env: BenchEnv) -> tuple[list[float], int]:
    """Latencies of the events that moved a figure (after a warm-up), and how many were sent.

    An event moves no figure when the unit's statuses come out as they were, when another
    event of the same burst moved the figure back, or when a later version of the same report
    was handled first; such events have nothing to measure and are counted apart."""
    plan = load_plan(default_plan_path())
    url = await _fresh_database(env.settings.database_url, "bench_scoring_latency")
    client = await nats.connect(env.settings.nats_url)
    js = client.jetstream()
    await declare_streams(js, env.settings.duplicate_window_seconds)
    units = plan.lead_unit_codes_all()
    report_ids = {u: uuid.uuid4() for u in units}
    rng = random.Random(2024)
    sent: dict[str, float] = {}
    latencies: list[tuple[int, float]] = []
    order: dict[str, int] = {}
    last_arrival = [NOW()]

    async def arrived(msg: Msg) -> None:
        for cause in _causes(msg.data):
            started = sent.pop(cause, None)
            if started is not None:
                latencies.append((order[cause], NOW() - started))
                last_arrival[0] = NOW()

    sub = await js.subscribe(
        "scoring.indicator.changed",
        cb=arrived,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.NEW,
    )
    total = WARMUP_EVENTS + LATENCY_EVENTS

    async def send(i: int) -> None:
        unit = units[i % len(units)]
        event = _report(plan, unit, report_ids[unit], i, i // len(units) + 1, rng)
        key = str(event.event_id)
        order[key] = i
        sent[key] = NOW()
        await js.publish(event.subject, event.to_json(), headers={"Nats-Msg-Id": key})

    async with scoring_process(env, url, plan_now(plan)) as base:
        await eventually(lambda: _figures_ready(url), timeout=60)
        cpu_before = cpu_seconds(SERVICE_PID[0])
        await _paced(total, send)
        # Done when every event has caused a change or nothing has arrived for a while.
        await eventually(lambda: not sent or NOW() - last_arrival[0] > QUIET_SECONDS, 180)
        CPU_PER_EVENT[0] = (cpu_seconds(SERVICE_PID[0]) - cpu_before) / total
        async with httpx.AsyncClient(base_url=base, timeout=5) as http:
            METRICS[0] = (await http.get("/metrics")).text
    await sub.unsubscribe()
    await client.close()
    return [latency for i, latency in latencies if i >= WARMUP_EVENTS], LATENCY_EVENTS


async def _figures_ready(database_url: str) -> bool:
    engine = create_async_engine(async_url(database_url))
    try:
        async with engine.connect() as conn:
            count = await conn.scalar(text("SELECT count(*) FROM scoring.figures"))
    finally:
        await engine.dispose()
    return bool(count and count >= 8)


def _causes(data: bytes) -> list[str]:
    """The input events a figure change names (a burst of events is announced once)."""
    body = json.loads(data)
    return [str(c) for c in body.get("caused_by_events") or [body.get("caused_by")] if c]


# --- rebuild ------------------------------------------------------------------------------------


def large_plan(units: int) -> Plan:
    """The seed plan with `units` communes (each with a portal) and a 20th task."""

    data = seed_data()
    others = [u for u in data["units"] if u["kind"] not in ("commune", "town")]
    communes = [
        {
            "code": f"xa-{n:04d}",
            "name": f"UBND xã Thử {n}",
            "kind": "commune",
            "email": f"xa-{n:04d}@bench.example.invalid",
            "portal": f"https://xa{n:04d}.bench.example.invalid",
        }
        for n in range(units - len(others))
    ]
    data["units"] = others + communes
    data["portal_monitoring"]["portals"] = []
    extra = copy.deepcopy(next(t for t in data["tasks"] if t["code"] == "8.1"))
    extra.update(code="8.4", text="Nhiệm vụ bổ sung cho phép đo")
    extra.pop("merged_cells_from", None)
    data["tasks"].append(extra)
    indicator8 = next(i for i in data["indicators"] if i["number"] == 8)
    indicator8["tasks"].append("8.4")
    return plan_from_seed_data(data)


async def _store_large_history(sessions: Any, plan: Plan) -> int:
    now = plan_now(plan)
    rows = []
    for n, unit in enumerate(plan.lead_unit_codes_all()):
        for q in range(1, 5):
            tasks = [
                [t.code, "done" if (n + q + i) % 3 == 0 else "in_progress"]
                for i, t in enumerate(plan.tasks_led_by(unit))
            ]
            rows.append(
                {
                    "report_id": uuid.uuid4(),
                    "version_no": 1,
                    "unit_code": unit,
                    "plan_year": plan.year,
                    "period": f"Q{q}",
                    "reporter": "lead_units",
                    "rule_code": None,
                    "submitted_at": now - timedelta(days=(4 - q) * 90, hours=n % 48),
                    "first_submitted_at": None,
                    "tasks": tasks,
                }
            )
    probes = [
        {
            "probe_id": uuid.uuid4(),
            "portal_unit_code": unit.code,
            "finished_at": now - timedelta(hours=1),
            "outcome": "ok",
            "checks": [
                {"check": "section_present", "passed": True, "section": "planning"},
                {"check": "qa_active", "passed": n % 2 == 0, "section": "qa"},
            ],
        }
        for n, unit in enumerate(plan.portal_units())
    ]
    async with sessions() as session, session.begin():
        for start in range(0, len(rows), 1000):
            await session.execute(pg_insert(db.reports), rows[start : start + 1000])
        await session.execute(pg_insert(db.probes), probes)
    return len(rows)


async def rebuild_seconds(env: BenchEnv) -> tuple[float, float, int, int]:
    plan = large_plan(REBUILD_UNITS)
    url = await _fresh_database(env.settings.database_url, "bench_scoring_rebuild")
    engine = make_engine(url, pool_size=2)
    sessions = make_sessionmaker(engine)
    reports = await _store_large_history(sessions, plan)
    scorer = Scorer(plan)
    timings = []
    obligations = 0
    for _ in range(2):
        started = time.perf_counter()
        async with sessions() as session, session.begin():
            summary = await scorer.rebuild(session, plan_now(plan))
            await Outbox(messaging).emit(session, *summary.events)
        timings.append(time.perf_counter() - started)
        obligations = max(obligations, summary.obligations_changed)
    await engine.dispose()
    return timings[0], timings[1], reports, obligations


async def run(env: BenchEnv) -> list[BenchRow]:
    base = await baseline_latencies(env)
    scored, sent = await scoring_latencies(env)
    cold, warm, reports, obligations = await rebuild_seconds(env)
    base_p50, base_p99 = _percentile(base, 50) * 1000, _percentile(base, 99) * 1000
    round_trip = statistics.median(base)
    label = f"JetStream publish → 1 PG transaction → reply, {RATE}/s"
    rebuild_label = "one baseline round trip (p50), in s"
    return [
        BenchRow(
            "scoring",
            f"event→figure p50 at {RATE}/s (seed plan)",
            _percentile(scored, 50) * 1000,
            "ms",
            base_p50,
            label,
            higher_is_better=False,
        ),
        BenchRow(
            "scoring",
            f"event→figure p99 at {RATE}/s (seed plan)",
            _percentile(scored, 99) * 1000,
            "ms",
            base_p99,
            label,
            higher_is_better=False,
        ),
        BenchRow("scoring", "events that moved a figure", 100 * len(scored) / sent, "%"),
        BenchRow(
            "scoring",
            "scoring process CPU per event",
            CPU_PER_EVENT[0] * 1000,
            "ms",
            higher_is_better=False,
        ),
        BenchRow(
            "scoring",
            f"full rebuild, cold ({REBUILD_UNITS} units×20 tasks×4 quarters: "
            f"{reports} reports, {obligations} obligations)",
            cold,
            "s",
            round_trip,
            rebuild_label,
            higher_is_better=False,
        ),
        BenchRow(
            "scoring",
            "full rebuild, warm (nothing changed)",
            warm,
            "s",
            round_trip,
            rebuild_label,
            higher_is_better=False,
        ),
    ]
