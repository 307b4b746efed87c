"""A scaled clock whose anchor is written later (decision 0019): it stands at its start until the
file holds the Unix time, then runs from there in every process that reads it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from minhbach.clock import ScaledClock, clock_from_settings
from minhbach.settings import Settings

START = datetime(2024, 9, 10, tzinfo=UTC)


def test_the_clock_stands_at_its_start_until_the_anchor_is_written(tmp_path: Path) -> None:
    anchor_file = tmp_path / "anchor"
    clock = ScaledClock(start=START, speed=1000.0, anchor=0.0, anchor_file=anchor_file)
    assert clock.now() == START
    anchor_file.write_text("")  # created, not yet written: still standing
    assert clock.now() == START
    anchor_file.write_text(repr(time.time() - 2))
    assert START + timedelta(seconds=1900) < clock.now() < START + timedelta(seconds=3000)


def test_the_anchor_file_setting_reaches_the_clock(tmp_path: Path) -> None:
    settings = Settings(clock_start=START, clock_speed=10.0, clock_anchor_file=tmp_path / "a")
    clock = clock_from_settings(
        settings.clock_start, settings.clock_speed, None, settings.clock_anchor_file
    )
    assert clock.now() == START


def test_an_anchor_set_ahead_keeps_the_clock_at_its_start_until_then(tmp_path: Path) -> None:
    """Found by a year run: the run writes an anchor a moment ahead so both systems start
    together; a process reading it before that moment ran a fast clock days back, into the
    week before the span (an inspection round of 2023-W52 drafted in one run only)."""
    anchor_file = tmp_path / "anchor"
    anchor_file.write_text(repr(time.time() + 60))
    clock = ScaledClock(start=START, speed=65_700.0, anchor=0.0, anchor_file=anchor_file)
    assert clock.now() == START
