"""Posted promptly? Within the plan's window of working days after the date of issue.

A document's posting time is bounded by when the monitor first saw it (it may have been posted
earlier, never later): on time iff first seen before the exclusive due instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from minhbach.calendar import WorkingCalendar, start_of_day
from minhbach.plan import Plan
from portal_monitor.domain.checks import CopyFinding


def window_for_kind(plan: Plan, kind: str) -> int:
    """The shortest window of the after-issue/on-change tasks about `kind`, else the plan's."""
    windows = [
        task.timing.within_working_days
        for task in plan.tasks
        if kind in task.document_kinds and task.timing.within_working_days is not None
    ]
    return min(windows, default=plan.publication_window_working_days)


def publication_due(calendar: WorkingCalendar, issued_on: date, window: int) -> datetime:
    return calendar.deadline_after_working_days(start_of_day(issued_on), window)


def commune_copy_kinds(plan: Plan) -> frozenset[str]:
    """Kinds of district documents each commune portal must carry too."""
    monitoring = plan.portal_monitoring
    if monitoring is None:
        return frozenset()
    return frozenset(
        kind for code in monitoring.commune_copy_tasks for kind in plan.task(code).document_kinds
    )


@dataclass(frozen=True)
class DistrictDocument:
    title: str
    due_at: datetime


def copy_finding(
    document: DistrictDocument, commune_first_seen: datetime | None, now: datetime
) -> CopyFinding:
    if commune_first_seen is not None:
        on_time = commune_first_seen < document.due_at
        return CopyFinding(document.title, "on_time" if on_time else "late")
    return CopyFinding(document.title, "missing" if now >= document.due_at else "not_due")
