"""What a copy duty asks of the store: the source portals' documents with a due instant, and when
the copying portal first showed each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_monitor import db
from portal_monitor.domain.promptness import SourceDocument


async def source_documents_seen_by(
    session: AsyncSession,
    unit_code: str,
    source_units: Sequence[str],
    kinds: Iterable[str],
    issued_since: date,
) -> list[tuple[SourceDocument, datetime | None]]:
    """Documents of `kinds` on the source portals (a copy duty's `documents_of`) with a due
    instant, and when this portal first showed each (None: not yet)."""
    source = db.postings.alias("source")
    copy = db.postings.alias("copy")
    rows = await session.execute(
        select(
            db.documents.c.title,
            func.min(source.c.publication_due_at),
            func.min(copy.c.first_seen_at),
            db.documents.c.issued_on,
            func.min(source.c.unit_code),
            db.documents.c.document_id,
            db.documents.c.document_number,
        )
        .select_from(
            source.join(db.documents, db.documents.c.document_id == source.c.document_id).outerjoin(
                copy,
                and_(
                    copy.c.document_id == source.c.document_id,
                    copy.c.unit_code == unit_code,
                ),
            )
        )
        .where(
            source.c.unit_code.in_(source_units),
            db.documents.c.kind.in_(sorted(kinds)),
            source.c.publication_due_at.is_not(None),
            db.documents.c.issued_on >= issued_since,
        )
        .group_by(
            db.documents.c.document_id,
            db.documents.c.title,
            db.documents.c.issued_on,
            db.documents.c.document_number,
        )
    )
    return [
        (SourceDocument(title, due, issued_on, source_unit, str(document_id), number), seen)
        for title, due, seen, issued_on, source_unit, document_id, number in rows
    ]
