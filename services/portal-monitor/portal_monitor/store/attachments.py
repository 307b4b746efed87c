"""Attachment checks: one row per file URL, the evidence of whether the full text is there."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.events.base import Event
from minhbach.events.catalogue import DocumentChanged, PortalDocument
from portal_monitor import db
from portal_monitor.domain.attachments import RECHECK_AFTER, AttachmentCheck
from portal_monitor.store.documents import Portal, evidence_of


def _check(row: Any) -> AttachmentCheck:
    return AttachmentCheck(
        url=row.url,
        status=row.status,
        checked_at=row.checked_at,
        http_status=row.http_status,
        content_type=row.content_type,
        size_bytes=row.size_bytes,
        sha256=row.sha256,
    )


async def attachment_checks(
    session: AsyncSession, urls: Iterable[str]
) -> dict[str, AttachmentCheck]:
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    rows = await session.execute(select(db.attachments).where(db.attachments.c.url.in_(wanted)))
    return {row.url: _check(row) for row in rows}


async def attachments_due(
    session: AsyncSession, unit_code: str, now: datetime, limit: int
) -> list[str]:
    """Attachments of this portal's stored postings never checked, or not there when last
    checked a while ago (directive section first: task 4.1 asks its full text)."""
    postings, files = db.postings.c, db.attachments.c
    rows = await session.execute(
        select(postings.attachment_url)
        .select_from(db.postings.outerjoin(db.attachments, files.url == postings.attachment_url))
        .where(
            postings.unit_code == unit_code,
            postings.attachment_url.is_not(None),
            or_(
                files.url.is_(None),
                and_(files.status != "ok", files.checked_at <= now - RECHECK_AFTER),
            ),
        )
        .group_by(postings.attachment_url)
        .order_by(postings.attachment_url)
        .limit(limit)
    )
    return [url for (url,) in rows]


async def save_attachment_checks(session: AsyncSession, checks: Sequence[AttachmentCheck]) -> None:
    if not checks:
        return
    statement = pg_insert(db.attachments).values(
        [
            {
                "url": c.url,
                "status": c.status,
                "http_status": c.http_status,
                "content_type": c.content_type,
                "size_bytes": c.size_bytes,
                "sha256": c.sha256,
                "checked_at": c.checked_at,
            }
            for c in checks
        ]
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["url"],
            set_={
                name: statement.excluded[name]
                for name in (
                    "status",
                    "http_status",
                    "content_type",
                    "size_bytes",
                    "sha256",
                    "checked_at",
                )
            },
        )
    )


async def attachment_events(
    session: AsyncSession,
    portal: Portal,
    changed: Sequence[AttachmentCheck],
    skip: set[tuple[Any, str]],
) -> list[Event]:
    """`portal.document.changed` for each stored posting of this portal whose file was checked
    with a new result after the posting was found (`skip`: postings found by this probe)."""
    if not changed:
        return []
    p, d = db.postings.c, db.documents.c
    rows = await session.execute(
        select(
            d.document_id,
            d.title,
            d.kind,
            d.matched_rule,
            d.document_number,
            d.issued_on,
            d.issuer,
            d.summary,
            d.canonical_url,
            d.first_unit_code,
            d.document_type,
            d.document_type_rule,
            d.legal_normative,
            p.section,
            p.url,
            p.first_seen_at,
            p.publication_due_at,
            p.posted_on_time,
            p.not_directive,
            p.attachment_url,
            p.posting_time_known,
        )
        .select_from(db.postings.join(db.documents, d.document_id == p.document_id))
        .where(p.unit_code == portal.unit_code, p.attachment_url.in_([c.url for c in changed]))
    )
    events: list[Event] = []
    for row in rows:
        if (row.document_id, row.section) in skip:
            continue
        attachment = portal.attachment(row.attachment_url)
        assert attachment is not None
        document = PortalDocument(
            document_id=row.document_id,
            portal_unit_code=portal.unit_code,
            url=row.url,
            title=row.title,
            section=row.section,
            kind=row.kind,
            matched_rule=row.matched_rule,
            document_number=row.document_number,
            issued_on=row.issued_on,
            issuer=row.issuer,
            summary=row.summary,
            full_text_available=attachment.full_text,
            first_seen_at=row.first_seen_at,
            canonical_url=row.canonical_url,
            attachment_url=row.attachment_url,
            publication_due_at=row.publication_due_at,
            posted_on_time=row.posted_on_time,
            in_directive_section_not_directive=row.not_directive,
            district_unit_code=(
                row.first_unit_code if row.first_unit_code != portal.unit_code else None
            ),
            document_type=row.document_type,
            document_type_rule=row.document_type_rule,
            legal_normative=row.legal_normative,
            portal_url=portal.url,
            attachment=evidence_of(attachment),
            posting_time_known=row.posting_time_known,
            monitoring_since=portal.monitoring_since,
        )
        events.append(DocumentChanged(document=document, changed_fields=("attachment",)))
    return events
