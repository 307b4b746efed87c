"""The scenario both runs share, and the faults only the chaos run gets: pure, from a seed.

Everything a run does is fixed here in advance from the seed and the plan, in clock time (the
filings, the portals' bad days) or in real seconds from the run's start (the faults), so the calm
run and the chaos run differ only by the faults.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

FaultKind = Literal[
    "kill_service",
    "kill_nats",
    "restart_postgres",
    "kill_postgres",
    "smtp_stall",
    "smtp_4xx",
    "smtp_5xx",
    "smtp_drop_after_data",
]
FAULT_KINDS: Final[tuple[FaultKind, ...]] = (
    "kill_service",
    "kill_nats",
    "restart_postgres",
    "kill_postgres",
    "smtp_stall",
    "smtp_4xx",
    "smtp_5xx",
    "smtp_drop_after_data",
)
SMTP_FAULTS: Final = frozenset({"smtp_stall", "smtp_4xx", "smtp_5xx", "smtp_drop_after_data"})

Behaviour = Literal["on_time", "late", "amended", "never"]
PortalTrouble = Literal["hangs", "fails", "vanishes"]


@dataclass(frozen=True)
class Span:
    """The stretch of the plan year a run covers, and how long it takes in real seconds."""

    name: str
    start: datetime
    end: datetime
    real_seconds: float
    faults: int  # in the chaos run, spread over every kind

    @property
    def speed(self) -> float:
        return (self.end - self.start).total_seconds() / self.real_seconds


@dataclass(frozen=True)
class Fault:
    at: float  # real seconds after the run's start
    kind: FaultKind
    target: str  # the service killed; "" for the others
    hold: float  # real seconds down (or the SMTP server misbehaving) before it recovers


@dataclass(frozen=True)
class Filing:
    unit: str
    obligation_id: str
    period: str
    at: datetime  # clock time
    amends: bool  # a new version of the unit's report for the period


@dataclass(frozen=True)
class PortalBadDay:
    unit: str
    trouble: PortalTrouble
    start: datetime  # clock time
    end: datetime


# A filing's distance from its deadline, wider than the longest outage the driver causes (a
# restart of PostgreSQL after kill -9 on a loaded machine takes up to ~8 real seconds, a week of
# the fast clock), so a fault delays a filing without moving it across its deadline: on time
# stays on time and late stays late. The larger of a clock span and a real one.
MARGIN_CLOCK: Final = timedelta(days=12)
MARGIN_REAL_SECONDS: Final = 15.0
AMENDED_AFTER: Final = timedelta(days=4)
# The faults fall in the middle of the run: the start brings everything up, the end lets the
# last deadlines' notices and drafts settle.
FAULT_WINDOW: Final = (0.1, 0.8)


def behaviours(seed: int, units: list[str]) -> dict[str, Behaviour]:
    """Each lead unit's conduct for the whole run: most on time, some late, amended, never."""
    rng = random.Random(f"behaviour-{seed}")
    weights: list[tuple[Behaviour, float]] = [
        ("on_time", 0.6),
        ("late", 0.15),
        ("amended", 0.15),
        ("never", 0.1),
    ]
    kinds, shares = zip(*weights, strict=True)
    return {unit: rng.choices(kinds, shares)[0] for unit in sorted(units)}


def filings(
    conduct: dict[str, Behaviour],
    due: list[tuple[str, str, str, datetime]],
    span: Span,
    ladder: timedelta = timedelta(0),
) -> list[Filing]:
    """Every filing of the run, in clock order, from each unit's conduct and its report
    obligations (unit, obligation id, period, due at); none outside the span. A late unit files
    a margin after the plan's whole escalation `ladder`, so a delay cannot move its filing
    across a step either (every step fires in both runs)."""
    margin = max(MARGIN_CLOCK, timedelta(seconds=MARGIN_REAL_SECONDS * span.speed))
    planned: list[Filing] = []
    for unit, obligation_id, period, due_at in due:
        behaviour = conduct.get(unit, "never")
        if behaviour == "never":
            continue
        first = due_at + ladder + margin if behaviour == "late" else due_at - margin
        planned.append(Filing(unit, obligation_id, period, first, amends=False))
        if behaviour == "amended":
            planned.append(Filing(unit, obligation_id, period, first + AMENDED_AFTER, True))
    inside = [f for f in planned if span.start <= f.at < span.end]
    return sorted(inside, key=lambda f: (f.at, f.unit, f.period, f.amends))


def filed_before(
    conduct: dict[str, Behaviour], due: list[tuple[str, str, str, datetime]], span: Span
) -> list[Filing]:
    """The reports that fell due before the span, filed (late) at its start by every unit but
    those that never file: the year as the units left it when the span begins."""
    return [
        Filing(unit, obligation_id, period, span.start, amends=False)
        for unit, obligation_id, period, due_at in sorted(due)
        if due_at < span.start and conduct.get(unit, "never") != "never"
    ]


def ladder_span(working_days: int) -> timedelta:
    """Calendar time that surely holds `working_days` working days (weekends and a holiday)."""
    return timedelta(days=working_days * 7 // 5 + 4)


def portal_bad_days(seed: int, portals: list[str], span: Span) -> list[PortalBadDay]:
    """Portals that hang, answer 5xx or vanish for a day, the same in both runs."""
    rng = random.Random(f"portals-{seed}")
    days = max(1, int((span.end - span.start) / timedelta(days=1)))
    troubles: tuple[PortalTrouble, ...] = ("hangs", "fails", "vanishes")
    chosen = rng.sample(sorted(portals), k=min(len(portals), 2 * len(troubles)))
    bad: list[PortalBadDay] = []
    for index, unit in enumerate(chosen):
        start = span.start + timedelta(days=rng.randrange(1, days))
        bad.append(PortalBadDay(unit, troubles[index % 3], start, start + timedelta(days=1)))
    return bad


def fault_schedule(seed: int, span: Span, services: list[str]) -> list[Fault]:
    """`span.faults` faults, every kind in turn (each service killed in turn), at random
    moments of the fault window; no two faults closer than a second."""
    rng = random.Random(f"faults-{seed}")
    low, high = (span.real_seconds * share for share in FAULT_WINDOW)
    moments = sorted(rng.uniform(low, high) for _ in range(span.faults))
    kinds = [FAULT_KINDS[index % len(FAULT_KINDS)] for index in range(span.faults)]
    rng.shuffle(kinds)
    targets = iter(services * span.faults)
    faults: list[Fault] = []
    for at, kind in zip(moments, kinds, strict=True):
        target = next(targets) if kind == "kill_service" else ""
        hold = rng.uniform(2.0, 6.0) if kind in SMTP_FAULTS else rng.uniform(0.2, 1.5)
        faults.append(Fault(at, kind, target, hold))
    return _spaced(faults, gap=1.0)


def _spaced(faults: list[Fault], gap: float) -> list[Fault]:
    spaced: list[Fault] = []
    for fault in faults:
        at = max(fault.at, spaced[-1].at + gap) if spaced else fault.at
        spaced.append(Fault(at, fault.kind, fault.target, fault.hold))
    return spaced
