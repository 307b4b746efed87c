"""The facts reporting keeps from other services' events (one upsert each, in the consumer's
transaction; the rows are built by `domain/projections.py`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from reporting.db import (
    documents,
    figure_history,
    figures,
    probes,
    reports,
)

DRAFTING_LOCK = "reporting-drafting"


async def save_report(session: AsyncSession, values: dict[str, Any]) -> None:
    await _upsert(session, reports, values, ["report_id"], reports.c.version_no, "version_no")


async def save_figure(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(pg_insert(figure_history).values(**values).on_conflict_do_nothing())
    # Under a clock that stands still several announcements share `computed_at`.
    stmt = pg_insert(figures).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["indicator"],
            set_={k: stmt.excluded[k] for k in values if k != "indicator"},
            where=tuple_(figures.c.computed_at, figures.c.event_at)
            < tuple_(stmt.excluded.computed_at, stmt.excluded.event_at),
        )
    )


async def save_probe(session: AsyncSession, values: dict[str, Any]) -> None:
    keys = ["portal_unit_code", "round_key"]
    await _upsert(session, probes, values, keys, probes.c.finished_at, "finished_at")


async def save_document(session: AsyncSession, values: dict[str, Any]) -> None:
    keys = ["document_id", "portal_unit_code"]  # a posting: one document, many portals
    await _upsert(session, documents, values, keys, documents.c.event_at, "event_at")


async def _upsert(
    session: AsyncSession,
    table: Any,
    values: dict[str, Any],
    keys: list[str],
    newer_column: Any,
    newer_key: str,
) -> None:
    """Insert, or replace the row when this event is newer than what it holds."""
    stmt = pg_insert(table).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=keys,
            set_={k: stmt.excluded[k] for k in values if k not in keys},
            where=newer_column < stmt.excluded[newer_key],
        )
    )
