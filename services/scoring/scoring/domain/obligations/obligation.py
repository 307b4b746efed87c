"""What an obligation is: something one unit owes by a due instant (exclusive: on time iff done
before it). Its status is never stored as truth; it is derived from the due instant, the
fulfilment and "now"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from minhbach.events.catalogue import ObligationKind, ObligationStatus


@dataclass(frozen=True, slots=True)
class Obligation:
    obligation_id: str
    unit_code: str
    kind: ObligationKind
    title: str
    due_at: datetime
    due_soon_at: datetime  # from here until due_at the obligation is "due soon"
    task_code: str | None = None
    period: str | None = None
    document_id: UUID | None = None  # the document owed (for a copy: the district's original)
    document_kind: str | None = None
    document_url: str | None = None
    fulfilled_at: datetime | None = None
    fulfilled_by: str | None = None  # "report:<id>", "evidence:<id>", "document:<id>"

    def status(self, now: datetime) -> ObligationStatus:
        return derive_status(self.due_at, self.due_soon_at, self.fulfilled_at, now)

    @property
    def resolved_on_time(self) -> bool:
        return self.fulfilled_at is not None and self.fulfilled_at < self.due_at


def derive_status(
    due_at: datetime, due_soon_at: datetime, fulfilled_at: datetime | None, now: datetime
) -> ObligationStatus:
    if fulfilled_at is not None:
        if fulfilled_at < due_at:
            return ObligationStatus.FULFILLED_ON_TIME
        return ObligationStatus.FULFILLED_LATE
    if now >= due_at:
        return ObligationStatus.OVERDUE
    if now >= due_soon_at:
        return ObligationStatus.DUE_SOON
    return ObligationStatus.PENDING


@dataclass(frozen=True, slots=True)
class Fulfilment:
    at: datetime
    by: str


def earliest(candidates: Iterable[Fulfilment]) -> Fulfilment | None:
    """The first fulfilment; ties broken by reference so the result never depends on order."""
    return min(candidates, key=lambda f: (f.at, f.by), default=None)
