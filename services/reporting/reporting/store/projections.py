"""The facts reporting keeps from other services' events (one upsert each, in the consumer's
transaction)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    IndicatorChanged,
    ProbeFinished,
    ReportSubmitted,
)
from reporting.db import (
    documents,
    figure_history,
    figures,
    probes,
    reports,
)

DRAFTING_LOCK = "reporting-drafting"


async def apply_report(session: AsyncSession, event: ReportSubmitted) -> None:
    values = {
        "report_id": event.report_id,
        "version_no": event.version_no,
        "event_id": event.event_id,
        "unit_code": event.unit_code,
        "plan_year": event.plan_year,
        "period": event.period,
        "reporter": event.reporter,
        "submitted_at": event.submitted_at,
        "first_submitted_at": event.first_submitted_at or event.submitted_at,
        "due_at": event.due_at,
        "tasks": [t.model_dump(mode="json") for t in event.tasks],
        "analysis": event.analysis,
    }
    await _upsert(session, reports, values, ["report_id"], reports.c.version_no, "version_no")


async def apply_figure(session: AsyncSession, event: IndicatorChanged) -> None:
    values = {
        "indicator": event.indicator,
        "readiness": event.readiness,
        "signals": [s.model_dump(mode="json") for s in event.signals],
        "computed_at": event.computed_at,
        "event_id": event.event_id,
        "event_at": event.occurred_at,
    }
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


async def apply_probe(session: AsyncSession, event: ProbeFinished, round_key: str) -> None:
    values = {
        "portal_unit_code": event.portal_unit_code,
        "round_key": round_key,
        "probe_id": event.probe_id,
        "event_id": event.event_id,
        "portal_url": event.portal_url,
        "finished_at": event.finished_at,
        "outcome": str(event.outcome),
        "checks": [c.model_dump(mode="json") for c in event.checks],
    }
    keys = ["portal_unit_code", "round_key"]
    await _upsert(session, probes, values, keys, probes.c.finished_at, "finished_at")


async def apply_document(session: AsyncSession, event: DocumentFound | DocumentChanged) -> None:
    d = event.document
    values = {
        "document_id": d.document_id,
        "event_id": event.event_id,
        "event_at": event.occurred_at,
        "portal_unit_code": d.portal_unit_code,
        "url": d.url,
        "title": d.title,
        "section": d.section,
        "kind": str(d.kind),
        "document_number": d.document_number,
        "issued_on": d.issued_on,
        "first_seen_at": d.first_seen_at,
        "full_text_available": d.full_text_available,
        "no_full_text": d.full_text_absent,
        "posted_on_time": d.posted_on_time,
        "not_directive": d.in_directive_section_not_directive,
    }
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
