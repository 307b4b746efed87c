"""Documents of a unit's portal as the page lists them, and the corrections the focal unit made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from reporting.db import (
    documents,
    kind_corrections,
)
from reporting.domain.corrections import RecordedCorrection

DRAFTING_LOCK = "reporting-drafting"


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
