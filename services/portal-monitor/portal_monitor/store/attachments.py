"""Attachment checks: one row per file URL, the evidence of whether the full text is there."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from portal_monitor import db
from portal_monitor.domain.attachments import RECHECK_AFTER, AttachmentCheck


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


async def postings_with_files(
    session: AsyncSession, unit_code: str, urls: Sequence[str]
) -> list[Any]:
    """This portal's stored postings (with their document) whose file is one of `urls`."""
    if not urls:
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
        .where(p.unit_code == unit_code, p.attachment_url.in_(list(urls)))
    )
    return list(rows)
