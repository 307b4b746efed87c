"""Documents (one row each, deduplicated across portals) and their postings (one per portal
and section). Functions return the stored rows; the events they make are built in
`domain/events.py`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_monitor import db
from portal_monitor.domain.documents import DocumentDraft
from portal_monitor.domain.extract import DetailFields
from portal_monitor.domain.postings import Posting
from portal_monitor.domain.urls import canonical_url

# --- documents and postings --------------------------------------------------------------------


_INSERT_DOCUMENTS = text(
    """
    INSERT INTO portal_monitor.documents (document_id, canonical_url, fingerprint, url, title,
        section, kind, matched_rule, document_number, issued_on, issuer, summary, attachment_url,
        document_type, document_type_rule, legal_normative, detail_pending, first_seen_at,
        first_unit_code, updated_at)
    SELECT d.*, :now, :unit, :now
    FROM unnest(CAST(:ids AS uuid[]), CAST(:curls AS text[]), CAST(:fps AS text[]),
        CAST(:urls AS text[]), CAST(:titles AS text[]), CAST(:sections AS text[]),
        CAST(:kinds AS text[]), CAST(:rules AS text[]), CAST(:numbers AS text[]),
        CAST(:issued AS date[]), CAST(:issuers AS text[]), CAST(:summaries AS text[]),
        CAST(:attachments AS text[]), CAST(:types AS text[]), CAST(:type_rules AS text[]),
        CAST(:legal AS boolean[]), CAST(:detail_pending AS boolean[])) AS d
    ON CONFLICT (canonical_url) DO NOTHING
    """
)

_INSERT_POSTINGS = text(
    """
    INSERT INTO portal_monitor.postings (document_id, unit_code, section, url, first_seen_at,
        publication_due_at, posted_on_time, not_directive, attachment_url, posting_time_known)
    SELECT p.document_id, :unit, p.section, p.url, :now, p.due, p.on_time, p.not_directive,
        p.attachment_url, p.time_known
    FROM unnest(CAST(:ids AS uuid[]), CAST(:sections AS text[]), CAST(:urls AS text[]),
        CAST(:dues AS timestamptz[]), CAST(:on_time AS boolean[]),
        CAST(:not_directive AS boolean[]), CAST(:attachments AS text[]),
        CAST(:time_known AS boolean[])) AS p(document_id, section, url, due, on_time,
        not_directive, attachment_url, time_known)
    ON CONFLICT DO NOTHING
    RETURNING document_id, section, publication_due_at, posted_on_time, not_directive,
        posting_time_known
    """
)


async def stored_documents(
    session: AsyncSession, unit_code: str, drafts: Sequence[DocumentDraft], now: datetime
) -> list[tuple[DocumentDraft, Any]]:
    """Each draft with its stored document (its row as it was before this probe), new ones
    inserted first; a draft whose document is not there (another portal's insert of the same
    fingerprint won) is left out."""
    if not drafts:
        return []
    by_url, by_fp = await _known_documents(session, drafts)
    new = [d for d in drafts if d.canonical_url not in by_url and d.fingerprint not in by_fp]
    if new:
        await _insert_documents(session, unit_code, new, now)
        by_url.update(await _documents_by_url(session, [d.canonical_url for d in new]))
    matched = []
    for draft in drafts:
        record = by_url.get(draft.canonical_url) or by_fp.get(draft.fingerprint or "")
        if record is not None:
            matched.append((draft, record))
    return matched


async def _known_documents(
    session: AsyncSession, drafts: Sequence[DocumentDraft]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Stored documents of these drafts, by canonical URL and, for the others, by fingerprint
    (the same document listed elsewhere; the first seen wins)."""
    docs = db.documents.c
    by_url = await _documents_by_url(session, [d.canonical_url for d in drafts])
    fingerprints = [
        d.fingerprint for d in drafts if d.canonical_url not in by_url and d.fingerprint is not None
    ]
    by_fp: dict[str, Any] = {}
    if fingerprints:
        for r in await session.execute(
            select(db.documents)
            .where(docs.fingerprint.in_(fingerprints))
            .order_by(docs.first_seen_at)
        ):
            by_fp.setdefault(r.fingerprint, r)
    return by_url, by_fp


async def stored_details(session: AsyncSession, urls: Iterable[str]) -> dict[str, DetailFields]:
    """What was read of listed documents' own pages, by canonical URL: a page is read once. A
    document of this portal by its canonical URL, a repost (stored as another portal's document,
    the same number and date) by its posting's URL; a page not read yet is left out."""
    wanted = {url: canonical_url(url) for url in urls}
    found = {
        url: DetailFields(r.document_number, r.issued_on, r.issuer, None, r.attachment_url)
        for url, r in (await _documents_by_url(session, wanted.values())).items()
        if not r.detail_pending
    }
    reposts = [url for url, canonical in wanted.items() if canonical not in found]
    if reposts:
        docs, posts = db.documents.c, db.postings.c
        rows = await session.execute(
            select(
                posts.url, docs.document_number, docs.issued_on, docs.issuer, posts.attachment_url
            )
            .join(db.documents, docs.document_id == posts.document_id)
            .where(posts.url.in_(reposts), docs.detail_pending.is_(False))
        )
        for r in rows:
            found.setdefault(
                wanted[r.url],
                DetailFields(r.document_number, r.issued_on, r.issuer, None, r.attachment_url),
            )
    return found


async def _documents_by_url(session: AsyncSession, urls: Iterable[str]) -> dict[str, Any]:
    rows = await session.execute(
        select(db.documents).where(db.documents.c.canonical_url.in_(list(urls)))
    )
    return {r.canonical_url: r for r in rows}


async def _insert_documents(
    session: AsyncSession, unit_code: str, new: Sequence[DocumentDraft], now: datetime
) -> None:
    await session.execute(
        _INSERT_DOCUMENTS,
        {
            "ids": [uuid.uuid4() for _ in new],
            "curls": [d.canonical_url for d in new],
            "fps": [d.fingerprint for d in new],
            "urls": [d.url for d in new],
            "titles": [d.title for d in new],
            "sections": [d.section for d in new],
            "kinds": [d.kind for d in new],
            "rules": [d.matched_rule for d in new],
            "numbers": [d.document_number for d in new],
            "issued": [d.issued_on for d in new],
            "issuers": [d.issuer for d in new],
            "summaries": [d.summary for d in new],
            "attachments": [d.attachment_url for d in new],
            "types": [d.document_type for d in new],
            "type_rules": [d.type_rule for d in new],
            "legal": [d.legal_normative for d in new],
            "detail_pending": [d.detail_pending for d in new],
            "now": now,
            "unit": unit_code,
        },
    )


_UPDATE_VERDICTS = text(
    """
    UPDATE portal_monitor.postings AS p SET not_directive = n.not_directive
    FROM unnest(CAST(:ids AS uuid[]), CAST(:sections AS text[]),
        CAST(:not_directive AS boolean[])) AS n(document_id, section, not_directive)
    WHERE p.unit_code = :unit AND p.document_id = n.document_id AND p.section = n.section
        AND p.not_directive IS DISTINCT FROM n.not_directive
    RETURNING p.document_id, p.section, p.first_seen_at, p.publication_due_at,
        p.posted_on_time, p.not_directive, p.posting_time_known
    """
)


async def update_verdicts(
    session: AsyncSession, unit_code: str, postings: Sequence[Posting]
) -> list[Any]:
    """Stored postings whose "not a directive" verdict changed (run before the new ones are
    inserted, so a new posting is never reported as changed)."""
    if not postings:
        return []
    updated = await session.execute(
        _UPDATE_VERDICTS,
        {
            "unit": unit_code,
            "ids": [p.document_id for p in postings],
            "sections": [p.section for p in postings],
            "not_directive": [p.not_directive for p in postings],
        },
    )
    return list(updated)


async def insert_postings(
    session: AsyncSession, unit_code: str, postings: Sequence[Posting], now: datetime
) -> list[Any]:
    """The postings not stored before (a posting is new once)."""
    if not postings:
        return []
    inserted = await session.execute(
        _INSERT_POSTINGS,
        {
            "unit": unit_code,
            "now": now,
            "ids": [p.document_id for p in postings],
            "sections": [p.section for p in postings],
            "urls": [p.url for p in postings],
            "dues": [p.publication_due_at for p in postings],
            "on_time": [p.posted_on_time for p in postings],
            "not_directive": [p.not_directive for p in postings],
            "attachments": [p.attachment_url for p in postings],
            "time_known": [p.posting_time_known for p in postings],
        },
    )
    return list(inserted)


async def update_document(
    session: AsyncSession, unit_code: str, document_id: Any, draft: DocumentDraft, now: datetime
) -> None:
    """A stored document, and its posting on the portal that first listed it, take what its
    listing and its own page now show."""
    await session.execute(
        update(db.documents)
        .where(db.documents.c.document_id == document_id)
        .values(
            title=draft.title,
            document_number=draft.document_number,
            issued_on=draft.issued_on,
            issuer=draft.issuer,
            summary=draft.summary,
            attachment_url=draft.attachment_url,
            kind=draft.kind,
            matched_rule=draft.matched_rule,
            document_type=draft.document_type,
            document_type_rule=draft.type_rule,
            legal_normative=draft.legal_normative,
            fingerprint=draft.fingerprint,
            detail_pending=draft.detail_pending,
            updated_at=now,
        )
    )
    posts = db.postings.c
    await session.execute(
        update(db.postings)
        .where(
            posts.document_id == document_id,
            posts.unit_code == unit_code,
            posts.section == draft.section,
            posts.attachment_url.is_distinct_from(draft.attachment_url),
        )
        .values(attachment_url=draft.attachment_url)
    )
