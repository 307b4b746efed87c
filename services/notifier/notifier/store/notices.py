"""The notifier's facts and decisions, read and written through a session (the caller owns
the transaction): obligations and portal outages from events, the inputs and records of a sending
round, and what operators change (silences, requeues). The delivery queue is `deliveries.py`.

A notice and its items are recorded ('pending') in the transaction that decides them; the items'
primary key makes "this person was told this stage of this obligation" true at most once
(docs/decisions, notifier exactly-once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.compose import ComposedNotice
from notifier.db import notice_items, notices, obligations, portals, silences
from notifier.domain.facts import ProbeSeen
from notifier.domain.ladder import Digest, ItemKey, Obligation, PortalOutage, Silence

ROUND_LOCK = "notifier-sending-round"


# --- facts from events ------------------------------------------------------------------------


async def save_obligation(session: AsyncSession, values: dict[str, Any]) -> None:
    """Keep the newest state of each obligation (older events arriving late change nothing)."""
    stmt = pg_insert(obligations).values(**values)
    changed = {k: stmt.excluded[k] for k in values if k != "obligation_id"}
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[obligations.c.obligation_id],
            set_={**changed, "updated_at": func.now()},
            where=obligations.c.event_at <= stmt.excluded.event_at,
        )
    )


async def save_probe(session: AsyncSession, probe: ProbeSeen) -> None:
    """Count consecutive unreachable probes per portal; any answer ends the outage."""
    down = probe.down
    stmt = pg_insert(portals).values(
        unit_code=probe.unit_code,
        portal_url=probe.portal_url,
        last_probe_at=probe.finished_at,
        outcome=probe.outcome,
        unreachable_since=probe.finished_at if down else None,
        unreachable_probes=1 if down else 0,
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[portals.c.unit_code],
            set_={
                "portal_url": stmt.excluded.portal_url,
                "last_probe_at": stmt.excluded.last_probe_at,
                "outcome": stmt.excluded.outcome,
                "unreachable_since": (
                    func.coalesce(portals.c.unreachable_since, stmt.excluded.unreachable_since)
                    if down
                    else None
                ),
                "unreachable_probes": portals.c.unreachable_probes + 1 if down else 0,
            },
            where=portals.c.last_probe_at < stmt.excluded.last_probe_at,
        )
    )


# --- a sending round --------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundInputs:
    obligations: tuple[Obligation, ...]
    outages: tuple[PortalOutage, ...]
    silences: tuple[Silence, ...]
    already: frozenset[ItemKey]


async def try_lock_round(session: AsyncSession) -> bool:
    """One replica decides at a time (released at commit); the others skip this round."""
    result = await session.execute(
        select(func.pg_try_advisory_xact_lock(func.hashtext(literal(ROUND_LOCK))))
    )
    return bool(result.scalar_one())


async def load_round_inputs(session: AsyncSession, now: datetime) -> RoundInputs:
    open_rows = (
        await session.execute(select(obligations).where(obligations.c.fulfilled_at.is_(None)))
    ).all()
    outage_rows = (
        await session.execute(select(portals).where(portals.c.unreachable_probes > 0))
    ).all()
    silence_rows = (
        await session.execute(
            select(silences).where(silences.c.removed_at.is_(None), silences.c.until > now)
        )
    ).all()
    open_items = (
        select(notice_items)
        .join(obligations, obligations.c.obligation_id == notice_items.c.obligation_id)
        .where(obligations.c.fulfilled_at.is_(None))
    )
    portal_ids = [f"portal-down:{r.unit_code}" for r in outage_rows]
    portal_items = select(notice_items).where(notice_items.c.obligation_id.in_(portal_ids))
    already: set[ItemKey] = set()
    for query in (open_items, portal_items):
        for r in (await session.execute(query)).all():
            already.add((r.recipient_unit, r.obligation_id, r.stage, r.repeat_no, r.generation))
    return RoundInputs(
        obligations=tuple(
            Obligation(
                obligation_id=r.obligation_id,
                unit_code=r.unit_code,
                kind=r.kind,
                title=r.title,
                due_at=r.due_at,
                task_code=r.task_code,
                period=r.period,
                document_url=r.document_url,
            )
            for r in open_rows
        ),
        outages=tuple(
            PortalOutage(r.unit_code, r.unreachable_since, r.unreachable_probes, r.portal_url)
            for r in outage_rows
        ),
        silences=tuple(
            Silence(r.id, r.until, r.reason, r.unit_code, r.obligation_id) for r in silence_rows
        ),
        already=frozenset(already),
    )


async def record_notices(
    session: AsyncSession,
    decided: Sequence[tuple[Digest, ComposedNotice]],
    decided_at: datetime,
) -> None:
    """Record the round's notices ('pending') and their items, before anything is sent."""
    if not decided:
        return
    await session.execute(
        insert(notices),
        [
            {
                "notice_key": digest.key,
                "recipient_unit": digest.recipient,
                "recipient_email": digest.recipient_email,
                "stage": digest.stage,
                "round_id": digest.round_id,
                "message_id": composed.message_id,
                "subject": composed.subject,
                "message": composed.data,
                "state": "pending",
                "decided_at": decided_at,
            }
            for digest, composed in decided
        ],
    )
    await session.execute(
        insert(notice_items),
        [
            {
                "recipient_unit": item.recipient,
                "obligation_id": item.obligation_id,
                "stage": item.stage,
                "repeat_no": item.repeat_no,
                "generation": item.generation,
                "subject_unit": item.subject_unit,
                "notice_key": digest.key,
            }
            for digest, _ in decided
            for item in digest.items
        ],
    )


# --- operators --------------------------------------------------------------------------------


async def add_silence(
    session: AsyncSession,
    *,
    until: datetime,
    reason: str,
    unit_code: str | None = None,
    obligation_id: str | None = None,
    created_by: str = "",
) -> int:
    if (unit_code is None) == (obligation_id is None):
        raise ValueError("a silence names exactly one unit or one obligation")
    result = await session.execute(
        insert(silences)
        .values(
            unit_code=unit_code,
            obligation_id=obligation_id,
            until=until,
            reason=reason,
            created_by=created_by,
        )
        .returning(silences.c.id)
    )
    return int(result.scalar_one())


async def list_silences(
    session: AsyncSession, *, include_removed: bool = False
) -> list[dict[str, object]]:
    query = select(silences).order_by(silences.c.id)
    if not include_removed:
        query = query.where(silences.c.removed_at.is_(None))
    return [dict(r._mapping) for r in await session.execute(query)]


async def remove_silence(session: AsyncSession, silence_id: int) -> bool:
    result = await session.execute(
        update(silences)
        .where(silences.c.id == silence_id, silences.c.removed_at.is_(None))
        .values(removed_at=func.now())
        .returning(silences.c.id)
    )
    return result.first() is not None


async def list_notices(
    session: AsyncSession, states: Sequence[str], limit: int = 100
) -> list[dict[str, object]]:
    query = (
        select(
            notices.c.notice_key,
            notices.c.recipient_unit,
            notices.c.recipient_email,
            notices.c.stage,
            notices.c.state,
            notices.c.attempts,
            notices.c.last_error,
            notices.c.round_id,
            notices.c.decided_at,
            notices.c.sent_at,
        )
        .order_by(notices.c.created_at.desc())
        .limit(limit)
    )
    if states:
        query = query.where(notices.c.state.in_(tuple(states)))
    return [dict(r._mapping) for r in await session.execute(query)]


async def requeue(session: AsyncSession, notice_key: str) -> bool:
    """An operator sends a dead or uncertain notice again (same Message-ID), attempts reset."""
    result = await session.execute(
        update(notices)
        .where(
            notices.c.notice_key == notice_key,
            notices.c.state.in_(("dead", "uncertain")),
        )
        .values(state="pending", attempts=0, next_attempt_at=func.now(), last_error=None)
        .returning(notices.c.notice_key)
    )
    return result.first() is not None
