"""The demo clock of `make run` resumes where it stopped (issue 16).

A second `make run` on the same data must not start the year over: the stored probes, reports
and notices of the first run would then lie in the clock's future, and every portal probed then
would wait until the clock caught up. The runner keeps the clock's reading in `var/demo-clock.json`
(every second while it runs, and once more as it stops) and the next run starts from there.
`make clean` wipes `var/`, data and clock together, to start the demo year afresh.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from minhbach.clock import ScaledClock

CLOCK_FILE = "demo-clock.json"
SAVE_EVERY_SECONDS = 1.0


def resume_point(var_dir: Path) -> datetime | None:
    """The instant the last run's demo clock read when it stopped; None on fresh data."""
    try:
        saved = json.loads((var_dir / CLOCK_FILE).read_text(encoding="utf-8"))
        instant = datetime.fromisoformat(saved["now"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return instant if instant.tzinfo is not None else None


@contextlib.contextmanager
def kept(clock: ScaledClock, var_dir: Path) -> Iterator[None]:
    """Save the clock's reading every second while the block runs, and at its end."""
    stop = threading.Event()

    def keep() -> None:
        while not stop.wait(SAVE_EVERY_SECONDS):
            _save(clock, var_dir)

    keeper = threading.Thread(target=keep, name="demo-clock", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stop.set()
        keeper.join()
        _save(clock, var_dir)


def _save(clock: ScaledClock, var_dir: Path) -> None:
    path = var_dir / CLOCK_FILE
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps({"now": clock.now().isoformat()}) + "\n", encoding="utf-8")
    scratch.replace(path)  # atomically: a run killed mid-write leaves the previous reading
