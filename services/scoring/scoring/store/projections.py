"""The facts scoring keeps of other services' events: saved once (a redelivery changes
nothing), read back as the pure modules' fact types."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Row, func, or_, select, text
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.events.catalogue import ProbeOutcome
from scoring import db
from scoring.domain.facts import CheckFact, DocumentFact, EvidenceFact, Facts, ProbeFact, ReportFact
from scoring.domain.readiness import AVAILABILITY_DAYS
from scoring.store.locks import LOCK_KEY

# Statements of the per-event path, built once (building them is most of SQLAlchemy's cost).
_INSERT_EVIDENCE = pg_insert(db.evidence).on_conflict_do_nothing()
_INSERT_PROBE = pg_insert(db.probes).on_conflict_do_nothing()

# The report path in two round trips instead of five (the consumer handles one event at a
# time, so round trips, not CPU, bound its rate): the fact is stored while the lock is taken
# (then `task_states.merge_and_read_obligations`, after the lock is held).
_SAVE_REPORT_AND_LOCK = text(
    f"""
    WITH saved AS (
        INSERT INTO {db.SCHEMA}.reports (report_id, version_no, unit_code, plan_year, period,
            reporter, rule_code, submitted_at, first_submitted_at, tasks)
        VALUES (:report_id, :version_no, :unit_code, :plan_year, :period, :reporter, :rule_code,
            :submitted_at, :first_submitted_at, CAST(:tasks AS jsonb))
        ON CONFLICT DO NOTHING
    )
    SELECT pg_advisory_xact_lock(:key)
    """
)


# --- write --------------------------------------------------------------------------------------


async def save_report_and_lock(session: AsyncSession, fact: ReportFact) -> None:
    """Store the report and take scoring's lock (`locks.lock`), in one round trip."""
    await session.execute(
        _SAVE_REPORT_AND_LOCK,
        {
            "report_id": fact.report_id,
            "version_no": fact.version_no,
            "unit_code": fact.unit_code,
            "plan_year": fact.plan_year,
            "period": fact.period,
            "reporter": fact.reporter,
            "rule_code": fact.rule_code,
            "submitted_at": fact.submitted_at,
            "first_submitted_at": fact.first_submitted_at,
            "tasks": json.dumps([list(pair) for pair in fact.tasks]),
            "key": LOCK_KEY,
        },
    )


async def save_evidence(session: AsyncSession, fact: EvidenceFact) -> None:
    await session.execute(
        _INSERT_EVIDENCE,
        {
            "evidence_id": fact.evidence_id,
            "unit_code": fact.unit_code,
            "task_code": fact.task_code,
            "plan_year": fact.plan_year,
            "submitted_at": fact.submitted_at,
            "url": fact.url,
            "document_number": fact.document_number,
            "title": fact.title,
        },
    )


async def save_document(session: AsyncSession, doc: DocumentFact) -> None:
    values = _document_row(doc)
    await session.execute(
        pg_insert(db.documents)
        .values(**values)
        .on_conflict_do_update(index_elements=["document_id"], set_=values)
    )


def _document_row(doc: DocumentFact) -> dict[str, Any]:
    return {
        "document_id": doc.document_id,
        "portal_unit_code": doc.portal_unit_code,
        "url": doc.url,
        "title": doc.title,
        "section": doc.section,
        "kind": doc.kind,
        "document_number": doc.document_number,
        "issued_on": doc.issued_on,
        "full_text_available": doc.full_text_available,
        "first_seen_at": doc.first_seen_at,
        "revised_at": doc.revised_at,
        "revision_event": doc.revision_event,
        "number_key": doc.number_key,
        "title_key": doc.title_key,
        "posting_time_known": doc.posting_time_known,
        "not_directive": doc.not_directive,
    }


async def save_probe(session: AsyncSession, fact: ProbeFact) -> None:
    await session.execute(
        _INSERT_PROBE,
        {
            "probe_id": fact.probe_id,
            "portal_unit_code": fact.portal_unit_code,
            "finished_at": fact.finished_at,
            "outcome": fact.outcome,
            "checks": [
                {
                    "check": c.check,
                    "passed": c.passed,
                    "section": c.section,
                    "detail": c.detail,
                    "evidence_url": c.evidence_url,
                }
                for c in fact.checks
            ],
        },
    )


# --- read ---------------------------------------------------------------------------------------


def _report(row: Row[Any]) -> ReportFact:
    return ReportFact(
        report_id=row.report_id,
        version_no=row.version_no,
        unit_code=row.unit_code,
        plan_year=row.plan_year,
        period=row.period,
        reporter=row.reporter,
        rule_code=row.rule_code,
        submitted_at=row.submitted_at,
        first_submitted_at=row.first_submitted_at,
        tasks=tuple((code, status) for code, status in row.tasks),
    )


def _evidence(row: Row[Any]) -> EvidenceFact:
    return EvidenceFact(
        evidence_id=row.evidence_id,
        unit_code=row.unit_code,
        task_code=row.task_code,
        plan_year=row.plan_year,
        submitted_at=row.submitted_at,
        url=row.url,
        document_number=row.document_number,
        title=row.title,
    )


def document_from_row(row: Row[Any]) -> DocumentFact:
    return DocumentFact(
        document_id=row.document_id,
        portal_unit_code=row.portal_unit_code,
        url=row.url,
        title=row.title,
        section=row.section,
        kind=row.kind,
        document_number=row.document_number,
        issued_on=row.issued_on,
        full_text_available=row.full_text_available,
        first_seen_at=row.first_seen_at,
        revised_at=row.revised_at,
        revision_event=row.revision_event,
        posting_time_known=row.posting_time_known,
        not_directive=row.not_directive,
    )


def _probe(row: Row[Any]) -> ProbeFact:
    return ProbeFact(
        probe_id=row.probe_id,
        portal_unit_code=row.portal_unit_code,
        finished_at=row.finished_at,
        outcome=row.outcome,
        checks=tuple(
            CheckFact(
                c["check"],
                bool(c["passed"]),
                c.get("section"),
                c.get("detail") or "",
                c.get("evidence_url"),
            )
            for c in row.checks
        ),
    )


async def unit_reports(session: AsyncSession, unit_code: str, year: int) -> list[ReportFact]:
    rows = await session.execute(
        select(db.reports).where(
            db.reports.c.unit_code == unit_code, db.reports.c.plan_year == year
        )
    )
    return [_report(row) for row in rows]


async def unit_evidence(session: AsyncSession, unit_code: str, year: int) -> list[EvidenceFact]:
    rows = await session.execute(
        select(db.evidence).where(
            db.evidence.c.unit_code == unit_code, db.evidence.c.plan_year == year
        )
    )
    return [_evidence(row) for row in rows]


async def get_document(session: AsyncSession, document_id: UUID) -> DocumentFact | None:
    row = (
        await session.execute(select(db.documents).where(db.documents.c.document_id == document_id))
    ).first()
    return document_from_row(row) if row else None


async def documents_like(session: AsyncSession, docs: Iterable[DocumentFact]) -> list[DocumentFact]:
    """Documents sharing a number or a title with any of `docs` (candidates for the same one)."""
    numbers = {d.number_key for d in docs if d.number_key}
    titles = {d.title_key for d in docs if d.title_key}
    if not numbers and not titles:
        return []
    rows = await session.execute(
        select(db.documents).where(
            or_(db.documents.c.number_key.in_(numbers), db.documents.c.title_key.in_(titles))
        )
    )
    return [document_from_row(row) for row in rows]


async def documents_in_sections(
    session: AsyncSession, sections: Iterable[str]
) -> list[DocumentFact]:
    rows = await session.execute(
        select(db.documents).where(db.documents.c.section.in_(list(sections)))
    )
    return [document_from_row(r) for r in rows]


async def untimed_documents(session: AsyncSession) -> dict[str, int]:
    """Documents by kind whose posting time cannot be known (issued before monitoring began)."""
    docs = db.documents.c
    rows = await session.execute(
        select(docs.kind, func.count())
        .where(docs.posting_time_known.is_(False))
        .group_by(docs.kind)
    )
    return {kind: count for kind, count in rows}


async def all_facts(session: AsyncSession) -> Facts:
    reports = [_report(r) for r in await session.execute(select(db.reports))]
    evidence = [_evidence(r) for r in await session.execute(select(db.evidence))]
    documents = [document_from_row(r) for r in await session.execute(select(db.documents))]
    probes = [_probe(r) for r in await session.execute(select(db.probes))]
    return Facts(tuple(reports), tuple(evidence), tuple(documents), tuple(probes))


async def figure_probes(session: AsyncSession, now: datetime) -> list[ProbeFact]:
    """Enough probes for every figure: each portal's latest that reached it, and the window's."""
    probes = db.probes.c
    latest = (
        select(db.probes)
        .where(probes.outcome != ProbeOutcome.UNREACHABLE.value)
        .order_by(probes.portal_unit_code, probes.finished_at.desc(), probes.probe_id.desc())
        .ext(distinct_on(probes.portal_unit_code))
    )
    window = select(db.probes).where(
        probes.finished_at >= now - timedelta(days=AVAILABILITY_DAYS), probes.finished_at <= now
    )
    found = {row.probe_id: _probe(row) for row in await session.execute(latest)}
    found.update({row.probe_id: _probe(row) for row in await session.execute(window)})
    return list(found.values())
