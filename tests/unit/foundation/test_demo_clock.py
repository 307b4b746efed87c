"""`make run`'s demo clock resumes where the last run stopped (issue 16), so stored facts never lie
in its future; on fresh data it starts at the demo's first instant."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from minhbach.clock import ScaledClock
from minhbach.settings import Settings
from minhbach_dev import demo_clock
from minhbach_dev.run import DEMO_CLOCK_SPEED, DEMO_CLOCK_START, _demo_clock


def test_fresh_data_starts_the_demo_year(tmp_path: Path) -> None:
    clock = _demo_clock(Settings(var_dir=tmp_path))
    assert clock is not None
    assert clock.start == DEMO_CLOCK_START and clock.speed == DEMO_CLOCK_SPEED


def test_a_second_run_resumes_where_the_first_stopped(tmp_path: Path) -> None:
    first = ScaledClock(start=DEMO_CLOCK_START, speed=DEMO_CLOCK_SPEED, anchor=time.time() - 300)
    with demo_clock.kept(first, tmp_path):
        pass  # a run of five minutes: the clock reads 60 hours later when it stops
    stopped = demo_clock.resume_point(tmp_path)
    assert stopped is not None
    assert stopped - DEMO_CLOCK_START >= timedelta(hours=60)
    second = _demo_clock(Settings(var_dir=tmp_path))
    assert second is not None and second.start == stopped
    assert second.now() >= stopped


def test_a_configured_clock_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / demo_clock.CLOCK_FILE).write_text('{"now": "2030-01-01T00:00:00+00:00"}')
    assert _demo_clock(Settings(var_dir=tmp_path, run_demo_clock=False)) is None
    configured = Settings(var_dir=tmp_path, clock_start=DEMO_CLOCK_START, clock_speed=60)
    assert _demo_clock(configured) is None


def test_an_unreadable_file_means_fresh_data(tmp_path: Path) -> None:
    (tmp_path / demo_clock.CLOCK_FILE).write_text("{not json")
    assert demo_clock.resume_point(tmp_path) is None
    (tmp_path / demo_clock.CLOCK_FILE).write_text('{"now": "2024-10-01T00:00:00"}')  # no zone
    assert demo_clock.resume_point(tmp_path) is None
