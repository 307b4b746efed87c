"""The delivery queue: notices recorded by a round, claimed and sent one at a time (the caller
owns the transaction).

Queue discipline for exactly-once (docs/decisions, notifier exactly-once):
- `claim` moves one notice to 'sending' and commits before the SMTP conversation starts;
- `mark_sent` commits 'sent' and the outgoing events right after the server's 250;
- `recover_stale` finds notices left 'sending' by a dead process once their lease ran out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.db import notice_items, notices, obligations
from notifier.domain.sent import ClaimedNotice, NoticeItemRow


async def recover_stale(
    session: AsyncSession, lease: timedelta, policy: str
) -> list[tuple[str, str]]:
    """Notices left 'sending' past their lease (their process died): back to 'pending' to be
    re-sent with the same Message-ID ("resend"), or 'uncertain' for an operator ("hold")."""
    state = "pending" if policy == "resend" else "uncertain"
    result = await session.execute(
        update(notices)
        .where(notices.c.state == "sending", notices.c.claimed_at < func.now() - lease)
        .values(
            state=state,
            claimed_at=None,
            last_error="found 'sending' after its lease ran out: the sender died mid-send",
        )
        .returning(notices.c.notice_key, notices.c.stage)
    )
    return [(r.notice_key, r.stage) for r in result]


def _has_open_obligation() -> ColumnElement[bool]:
    """The notice speaks of an obligation not fulfilled (or no longer known: counted open)."""
    open_item = (
        select(literal(1))
        .select_from(
            notice_items.outerjoin(
                obligations, obligations.c.obligation_id == notice_items.c.obligation_id
            )
        )
        .where(
            notice_items.c.notice_key == notices.c.notice_key,
            obligations.c.fulfilled_at.is_(None),
        )
    )
    return exists(open_item)


# Notices in these states are done with; any other needs the sender or an operator.
FINISHED_STATES = ("sent", "dead", "cancelled")


def expired_notices(older_than: timedelta) -> ColumnElement[bool]:
    """Retention: a finished notice decided more than `older_than` ago, all of whose obligations
    are fulfilled. Its items are what stops the ladder deciding the same notice again, so a notice
    about an obligation still open is kept however old it is: no e-mail is ever sent twice."""
    return and_(
        notices.c.state.in_(FINISHED_STATES),
        notices.c.created_at < func.now() - older_than,
        ~_has_open_obligation(),
    )


async def cancel_moot(session: AsyncSession) -> list[tuple[str, str]]:
    """Pending notices whose every obligation has since been fulfilled are not sent."""
    result = await session.execute(
        update(notices)
        .where(notices.c.state == "pending", ~_has_open_obligation())
        .values(state="cancelled")
        .returning(notices.c.notice_key, notices.c.stage)
    )
    return [(r.notice_key, r.stage) for r in result]


async def due_notice_keys(session: AsyncSession, limit: int) -> list[str]:
    result = await session.execute(
        select(notices.c.notice_key)
        .where(notices.c.state == "pending", notices.c.next_attempt_at <= func.now())
        .order_by(notices.c.next_attempt_at, notices.c.created_at)
        .limit(limit)
    )
    return list(result.scalars())


async def claim(session: AsyncSession, notice_key: str) -> ClaimedNotice | None:
    """Take one pending notice for sending (None if another worker took it first)."""
    result = await session.execute(
        update(notices)
        .where(
            notices.c.notice_key == notice_key,
            notices.c.state == "pending",
            notices.c.next_attempt_at <= func.now(),
        )
        .values(state="sending", attempts=notices.c.attempts + 1, claimed_at=func.now())
        .returning(
            notices.c.notice_key,
            notices.c.recipient_unit,
            notices.c.recipient_email,
            notices.c.stage,
            notices.c.round_id,
            notices.c.message_id,
            notices.c.message,
            notices.c.attempts,
        )
    )
    row = result.first()
    return None if row is None else ClaimedNotice(**row._asdict())


async def mark_sent(
    session: AsyncSession, notice_key: str, sent_at: datetime
) -> list[NoticeItemRow] | None:
    """'sent', and the notice's items (for the events); None if it was not 'sending'."""
    result = await session.execute(
        update(notices)
        .where(notices.c.notice_key == notice_key, notices.c.state == "sending")
        .values(state="sent", sent_at=sent_at, last_error=None)
        .returning(notices.c.notice_key)
    )
    if result.first() is None:
        return None
    items = await session.execute(
        select(notice_items.c.obligation_id, notice_items.c.stage, notice_items.c.subject_unit)
        .where(notice_items.c.notice_key == notice_key)
        .order_by(notice_items.c.obligation_id)
    )
    return [NoticeItemRow(r.obligation_id, r.stage, r.subject_unit) for r in items]


async def mark_failed(
    session: AsyncSession, notice_key: str, error: str, retry_in: float | None
) -> None:
    """Back to 'pending' after `retry_in` seconds, or 'dead' when there is no retry left."""
    values: dict[str, object] = {"last_error": error[:4000], "claimed_at": None}
    if retry_in is None:
        values["state"] = "dead"
    else:
        values["state"] = "pending"
        values["next_attempt_at"] = func.now() + timedelta(seconds=retry_in)
    await session.execute(
        update(notices)
        .where(notices.c.notice_key == notice_key, notices.c.state == "sending")
        .values(**values)
    )


async def queue_depth(session: AsyncSession) -> dict[str, int]:
    result = await session.execute(
        select(notices.c.state, func.count())
        .where(notices.c.state.in_(("pending", "sending", "dead", "uncertain")))
        .group_by(notices.c.state)
    )
    depth = {"pending": 0, "sending": 0, "dead": 0, "uncertain": 0}
    depth.update({row.state: int(row[1]) for row in result})
    return depth
