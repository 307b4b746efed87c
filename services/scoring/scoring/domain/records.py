"""Each unit's record and a ranking the focal unit can use when heads of units are evaluated
(plan part III.1: the plan's results are one criterion of the head's yearly evaluation).

A record counts the unit's obligations by status and its portal's checks (latest probe that
reached it). The score is the mean of what is known of:
- obligations: (on time + half of late) / (on time + late + overdue), i.e. over what fell due;
- portal: checks passed / checks made.
Units with nothing due and no portal checked have no score and rank last.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from minhbach.events.catalogue import ObligationStatus
from minhbach.plan import Plan
from scoring.domain.facts import ProbeFact
from scoring.domain.obligations import Obligation
from scoring.domain.readiness import DECIMALS, latest_reached_probes

LATE_CREDIT = 0.5


@dataclass(frozen=True, slots=True)
class StatusCounts:
    pending: int = 0
    due_soon: int = 0
    overdue: int = 0
    fulfilled_on_time: int = 0
    fulfilled_late: int = 0

    @property
    def fell_due(self) -> int:
        return self.fulfilled_on_time + self.fulfilled_late + self.overdue

    def obligations_score(self) -> float | None:
        if not self.fell_due:
            return None
        return (self.fulfilled_on_time + LATE_CREDIT * self.fulfilled_late) / self.fell_due


@dataclass(frozen=True, slots=True)
class UnitRecord:
    unit_code: str
    name: str
    kind: str
    counts: StatusCounts
    checks_passed: int
    checks_total: int
    score: float | None
    rank: int | None = None


def count_statuses(statuses: Iterable[ObligationStatus]) -> StatusCounts:
    tally = dict.fromkeys((s.value for s in ObligationStatus), 0)
    for status in statuses:
        tally[status.value] += 1
    return StatusCounts(**tally)


def unit_records(
    plan: Plan,
    counts: dict[str, StatusCounts],
    probes: Iterable[ProbeFact],
) -> list[UnitRecord]:
    """Records of every unit that owes something or runs a portal, ranked best first."""
    latest = latest_reached_probes(probes)
    records = []
    for unit in plan.units:
        unit_counts = counts.get(unit.code, StatusCounts())
        if unit.code not in counts and unit.portal is None:
            continue
        probe = latest.get(unit.code)
        passed = sum(c.passed for c in probe.checks) if probe else 0
        total = len(probe.checks) if probe else 0
        parts = [
            part
            for part in (unit_counts.obligations_score(), passed / total if total else None)
            if part is not None
        ]
        score = round(sum(parts) / len(parts), DECIMALS) if parts else None
        records.append(
            UnitRecord(unit.code, unit.name, unit.kind, unit_counts, passed, total, score)
        )
    return rank(records)


def rank(records: list[UnitRecord]) -> list[UnitRecord]:
    """Best score first, fewer overdue breaking ties; equal keys share a rank (1, 2, 2, 4)."""

    def key(r: UnitRecord) -> tuple[bool, float, int]:
        return (r.score is None, -(r.score or 0.0), r.counts.overdue)

    ordered = sorted(records, key=lambda r: (*key(r), r.unit_code))
    ranked: list[UnitRecord] = []
    for position, record in enumerate(ordered, 1):
        same = ranked and key(ranked[-1]) == key(record)
        place = ranked[-1].rank if same else position
        ranked.append(
            UnitRecord(
                record.unit_code,
                record.name,
                record.kind,
                record.counts,
                record.checks_passed,
                record.checks_total,
                record.score,
                None if record.score is None else place,
            )
        )
    return ranked


def records_from_obligations(
    plan: Plan, obligations: Iterable[Obligation], probes: Iterable[ProbeFact], now: datetime
) -> list[UnitRecord]:
    """The pure path (rebuild, tests): count statuses at `now`, then rank."""
    by_unit: dict[str, list[ObligationStatus]] = {}
    for ob in obligations:
        by_unit.setdefault(ob.unit_code, []).append(ob.status(now))
    counts = {unit: count_statuses(statuses) for unit, statuses in by_unit.items()}
    return unit_records(plan, counts, probes)
