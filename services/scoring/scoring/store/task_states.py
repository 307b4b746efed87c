"""What each lead unit last reported of each task (only the plan's pairs are stored)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.events.catalogue import TaskStatus
from scoring import db
from scoring.domain.readiness import TaskState

# The second round trip of the report path (after `projections.save_report_and_lock`): task
# states are merged while the unit's obligations are read, once the lock is held.
_MERGE_AND_READ_OBLIGATIONS = text(
    f"""
    WITH merged AS (
        INSERT INTO {db.SCHEMA}.task_states AS old
            (task_code, unit_code, status, report_id, reported_at, version_no)
        SELECT task_code, unit_code, status, report_id, reported_at, version_no
        FROM jsonb_to_recordset(CAST(:states AS jsonb)) AS r(task_code text, unit_code text,
            status text, report_id uuid, reported_at timestamptz, version_no int)
        ON CONFLICT (task_code, unit_code) DO UPDATE SET status = EXCLUDED.status,
            report_id = EXCLUDED.report_id, reported_at = EXCLUDED.reported_at,
            version_no = EXCLUDED.version_no
        WHERE (EXCLUDED.reported_at, EXCLUDED.version_no, EXCLUDED.report_id)
            > (old.reported_at, old.version_no, old.report_id)
    )
    SELECT * FROM {db.SCHEMA}.obligations WHERE obligation_id = ANY(:ids)
    """
)


def _row(state: TaskState) -> dict[str, Any]:
    return {
        "task_code": state.task_code,
        "unit_code": state.unit_code,
        "status": state.status,
        "report_id": state.report_id,
        "reported_at": state.reported_at,
        "version_no": state.version_no,
    }


async def merge_and_read_obligations(
    session: AsyncSession, states: Iterable[TaskState], obligation_ids: Iterable[str]
) -> dict[str, Any]:
    """Merge task states (the latest report wins, by the rank of `TaskState.rank`: PostgreSQL
    orders uuids as their hex strings) and read the given obligations (by id), in one round
    trip; the lock must be held already (the read must come after it)."""
    rows = [
        {**_row(s), "report_id": str(s.report_id), "reported_at": s.reported_at.isoformat()}
        for s in states
    ]
    found = await session.execute(
        _MERGE_AND_READ_OBLIGATIONS, {"states": json.dumps(rows), "ids": list(obligation_ids)}
    )
    return {r.obligation_id: r._mapping for r in found}


async def replace(
    session: AsyncSession, states: Iterable[TaskState], unit_code: str | None = None
) -> None:
    """Replace one unit's rows (or, with no unit, every row)."""
    query = delete(db.task_states)
    if unit_code is not None:
        query = query.where(db.task_states.c.unit_code == unit_code)
    await session.execute(query)
    rows = [_row(s) for s in states]
    if rows:
        await session.execute(pg_insert(db.task_states), rows)


async def count_states(
    session: AsyncSession, task_codes: Iterable[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """Done and reported (any status) (task, lead unit) pairs per task, in one query."""
    c = db.task_states.c
    rows = await session.execute(
        select(
            c.task_code,
            func.count().filter(c.status == TaskStatus.DONE.value),
            func.count(),
        )
        .where(c.task_code.in_(list(task_codes)))
        .group_by(c.task_code)
    )
    done, reported = {}, {}
    for code, done_count, reported_count in rows:
        done[code], reported[code] = int(done_count), int(reported_count)
    return done, reported


async def load(
    session: AsyncSession, task_codes: Iterable[str] | None = None, *, done_only: bool = False
) -> dict[tuple[str, str], TaskState]:
    query = select(db.task_states)
    if task_codes is not None:
        query = query.where(db.task_states.c.task_code.in_(list(task_codes)))
    if done_only:
        query = query.where(db.task_states.c.status == TaskStatus.DONE.value)
    return {
        (r.task_code, r.unit_code): TaskState(
            r.task_code, r.unit_code, r.status, r.report_id, r.reported_at, r.version_no
        )
        for r in await session.execute(query)
    }
