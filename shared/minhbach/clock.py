"""The one clock every service asks for "now".

Deadlines and probe schedules are computed from stored state and this clock, never from how long a
process has been up. A settable start and speed-up let `make run` walk through a reporting period in
minutes and let tests pin time exactly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
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

    With `anchor_file`, the anchor is not known when the processes start: the clock stands at
    `start` until the file holds the Unix time (written once every process is ready, so a fast
    clock's first clock days are not spent while ten Python processes import their libraries,
    which takes 8 s on an idle 2-core machine and up to a minute on a loaded one; decision 0019).
    """

    start: datetime
    speed: float = 1.0
    anchor: float = field(default_factory=time.time)
    anchor_file: Path | None = None

    def now(self) -> datetime:
        if self.anchor_file is not None and not self._read_anchor(self.anchor_file):
            return self.start.astimezone(UTC)
        # Before its anchor the clock stands at `start`: an anchor set a moment ahead (so every
        # process starts together) must not run a fast clock backwards into the days before.
        elapsed = max(0.0, time.time() - self.anchor) * self.speed
        return self.start.astimezone(UTC) + timedelta(seconds=elapsed)

    def _read_anchor(self, path: Path) -> bool:
        try:
            self.anchor = float(path.read_text())
        except (FileNotFoundError, ValueError):  # not written yet (it is written atomically)
            return False
        self.anchor_file = None
        return True


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


def clock_from_settings(
    start: datetime | None,
    speed: float,
    anchor: float | None = None,
    anchor_file: Path | None = None,
) -> Clock:
    if start is None and speed == 1.0:
        return SystemClock()
    anchor = time.time() if anchor is None else anchor
    return ScaledClock(
        start=start or datetime.now(UTC), speed=speed, anchor=anchor, anchor_file=anchor_file
    )
