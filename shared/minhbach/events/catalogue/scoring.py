"""Scoring's events: an indicator's figure moved, an obligation's status changed."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from minhbach.events.base import Event
from minhbach.events.catalogue.parts import Part


class Signal(Part):
    name: str
    value: float
    weight: float
    evidence: str = ""
    # Scoring (additive, decision 0014): False when there is nothing to count yet; the signal
    # is then left out of the indicator's readiness (weights renormalised) and `missing` says
    # why, in Vietnamese.
    has_data: bool = True
    missing: str = ""


class IndicatorChanged(Event):
    """An indicator's readiness figure moved."""

    subject = "scoring.indicator.changed"

    indicator: int
    readiness: float
    previous: float | None
    signals: tuple[Signal, ...]
    computed_at: datetime
    caused_by: UUID | None = None
    # Scoring (additive): every input event whose effect this figure includes since the last
    # announcement (scoring recomputes figures a few milliseconds after a burst, not per event);
    # `caused_by` is the last of them.
    caused_by_events: tuple[UUID, ...] = ()


class ObligationKind(StrEnum):
    QUARTERLY_REPORT = "quarterly_report"
    ANNUAL_REPORT = "annual_report"
    FOCAL_QUARTERLY_REPORT = "focal_quarterly_report"
    FOCAL_ANNUAL_REPORT = "focal_annual_report"
    # Half-year and nine-month reports (the kind of a quarter or a year keeps its own name).
    PERIODIC_REPORT = "periodic_report"
    FOCAL_PERIODIC_REPORT = "focal_periodic_report"
    FIXED_DEADLINE_TASK = "fixed_deadline_task"
    DOCUMENT_POSTING = "document_posting"


class ObligationStatus(StrEnum):
    PENDING = "pending"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    FULFILLED_ON_TIME = "fulfilled_on_time"
    FULFILLED_LATE = "fulfilled_late"


class ObligationChanged(Event):
    """An obligation appeared or was fulfilled; carries all the notifier needs."""

    subject = "scoring.obligation.changed"

    obligation_id: str
    unit_code: str
    kind: ObligationKind
    title: str
    due_at: datetime
    task_code: str | None = None
    period: str | None = None
    document_url: str | None = None
    fulfilled_at: datetime | None = None
    status: ObligationStatus
    # Scoring (additive): when "due soon" starts, the status announced before this one, the
    # document's kind for postings, and the event that caused the change (None: time passed).
    due_soon_at: datetime | None = None
    previous_status: ObligationStatus | None = None
    document_kind: str | None = None
    caused_by: UUID | None = None
