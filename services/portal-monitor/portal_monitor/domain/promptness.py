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


@dataclass(frozen=True)
class SourceDocument:
    """A document on a source portal of a copy duty (`portal_monitoring.copy_duties`)."""

    title: str
    due_at: datetime  # the source's own publication deadline
    issued_on: date | None = None
    source_unit: str = ""
    key: str = ""  # the document's identity (several duties may name the same document)
    number: str | None = None  # its own number, when read (tells a re-posted national text)


def copy_due(
    calendar: WorkingCalendar, document: SourceDocument, within_working_days: int | None
) -> datetime:
    """When the copy is due: the duty's own window after issue, else the source's deadline."""
    if within_working_days is None or document.issued_on is None:
        return document.due_at
    return publication_due(calendar, document.issued_on, within_working_days)


def copy_finding(
    document: SourceDocument,
    first_seen: datetime | None,
    now: datetime,
    due_at: datetime | None = None,
    source: str = "",
) -> CopyFinding:
    """Whether this portal carries `document` (first seen here at `first_seen`) by `due_at`."""
    due = document.due_at if due_at is None else due_at
    if first_seen is not None:
        return CopyFinding(document.title, "on_time" if first_seen < due else "late", source)
    return CopyFinding(document.title, "missing" if now >= due else "not_due", source)


def copy_judged(copy_due_at: datetime, monitoring_since: datetime | None) -> bool:
    """A copy is judged on a portal only when its window ends after monitoring of that portal
    began: before that, when the copy appeared cannot be known (a copy seen on the first sweep
    of a portal may have been posted in time long ago), so it is neither late nor missing."""
    return monitoring_since is None or copy_due_at > monitoring_since
