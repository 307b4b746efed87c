"""Scoring's Prometheus series, refreshed from the database (so every replica agrees)."""

from __future__ import annotations

from datetime import datetime

from prometheus_client import Gauge

from minhbach.db.session import Session
from minhbach.events.catalogue import ObligationStatus
from scoring.domain.readiness import ReadinessModel
from scoring.store import figures, ledger

INDICATOR_READINESS = Gauge(
    "minhbach_scoring_indicator_readiness", "Readiness of each indicator (0..1)", ["indicator"]
)
OVERALL_READINESS = Gauge(
    "minhbach_scoring_overall_readiness", "Mean readiness of the indicators with data (0..1)"
)
INDICATOR_HAS_DATA = Gauge(
    "minhbach_scoring_indicator_has_data",
    "1 if some signal of the indicator has data, 0 if none has (its readiness says nothing)",
    ["indicator"],
)
SIGNALS_WITHOUT_DATA = Gauge(
    "minhbach_scoring_indicator_signals_without_data",
    "Signals of the indicator with no data yet, left out of its readiness",
    ["indicator"],
)
TARGET_SHARE = Gauge(
    "minhbach_scoring_target_share", "The plan's overall target as a share of its scale (0..1)"
)
OBLIGATIONS = Gauge("minhbach_scoring_obligations", "Obligations by status", ["status"])
UNIT_OVERDUE = Gauge("minhbach_scoring_unit_overdue", "Overdue obligations per unit", ["unit"])


async def refresh(session: Session, model: ReadinessModel, now: datetime) -> None:
    rows = await figures.stored(session)
    known = []
    for row in rows:
        figure = figures.figure_from_row(row)
        label = str(row.indicator)
        INDICATOR_READINESS.labels(label).set(row.readiness)
        INDICATOR_HAS_DATA.labels(label).set(int(figure.has_data))
        SIGNALS_WITHOUT_DATA.labels(label).set(len(figure.without_data))
        if figure.has_data:
            known.append(row.readiness)
    OVERALL_READINESS.set(sum(known) / len(known) if known else 0.0)
    target = model.plan.meta.overall_target
    TARGET_SHARE.set(target.share)

    by_status = dict.fromkeys((s.value for s in ObligationStatus), 0)
    overdue: dict[str, int] = {}
    for unit, status, count in await ledger.status_counts(session, now):
        by_status[status] = by_status.get(status, 0) + count
        if status == ObligationStatus.OVERDUE.value:
            overdue[unit] = count
    for status, count in by_status.items():
        OBLIGATIONS.labels(status).set(count)
    for unit in model.rules.plan_units():
        UNIT_OVERDUE.labels(unit).set(overdue.get(unit, 0))
    for unit, count in overdue.items():
        UNIT_OVERDUE.labels(unit).set(count)
