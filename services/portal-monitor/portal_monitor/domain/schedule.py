"""How late the probe schedule runs: the figure behind the overdue alert (decision 0018)."""

from __future__ import annotations

from datetime import datetime


def overdue_seconds(oldest_due: datetime | None, now: datetime, clock_speed: float) -> float:
    """Real seconds the longest-waiting due portal has waited (0 when none is due).

    The schedule runs on the plan's clock, which `make run` speeds up; the wait is divided by the
    clock's speed so that the alert's threshold means the same real delay in a demo and in
    production (speed 1)."""
    if oldest_due is None or oldest_due >= now:
        return 0.0
    return (now - oldest_due).total_seconds() / clock_speed
