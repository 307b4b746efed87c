"""Reporting's drafts waiting to be mailed, and the notices recorded for them (a notice per
recipient, with the exact bytes to send)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.db import draft_mails, notice_items, notices


async def remember_draft(session: AsyncSession, draft_id: UUID, event: dict[str, Any]) -> None:
    """Remember the draft (`event`: its announcement as JSON) until its file is fetched (a
    repeated event changes nothing)."""
    await session.execute(
        pg_insert(draft_mails).values(draft_id=draft_id, event=event).on_conflict_do_nothing()
    )


async def waiting_drafts(session: AsyncSession, batch: int) -> Sequence[Any]:
    """The oldest drafts still waiting (rows of `draft_id`, `event`)."""
    return (
        await session.execute(
            select(draft_mails.c.draft_id, draft_mails.c.event)
            .where(draft_mails.c.state == "waiting")
            .order_by(draft_mails.c.received_at)
            .limit(batch)
        )
    ).all()


async def draft_failed(session: AsyncSession, draft_id: UUID, error: str) -> None:
    await session.execute(
        update(draft_mails)
        .where(draft_mails.c.draft_id == draft_id)
        .values(attempts=draft_mails.c.attempts + 1, last_error=error[:2000])
    )


async def mark_recorded(session: AsyncSession, draft_id: UUID) -> bool:
    """Mark a waiting draft recorded; False when another replica recorded it."""
    marked = await session.execute(
        update(draft_mails)
        .where(draft_mails.c.draft_id == draft_id, draft_mails.c.state == "waiting")
        .values(state="recorded", last_error=None)
        .returning(draft_mails.c.draft_id)
    )
    return marked.first() is not None


async def record_draft_notice(
    session: AsyncSession,
    *,
    key: str,
    recipient: str,
    recipient_email: str,
    stage: str,
    round_id: str,
    message_id: str,
    subject: str,
    message: bytes,
    obligation_id: str,
    subject_unit: str,
    now: datetime,
) -> None:
    """A 'pending' notice with its one item (the item's key makes it once per recipient)."""
    await session.execute(
        insert(notices).values(
            notice_key=key,
            recipient_unit=recipient,
            recipient_email=recipient_email,
            stage=stage,
            round_id=round_id,
            message_id=message_id,
            subject=subject,
            message=message,
            state="pending",
            decided_at=now,
        )
    )
    await session.execute(
        insert(notice_items).values(
            recipient_unit=recipient,
            obligation_id=obligation_id,
            stage=stage,
            repeat_no=0,
            generation="",
            subject_unit=subject_unit,
            notice_key=key,
        )
    )
