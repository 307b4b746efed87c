"""Retention on real PostgreSQL: what the guarantees still need stays, the rest is deleted.

Rows are aged by moving their timestamps back on the database's clock (what retention measures).
Every row here has ids of its own, so other tests' rows in the shared tables do not matter.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from functools import partial
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from intake.db import messaging
from minhbach.messaging.retention import delete_in_batches, messaging_purges, run_purges
from minhbach.runtime import retention_loop
from minhbach.settings import Settings
from notifier.db import notice_items, notices, obligations
from notifier.store import deliveries

DAY = timedelta(days=1)


NOW = datetime.now(UTC)  # the database runs on this machine: the same clock


def ago(delta: timedelta) -> datetime:
    return NOW - delta


async def test_outbox_keeps_unpublished_and_recent_rows_and_inbox_keeps_recent_ids(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    outbox, inbox = messaging.outbox, messaging.inbox
    old_published, new_published, old_unpublished = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    old_handled, new_handled = uuid.uuid4(), uuid.uuid4()
    row = {"subject": "intake.report.submitted", "payload": "{}"}
    async with sessions() as session, session.begin():
        await session.execute(
            insert(outbox),
            [
                {**row, "event_id": old_published, "created_at": ago(9 * DAY)},
                {**row, "event_id": new_published, "created_at": ago(DAY)},
                {**row, "event_id": old_unpublished, "created_at": ago(90 * DAY)},
            ],
        )
        await session.execute(
            outbox.update()
            .where(outbox.c.event_id.in_([old_published]))
            .values(published_at=ago(8 * DAY))
        )
        await session.execute(
            outbox.update()
            .where(outbox.c.event_id.in_([new_published]))
            .values(published_at=ago(DAY))
        )
        await session.execute(
            insert(inbox),
            [
                {
                    "event_id": old_handled,
                    "consumer": "a",
                    "subject": "s",
                    "handled_at": ago(31 * DAY),
                },
                {"event_id": old_handled, "consumer": "b", "subject": "s", "handled_at": ago(DAY)},
                {
                    "event_id": new_handled,
                    "consumer": "a",
                    "subject": "s",
                    "handled_at": ago(29 * DAY),
                },
            ],
        )

    counts = await run_purges(messaging_purges(sessions, messaging, settings))

    assert counts["outbox"] >= 1 and counts["inbox"] >= 1
    async with sessions() as session:
        kept_outbox = set(await session.scalars(select(outbox.c.event_id)))
        kept_inbox = set(
            (r.event_id, r.consumer)
            for r in await session.execute(select(inbox.c.event_id, inbox.c.consumer))
        )
    assert old_published not in kept_outbox
    assert {new_published, old_unpublished} <= kept_outbox  # unpublished: never deleted
    assert (old_handled, "a") not in kept_inbox
    assert {(old_handled, "b"), (new_handled, "a")} <= kept_inbox


def test_settings_refuse_an_inbox_shorter_than_the_duplicate_window() -> None:
    with pytest.raises(ValueError, match="duplicate window"):
        Settings(inbox_retention_days=1, duplicate_window_seconds=2 * 86400)


async def _obligation(session: AsyncSession, fulfilled: bool) -> str:
    obligation_id = f"retention-{uuid.uuid4().hex}"
    now = datetime.now(UTC)
    await session.execute(
        insert(obligations).values(
            obligation_id=obligation_id,
            unit_code="retention-test",
            kind="report",
            title="Báo cáo quý",
            due_at=now,
            fulfilled_at=now if fulfilled else None,
            status="fulfilled" if fulfilled else "overdue",
            event_at=now,
        )
    )
    return obligation_id


async def _notice(session: AsyncSession, state: str, age: timedelta, obligation_id: str) -> str:
    key = uuid.uuid4().hex
    await session.execute(
        insert(notices).values(
            notice_key=key,
            recipient_unit="retention-test",
            recipient_email="vt@example.invalid",
            stage="overdue",
            round_id="r1",
            message_id=f"<{key}@minhbach>",
            subject="Quá hạn",
            message=b"...",
            state=state,
            decided_at=datetime.now(UTC),
            created_at=ago(age),
        )
    )
    await session.execute(
        insert(notice_items).values(
            recipient_unit="retention-test",
            obligation_id=obligation_id,
            stage="overdue",
            repeat_no=0,
            generation=key,
            subject_unit="retention-test",
            notice_key=key,
        )
    )
    return key


async def test_a_notice_is_deleted_only_when_finished_old_and_about_fulfilled_obligations(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    old, recent = 401 * DAY, 10 * DAY
    async with sessions() as session, session.begin():
        fulfilled = await _obligation(session, fulfilled=True)
        still_open = await _obligation(session, fulfilled=False)
        expired = await _notice(session, "sent", old, fulfilled)
        dead = await _notice(session, "dead", old, fulfilled)
        about_open = await _notice(session, "sent", old, still_open)
        uncertain = await _notice(session, "uncertain", old, fulfilled)
        young = await _notice(session, "sent", recent, fulfilled)
        unknown = await _notice(session, "sent", old, f"gone-{uuid.uuid4().hex}")

    purge = partial(
        delete_in_batches, sessions, notices, deliveries.expired_notices(400 * DAY), "notice_key"
    )
    assert await purge() >= 2

    async with sessions() as session:
        kept = set(await session.scalars(select(notices.c.notice_key)))
        items = set(await session.scalars(select(notice_items.c.notice_key)))
    assert expired not in kept and dead not in kept and expired not in items  # items cascade
    # The ladder could decide these again if they went: kept however old.
    assert {about_open, uncertain, young, unknown} <= kept


async def test_the_runtime_runs_the_messaging_purges_and_the_services_own(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    ran = asyncio.Event()

    async def own_purge() -> int:
        ran.set()
        return 0

    runtime = SimpleNamespace(
        sessions=sessions, tables=messaging, settings=settings, purges={"own": own_purge}
    )
    loop = asyncio.create_task(retention_loop(runtime))  # type: ignore[arg-type]
    try:
        await asyncio.wait_for(ran.wait(), timeout=30)
    finally:
        loop.cancel()
