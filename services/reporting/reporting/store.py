"""Reporting's tables, read and written through a session (the caller owns the transaction):
projections from events (newest wins, so late or repeated events change nothing) and drafts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.events.catalogue import (
    CheckResult,
    DocumentChanged,
    DocumentFound,
    IndicatorChanged,
    ProbeFinished,
    ProbeOutcome,
    ReportSubmitted,
    Signal,
    TaskReport,
)
from reporting.db import (
    documents,
    drafts,
    figure_history,
    figures,
    kind_corrections,
    probes,
    reports,
)
from reporting.domain.corrections import RecordedCorrection
from reporting.domain.facts import (
    Figure,
    FiledReport,
    PostedDocument,
    Probe,
)
from reporting.domain.planned import Planned

DRAFTING_LOCK = "reporting-drafting"


# --- projections ---------------------------------------------------------------------------------


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


# --- facts for drafting --------------------------------------------------------------------------


async def period_reports(session: AsyncSession, plan_year: int, period: str) -> list[FiledReport]:
    c = reports.c
    rows = await session.execute(
        select(reports).where(c.plan_year == plan_year, c.period == period).order_by(c.unit_code)
    )
    return [
        FiledReport(
            report_id=r.report_id,
            version_no=r.version_no,
            event_id=r.event_id,
            unit_code=r.unit_code,
            period=r.period,
            reporter=r.reporter,
            submitted_at=r.submitted_at,
            first_submitted_at=r.first_submitted_at,
            due_at=r.due_at,
            tasks=tuple(TaskReport.model_validate(t) for t in r.tasks),
            analysis=r.analysis,
            plan_year=r.plan_year,
        )
        for r in rows
    ]


async def unit_reports(session: AsyncSession, unit_code: str) -> list[FiledReport]:
    rows = await session.execute(
        select(reports.c.plan_year, reports.c.period)
        .where(reports.c.unit_code == unit_code)
        .distinct()
    )
    found: list[FiledReport] = []
    for year, period in rows.all():
        found += [
            r for r in await period_reports(session, year, period) if r.unit_code == unit_code
        ]
    return found


async def latest_figures(session: AsyncSession) -> dict[int, Figure]:
    rows = await session.execute(select(figures))
    return {r.indicator: _figure(r) for r in rows}


async def figures_as_of(session: AsyncSession, instant: datetime) -> dict[int, Figure]:
    """Each indicator's figure as last announced at `instant` (none before its first)."""
    h = figure_history.c
    rows = await session.execute(
        select(figure_history)
        .where(h.computed_at <= instant)
        .ext(distinct_on(h.indicator))
        .order_by(h.indicator, h.computed_at.desc(), h.event_at.desc())
    )
    return {r.indicator: _figure(r) for r in rows}


def _figure(r: Any) -> Figure:
    return Figure(
        indicator=r.indicator,
        readiness=r.readiness,
        signals=tuple(Signal.model_validate(s) for s in r.signals),
        computed_at=r.computed_at,
        event_id=r.event_id,
    )


async def round_probes(session: AsyncSession, round_key: str) -> list[Probe]:
    rows = await session.execute(select(probes).where(probes.c.round_key == round_key))
    return [_probe(r) for r in rows]


async def latest_round_probes(session: AsyncSession) -> list[Probe]:
    """The newest probe of each portal, whatever its round."""
    rows = await session.execute(
        select(probes)
        .ext(distinct_on(probes.c.portal_unit_code))
        .order_by(probes.c.portal_unit_code, probes.c.finished_at.desc())
    )
    return [_probe(r) for r in rows]


def _probe(r: Any) -> Probe:
    return Probe(
        portal_unit_code=r.portal_unit_code,
        portal_url=r.portal_url,
        finished_at=r.finished_at,
        outcome=ProbeOutcome(r.outcome),
        checks=tuple(CheckResult.model_validate(c) for c in r.checks),
        event_id=r.event_id,
    )


async def probed_rounds(session: AsyncSession) -> list[str]:
    rows = await session.execute(select(probes.c.round_key).distinct().order_by(probes.c.round_key))
    return list(rows.scalars())


async def documents_seen(
    session: AsyncSession, since: datetime, until: datetime
) -> list[PostedDocument]:
    c = documents.c
    rows = await session.execute(
        select(documents).where(c.first_seen_at >= since, c.first_seen_at < until)
    )
    return [
        PostedDocument(
            document_id=r.document_id,
            portal_unit_code=r.portal_unit_code,
            url=r.url,
            title=r.title,
            section=r.section,
            kind=r.kind,
            issued_on=r.issued_on,
            first_seen_at=r.first_seen_at,
            full_text_available=r.full_text_available,
            posted_on_time=r.posted_on_time,
            not_directive=r.not_directive,
            event_id=r.event_id,
            no_full_text=r.no_full_text,
        )
        for r in rows
    ]


# --- corrections of a document's kind (issue 19) ---------------------------------------------


@dataclass(frozen=True)
class ListedDocument:
    """One posting on a unit's portal, as the page lists it, with a correction made here."""

    document_id: UUID
    url: str
    title: str
    section: str
    kind: str
    document_number: str | None
    first_seen_at: datetime
    not_directive: bool | None
    posted_on_time: bool | None
    correction: RecordedCorrection | None


async def unit_documents(
    session: AsyncSession, unit_code: str, limit: int = 200
) -> list[ListedDocument]:
    """The documents found on a unit's portal, newest first."""
    c, k = documents.c, kind_corrections.c
    rows = await session.execute(
        select(documents, k.kind.label("k_kind"), k.previous_kind, k.corrected_by)
        .add_columns(k.corrected_at, k.note)
        .select_from(documents.outerjoin(kind_corrections, k.document_id == c.document_id))
        .where(c.portal_unit_code == unit_code)
        .order_by(c.first_seen_at.desc(), c.title)
        .limit(limit)
    )
    return [
        ListedDocument(
            document_id=r.document_id,
            url=r.url,
            title=r.title,
            section=r.section,
            kind=r.kind,
            document_number=r.document_number,
            first_seen_at=r.first_seen_at,
            not_directive=r.not_directive,
            posted_on_time=r.posted_on_time,
            correction=_correction(r),
        )
        for r in rows
    ]


def _correction(r: Any) -> RecordedCorrection | None:
    if r.k_kind is None:
        return None
    return RecordedCorrection(r.k_kind, r.previous_kind, r.corrected_by, r.corrected_at, r.note)


async def document_posting(session: AsyncSession, document_id: UUID) -> tuple[str, str] | None:
    """(portal unit code, kind) of one posting of the document (the kind is the document's)."""
    row = (
        await session.execute(
            select(documents.c.portal_unit_code, documents.c.kind)
            .where(documents.c.document_id == document_id)
            .order_by(documents.c.portal_unit_code)
            .limit(1)
        )
    ).first()
    return (row.portal_unit_code, row.kind) if row else None


async def record_correction(
    session: AsyncSession, document_id: UUID, correction: RecordedCorrection
) -> None:
    """The page's record of a correction portal-monitor accepted (the newest one wins)."""
    values = {
        "document_id": document_id,
        "kind": correction.kind,
        "previous_kind": correction.previous_kind,
        "corrected_by": correction.corrected_by,
        "corrected_at": correction.corrected_at,
        "note": correction.note,
    }
    stmt = pg_insert(kind_corrections).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["document_id"],
            set_={k: stmt.excluded[k] for k in values if k != "document_id"},
        )
    )


# --- drafts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftRow:
    draft_id: UUID
    kind: str
    period_key: str
    version_no: int
    trigger: str
    title: str
    drafted_at: datetime
    fingerprint: str
    missing_units: list[str]
    has_pdf: bool
    has_xlsx: bool


_DRAFT_COLUMNS = (
    drafts.c.draft_id,
    drafts.c.kind,
    drafts.c.period_key,
    drafts.c.version_no,
    drafts.c.trigger,
    drafts.c.title,
    drafts.c.drafted_at,
    drafts.c.fingerprint,
    drafts.c.missing_units,
    drafts.c.pdf.is_not(None).label("has_pdf"),
    drafts.c.xlsx.is_not(None).label("has_xlsx"),
)


async def try_lock_drafting(session: AsyncSession) -> bool:
    """One replica drafts at a time (released at commit); the others skip this pass."""
    result = await session.execute(
        select(func.pg_try_advisory_xact_lock(func.hashtext(literal(DRAFTING_LOCK))))
    )
    return bool(result.scalar_one())


@dataclass(frozen=True)
class DraftFiles:
    docx: bytes
    docx_sha256: str
    pdf: bytes | None
    html: str
    xlsx: bytes | None


async def add_draft(
    session: AsyncSession, draft_id: UUID, draft: Planned, drafted_at: datetime, files: DraftFiles
) -> bool:
    """Store a drafted version; False when another replica stored this version first."""
    inserted = await session.execute(
        pg_insert(drafts)
        .values(
            draft_id=draft_id,
            kind=str(draft.kind),
            period_key=draft.period_key,
            version_no=draft.version_no,
            trigger=draft.trigger,
            title=draft.document.summary,
            drafted_at=drafted_at,
            fingerprint=draft.fingerprint,
            sources=draft.sources,
            missing_units=list(draft.missing_units),
            **asdict(files),
        )
        .on_conflict_do_nothing()
        .returning(drafts.c.draft_id)
    )
    return inserted.first() is not None


async def latest_draft(session: AsyncSession, kind: str, period_key: str) -> DraftRow | None:
    row = (
        await session.execute(
            select(*_DRAFT_COLUMNS)
            .where(drafts.c.kind == kind, drafts.c.period_key == period_key)
            .order_by(drafts.c.version_no.desc())
            .limit(1)
        )
    ).first()
    return DraftRow(**row._asdict()) if row else None


async def list_drafts(session: AsyncSession, limit: int = 200) -> list[DraftRow]:
    rows = await session.execute(
        select(*_DRAFT_COLUMNS)
        .order_by(drafts.c.drafted_at.desc(), drafts.c.version_no.desc())
        .limit(limit)
    )
    return [DraftRow(**r._asdict()) for r in rows]


async def draft_file(session: AsyncSession, draft_id: UUID, column: str) -> Any:
    """One file of a draft: 'docx', 'pdf', 'xlsx' or 'html' (None: no such draft)."""
    row = (
        await session.execute(
            select(getattr(drafts.c, column), *_DRAFT_COLUMNS).where(drafts.c.draft_id == draft_id)
        )
    ).first()
    return row


async def draft_sources(session: AsyncSession, draft_id: UUID) -> dict[str, Any] | None:
    value = await session.scalar(select(drafts.c.sources).where(drafts.c.draft_id == draft_id))
    return dict(value) if value is not None else None


def fingerprint_of(parts: Sequence[str]) -> str:
    import hashlib

    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()
