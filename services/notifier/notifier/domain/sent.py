"""A notice claimed for sending, its items, and the events its sending makes:
`notifier.notice.sent` and, for each escalation item, `notifier.escalation.raised`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from minhbach.events.base import Event
from minhbach.events.catalogue import EscalationRaised, NoticeSent
from notifier.domain.ladder import ESCALATE_PREFIX


@dataclass(frozen=True)
class ClaimedNotice:
    notice_key: str
    recipient_unit: str
    recipient_email: str
    stage: str
    round_id: str
    message_id: str
    message: bytes
    attempts: int


@dataclass(frozen=True)
class NoticeItemRow:
    obligation_id: str
    stage: str
    subject_unit: str


def sent_events(
    claimed: ClaimedNotice, items: Sequence[NoticeItemRow], sent_at: datetime
) -> list[Event]:
    events: list[Event] = [
        NoticeSent(
            notice_key=claimed.notice_key,
            recipient_unit=claimed.recipient_unit,
            recipient_email=claimed.recipient_email,
            stage=claimed.stage,
            obligation_ids=tuple(sorted({i.obligation_id for i in items})),
            sent_at=sent_at,
            message_id=claimed.message_id,
            round_id=claimed.round_id,
        )
    ]
    events += [
        EscalationRaised(
            obligation_id=i.obligation_id,
            unit_code=i.subject_unit,
            level=i.stage.removeprefix(ESCALATE_PREFIX),
            raised_at=sent_at,
            recipient_unit=claimed.recipient_unit,
            notice_key=claimed.notice_key,
        )
        for i in items
        if i.stage.startswith(ESCALATE_PREFIX)
    ]
    return events
