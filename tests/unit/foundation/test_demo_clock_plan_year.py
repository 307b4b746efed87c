"""`make run`'s demo clock runs in the plan's own year: a 2026 plan starts on 30/09/2026, and a
reading left by another plan's older run does not drag it back (decision 0013)."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from minhbach.calendar import TZ
from minhbach.clock import ScaledClock
from minhbach.settings import REPO_ROOT, Settings
from minhbach_dev import demo_clock
from minhbach_dev.run import DEMO_CLOCK_SPEED, DEMO_CLOCK_START, _demo_clock

PROVINCE = REPO_ROOT / "shared" / "plans" / "bac-ninh-2026.yaml"
START_2026 = datetime(2026, 9, 30, 7, tzinfo=TZ)


def test_a_2026_plan_starts_in_2026(tmp_path: Path) -> None:
    clock = _demo_clock(Settings(var_dir=tmp_path, plan_file=PROVINCE))
    assert clock is not None and clock.start == START_2026


def test_an_older_plans_reading_is_not_resumed(tmp_path: Path) -> None:
    seed_run = ScaledClock(start=DEMO_CLOCK_START, speed=DEMO_CLOCK_SPEED, anchor=time.time())
    with demo_clock.kept(seed_run, tmp_path):
        pass
    assert demo_clock.resume_point(tmp_path) is not None
    clock = _demo_clock(Settings(var_dir=tmp_path, plan_file=PROVINCE))
    assert clock is not None and clock.start == START_2026


def test_the_same_plans_reading_is_resumed(tmp_path: Path) -> None:
    later = ScaledClock(start=START_2026, speed=DEMO_CLOCK_SPEED, anchor=time.time() - 60)
    with demo_clock.kept(later, tmp_path):
        pass
    stopped = demo_clock.resume_point(tmp_path)
    assert stopped is not None and stopped > START_2026
    clock = _demo_clock(Settings(var_dir=tmp_path, plan_file=PROVINCE))
    assert clock is not None and clock.start == stopped
