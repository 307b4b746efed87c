"""What the notifier keeps of other services' events, as the rows its store writes: each
obligation's newest state, each portal's last probe. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from minhbach.events.catalogue import (
    ObligationChanged,
    ObligationStatus,
    ProbeFinished,
    ProbeOutcome,
)

FULFILLED = frozenset({ObligationStatus.FULFILLED_ON_TIME, ObligationStatus.FULFILLED_LATE})


def obligation_row(event: ObligationChanged) -> dict[str, Any]:
    """An obligation's state as stored; fulfilled without an instant: when the event says so."""
    fulfilled_at = event.fulfilled_at
    if fulfilled_at is None and event.status in FULFILLED:
        fulfilled_at = event.occurred_at
    return {
        "obligation_id": event.obligation_id,
        "unit_code": event.unit_code,
        "kind": str(event.kind),
        "title": event.title,
        "due_at": event.due_at,
        "task_code": event.task_code,
        "period": event.period,
        "document_url": event.document_url,
        "fulfilled_at": fulfilled_at,
        "status": str(event.status),
        "event_at": event.occurred_at,
    }


@dataclass(frozen=True)
class ProbeSeen:
    """A portal's probe as the outage count needs it (`down`: unreachable)."""

    unit_code: str
    portal_url: str
    finished_at: datetime
    outcome: str
    down: bool


def probe_seen(event: ProbeFinished) -> ProbeSeen:
    return ProbeSeen(
        unit_code=event.portal_unit_code,
        portal_url=event.portal_url,
        finished_at=event.finished_at,
        outcome=str(event.outcome),
        down=event.outcome is ProbeOutcome.UNREACHABLE,
    )
