"""The figure behind the overdue-probe alert: real seconds, whatever the clock's speed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal_monitor.domain.schedule import overdue_seconds

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_nothing_due_is_not_overdue() -> None:
    assert overdue_seconds(None, NOW, 1.0) == 0.0
    assert overdue_seconds(NOW + timedelta(minutes=5), NOW, 1.0) == 0.0


def test_the_wait_of_the_oldest_due_portal_in_real_seconds() -> None:
    assert overdue_seconds(NOW - timedelta(minutes=20), NOW, 1.0) == 1200.0
    # make run's clock at 720x: 12 clock hours waited are one real minute
    assert overdue_seconds(NOW - timedelta(hours=12), NOW, 720.0) == 60.0
