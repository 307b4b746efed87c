"""The one clock every service asks for "now".

Deadlines and probe schedules are computed from stored state and this clock, never from how long a
process has been up. A settable start and speed-up let `make run` walk through a reporting period in
minutes and let tests pin time exactly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class ScaledClock:
    """Reads `start` at wall-clock instant `anchor` (Unix time) and runs `speed` times faster.

    Processes given the same start, speed and anchor agree on "now" (`make run` passes one
    anchor to all services), however late each of them started.
    """

    start: datetime
    speed: float = 1.0
    anchor: float = field(default_factory=time.time)

    def now(self) -> datetime:
        elapsed = (time.time() - self.anchor) * self.speed
        return self.start.astimezone(UTC) + timedelta(seconds=elapsed)


@dataclass
class FixedClock:
    """A clock for tests: stands still until moved."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant

    def advance(self, delta: timedelta) -> None:
        self.instant += delta

    def set(self, instant: datetime) -> None:
        self.instant = instant


def clock_from_settings(start: datetime | None, speed: float, anchor: float | None = None) -> Clock:
    if start is None and speed == 1.0:
        return SystemClock()
    anchor = time.time() if anchor is None else anchor
    return ScaledClock(start=start or datetime.now(UTC), speed=speed, anchor=anchor)
