"""The notifier's events: a notice sent, an escalation raised."""

from __future__ import annotations

from datetime import datetime

from minhbach.events.base import Event


class NoticeSent(Event):
    """An e-mail left for a recipient (accepted by the SMTP server)."""

    subject = "notifier.notice.sent"

    notice_key: str
    recipient_unit: str
    recipient_email: str
    stage: str
    obligation_ids: tuple[str, ...]
    sent_at: datetime
    message_id: str | None = None  # stable per notice: a re-send after a crash carries the same
    round_id: str | None = None


class EscalationRaised(Event):
    """An overdue obligation was raised to the coordinator or the vice-chairman."""

    subject = "notifier.escalation.raised"

    obligation_id: str
    unit_code: str
    level: str
    raised_at: datetime
    recipient_unit: str | None = None  # the ladder step's unit (coordinator, vice-chairman)
    notice_key: str | None = None
