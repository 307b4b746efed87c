"""Run the scenario twice, calm and under faults, at the same time on this machine, and judge
the chaos run's end against the calm run's."""

from __future__ import annotations

import asyncio
import contextlib
import time as walltime
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from minhbach.plan import Plan, load_plan
from minhbach.services import SERVICES
from tests.chaos.filer import Filer
from tests.chaos.invariants import Verdict, judge
from tests.chaos.scenario import (
    Fault,
    Span,
    behaviours,
    fault_schedule,
    filed_before,
    filings,
    ladder_span,
    portal_bad_days,
)
from tests.chaos.snapshot import Snapshot, take
from tests.chaos.snapshot import backlog as snapshot_backlog
from tests.chaos.world import ANCHOR_DELAY, World

# After the span the run settles until it owes nothing for the span (snapshot.BACKLOG): at
# least SETTLE_MIN_SECONDS (events in flight, the last drafts of the span), at most
# SETTLE_MAX_SECONDS, then the snapshot is taken whatever is left (and the invariants name it).
SETTLE_MIN_SECONDS = 3.0
SETTLE_MAX_SECONDS = {"short": 45.0, "quarter": 60.0, "year": 180.0}
FILER_GRACE_SECONDS = 20.0  # a filing still unanswered this long after the span is a refusal
PROBE_BOUND_SECONDS = 20.0  # a portal's longest real wait for a probe, outages aside


@dataclass(frozen=True)
class Outcome:
    seed: int
    span: Span
    faults: list[Fault]
    calm: Snapshot
    chaos: Snapshot
    verdicts: list[Verdict]

    @property
    def held(self) -> bool:
        return all(v.held for v in self.verdicts)


def span_of(plan: Plan, name: str) -> Span:
    """`short`: six weeks around the third quarter's report deadline, one fault of each kind
    (`make test`); `quarter`: the third quarter's reporting cycle (the quarter's last weeks,
    its reports, their reminders, overdue notices, escalations and drafts); `year`: the plan
    year. All run the clock 60,000 to 90,000 times faster than real time."""
    zone = plan.meta.zone
    year = plan.year

    def at(month: int, day: int) -> datetime:
        return datetime.combine(datetime(year, month, day).date(), time(), zone)

    if name == "short":  # the run `make test` holds: the Q3 report's deadline and ladder
        return Span("short", at(9, 10), at(10, 25), real_seconds=40.0, faults=8)
    if name == "quarter":
        return Span("quarter", at(9, 12), at(11, 8), real_seconds=60.0, faults=16)
    if name == "year":
        return Span("year", at(1, 1), at(12, 31), real_seconds=480.0, faults=104)
    raise ValueError(f"unknown span {name!r}: quarter or year")


async def run_pair(plan_file: Path, span_name: str, seed: int, root: Path) -> Outcome:
    plan = load_plan(plan_file)
    span = span_of(plan, span_name)
    bad_days = portal_bad_days(seed, [u.code for u in plan.portal_units()], span)
    faults = fault_schedule(seed, span, [spec.name for spec in SERVICES])
    worlds = [
        World(name, root / name, plan, plan_file, span, bad_days) for name in ("calm", "chaos")
    ]
    try:
        await asyncio.gather(*(world.start_servers() for world in worlds))
        filers = [Filer(world, plan) for world in worlds]
        await asyncio.gather(*(filer.issue_tokens() for filer in filers))
        await asyncio.gather(*(world.start() for world in worlds))
        await asyncio.gather(*(_before_the_span(f, plan, seed) for f in filers))
        # Both clocks start together once every service of both runs is ready: the runs live
        # the same clock from the span's first instant, however long the machine took to start.
        anchor = walltime.time() + ANCHOR_DELAY
        for world in worlds:
            world.set_anchor(anchor)
        calm, chaos = await asyncio.gather(
            _drive(worlds[0], plan, seed, [], filers[0]),
            _drive(worlds[1], plan, seed, faults, filers[1]),
        )
    finally:
        for world in worlds:
            world.stop()
    return Outcome(seed, span, faults, calm, chaos, judge(calm, chaos, PROBE_BOUND_SECONDS))


async def _before_the_span(filer: Filer, plan: Plan, seed: int) -> None:
    """While the clock stands at the span's start: the units file what fell due before it (but
    the units that never file), late, and the run waits (bounded) until scoring has them. A
    span that starts in September would otherwise start with every unit overdue on two
    quarters, and the notices about them (40 at each repeat, weeks behind) would be most of
    what the notifier sends, none of it what the span is about."""
    world = filer.world
    conduct = behaviours(seed, list(plan.lead_unit_codes_all()))
    await filer.run(filed_before(conduct, await filer.report_deadlines(), world.span))
    deadline = walltime.time() + SETTLE_MAX_SECONDS[world.span.name]
    while walltime.time() < deadline:
        with contextlib.suppress(Exception):
            if not (await snapshot_backlog(world))["reports to score"]:
                break
        await asyncio.sleep(0.2)


async def _drive(
    world: World, plan: Plan, seed: int, faults: list[Fault], filer: Filer
) -> Snapshot:
    conduct = behaviours(seed, list(plan.lead_unit_codes_all()))
    ladder = ladder_span(_ladder_working_days(plan))
    planned = filings(conduct, await filer.report_deadlines(), world.span, ladder)
    filing = asyncio.create_task(filer.run(planned))
    await _inflict_all(world, faults)
    await _until(world, world.span.real_seconds)
    try:  # a filer that cannot get through (intake gone for good) ends the run, not hangs it
        await asyncio.wait_for(filing, FILER_GRACE_SECONDS)
    except TimeoutError:
        filer.refusals.append("filings still unanswered after the span: intake unreachable")
    await _settle(world)
    return await take(world, filer.receipts, filer.refusals)


def _ladder_working_days(plan: Plan) -> int:
    steps = [step.after_overdue_working_days for step in plan.escalation.steps]
    return plan.escalation.overdue_notice_after_working_days + max(steps, default=0)


async def _inflict_all(world: World, faults: list[Fault]) -> None:
    """Each fault at its moment; faults on one component wait for each other (a service is not
    restarted twice), faults on different ones overlap."""
    locks: dict[str, asyncio.Lock] = {}

    async def one(fault: Fault) -> None:
        await _until(world, fault.at)
        target = fault.target or fault.kind.split("_", 1)[-1]
        async with locks.setdefault(target, asyncio.Lock()):
            await world.inflict(fault)

    await asyncio.gather(*(one(fault) for fault in faults))


async def _until(world: World, real_seconds: float) -> None:
    await asyncio.sleep(max(0.0, real_seconds - world.real_elapsed()))


async def _settle(world: World) -> None:
    """Wait, bounded, until the run owes nothing for its span: the last notices of the span
    leave, the last reports and probes are applied, the last drafts recorded for e-mail. A
    loaded machine only makes this longer (the table prints how long), never a fixed sleep too
    short. The clock runs on meanwhile: everything judged is bounded by the span's end, so the
    two runs' snapshots compare although taken at different moments."""
    end = world.span.real_seconds
    await _until(world, end + SETTLE_MIN_SECONDS)
    while True:  # asked at least once, however late the filer let us start
        try:
            owed = await snapshot_backlog(world)
        except Exception as exc:  # the database restarting after a late fault: ask again
            owed = {f"unreadable: {exc!r}"[:80]: 1}
        if not any(owed.values()):
            break
        if world.real_elapsed() > end + SETTLE_MAX_SECONDS[world.span.name]:
            break
        await asyncio.sleep(0.5)
    world.settled_in = world.real_elapsed() - end
    world.owed = {what: n for what, n in owed.items() if n}


def table(outcome: Outcome) -> str:
    """The printed result: faults by kind, what each run produced, each invariant."""
    lines = [
        f"chaos run: span {outcome.span.name} ({outcome.span.start:%d/%m/%Y} - "
        f"{outcome.span.end:%d/%m/%Y}, clock x{outcome.span.speed:,.0f}), seed {outcome.seed}",
        f"replay: make chaos CHAOS_ARGS='--span {outcome.span.name} --seed {outcome.seed}'",
        "",
        "faults injected     | count",
        "--------------------+------",
    ]
    by_kind = Counter(f.kind for f in outcome.faults)
    lines += [f"{kind:<20}| {n}" for kind, n in sorted(by_kind.items())]
    killed = Counter(f.target for f in outcome.faults if f.target)
    lines += [f"  kill -9 {name:<11}| {n}" for name, n in sorted(killed.items())]
    lines.append(f"{'all':<20}| {len(outcome.faults)}")
    lines += ["", "produced            | calm | chaos", "--------------------+------+------"]
    for label, calm, chaos in _produced(outcome.calm, outcome.chaos):
        lines.append(f"{label:<20}| {calm:>4} | {chaos:>5}")
    for run in (outcome.calm, outcome.chaos):
        left = ", ".join(f"{n} {what}" for what, n in (run.owed or {}).items()) or "nothing"
        lines.append(
            f"{run.name}: services ready {run.ready_at:+.1f} s from the span's start; "
            f"settled {run.settled_in:.1f} s after its end, owing {left}"
        )
    lines += ["", "outages (real seconds after the span's start; clock dates)"]
    for what, began, ended in outcome.chaos.outages:
        clock = outcome.span.start + timedelta(seconds=began * outcome.span.speed)
        lines.append(f"  {began:6.1f} s +{ended - began:4.1f} s  {clock:%d/%m %H:%M}  {what}")
    lines += ["", "invariant | held | detail", "----------+------+-------"]
    for verdict in outcome.verdicts:
        mark = "yes" if verdict.held else "NO"
        lines.append(f"{verdict.name} | {mark} | {verdict.detail}")
    return "\n".join(lines)


def _produced(calm: Snapshot, chaos: Snapshot) -> list[tuple[str, int, int]]:
    def counts(run: Snapshot) -> list[int]:
        probes = sum(len(starts) for starts in run.probes.values())
        return [len(run.receipts), len(run.mail), len(run.drafts), probes, len(run.obligations)]

    labels = ["reports (receipts)", "notices delivered", "draft versions", "probes", "obligations"]
    return list(zip(labels, counts(calm), counts(chaos), strict=True))
