"""The facts a draft is built from, as reporting keeps them from events (each with its event id,
so a figure in a draft can be traced back)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from minhbach.events.catalogue import (
    CheckResult,
    ProbeOutcome,
    Signal,
    TaskReport,
)


@dataclass(frozen=True, slots=True)
class FiledReport:
    """The newest version of one unit's report for one period."""

    report_id: UUID
    version_no: int
    event_id: UUID
    unit_code: str
    period: str
    reporter: str
    submitted_at: datetime
    first_submitted_at: datetime
    due_at: datetime
    tasks: tuple[TaskReport, ...]
    analysis: str
    plan_year: int | None = None  # the year the period belongs to (a Q4 report comes in January)

    @property
    def late(self) -> bool:
        """Decided by the first version (a late correction of an on-time report is not late)."""
        return self.first_submitted_at >= self.due_at


@dataclass(frozen=True, slots=True)
class Figure:
    """An indicator's readiness as scoring last announced it."""

    indicator: int
    readiness: float
    signals: tuple[Signal, ...]
    computed_at: datetime
    event_id: UUID


@dataclass(frozen=True, slots=True)
class Probe:
    """A portal's newest inspection in a round."""

    portal_unit_code: str
    portal_url: str
    finished_at: datetime
    outcome: ProbeOutcome
    checks: tuple[CheckResult, ...]
    event_id: UUID


@dataclass(frozen=True, slots=True)
class PostedDocument:
    """A document found on a portal, with what portal-monitor concluded about it.
    `full_text_available`: the file was checked and is there; `no_full_text`: its absence is
    established (`PortalDocument.full_text_absent`); neither: not known yet, so not accused."""

    document_id: UUID
    portal_unit_code: str
    url: str
    title: str
    section: str
    kind: str
    issued_on: date | None
    first_seen_at: datetime
    full_text_available: bool
    posted_on_time: bool | None
    not_directive: bool | None
    event_id: UUID
    no_full_text: bool = False
