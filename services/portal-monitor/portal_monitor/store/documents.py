"""Documents (one row each, deduplicated across portals) and their postings (one per portal
and section); storing them returns the events they make."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.events.base import Event
from minhbach.events.catalogue import (
    AttachmentEvidence,
    DocumentChanged,
    DocumentFound,
    PortalDocument,
)
from portal_monitor import db
from portal_monitor.domain.attachments import AttachmentCheck, unchecked
from portal_monitor.domain.documents import DocumentDraft, changed_fields
from portal_monitor.domain.extract import DetailFields

# --- documents and postings --------------------------------------------------------------------


@dataclass(frozen=True)
class PostingJudgement:
    """What the rules conclude about one posting: its due instant, whether its posting time can
    be known (not for documents issued before monitoring began) and, in the directive section,
    whether it is not a directive."""

    publication_due_at: datetime | None
    not_directive: bool | None
    posting_time_known: bool = True
    # When the portal says it posted it ("Ngày đăng", a feed's pubDate): judged from that day,
    # never later than first seen (issue 19); None: from when the monitor first saw it.
    posted_at: datetime | None = None


# (the listing's draft, the stored document's kind, its date of issue) -> the judgement
Judge = Callable[[DocumentDraft, str, date | None], PostingJudgement]


@dataclass(frozen=True)
class Portal:
    """The portal being probed, and what the events about its postings carry."""

    unit_code: str
    url: str
    monitoring_since: datetime | None
    attachments: dict[str, AttachmentCheck] = field(default_factory=dict)

    def attachment(self, url: str | None) -> AttachmentCheck | None:
        if url is None:
            return None
        return self.attachments.get(url) or unchecked(url)


@dataclass
class StoredDocuments:
    events: list[Event] = field(default_factory=list)
    found: int = 0
    changed: int = 0


_INSERT_DOCUMENTS = text(
    """
    INSERT INTO portal_monitor.documents (document_id, canonical_url, fingerprint, url, title,
        section, kind, matched_rule, document_number, issued_on, issuer, summary, attachment_url,
        document_type, document_type_rule, legal_normative, first_seen_at, first_unit_code,
        updated_at)
    SELECT d.*, :now, :unit, :now
    FROM unnest(CAST(:ids AS uuid[]), CAST(:curls AS text[]), CAST(:fps AS text[]),
        CAST(:urls AS text[]), CAST(:titles AS text[]), CAST(:sections AS text[]),
        CAST(:kinds AS text[]), CAST(:rules AS text[]), CAST(:numbers AS text[]),
        CAST(:issued AS date[]), CAST(:issuers AS text[]), CAST(:summaries AS text[]),
        CAST(:attachments AS text[]), CAST(:types AS text[]), CAST(:type_rules AS text[]),
        CAST(:legal AS boolean[])) AS d
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


async def store_documents(
    session: AsyncSession,
    portal: Portal,
    drafts: Sequence[DocumentDraft],
    now: datetime,
    judge: Judge,
) -> StoredDocuments:
    """Insert new documents and postings, update changed ones; the events they make."""
    unit_code = portal.unit_code
    stored = StoredDocuments()
    if not drafts:
        return stored
    by_url, by_fp = await _known_documents(session, drafts)
    new = [d for d in drafts if d.canonical_url not in by_url and d.fingerprint not in by_fp]
    if new:
        await _insert_documents(session, unit_code, new, now)
        by_url.update(await _documents_by_url(session, [d.canonical_url for d in new]))
    postings: list[dict[str, Any]] = []
    records: dict[tuple[Any, str], tuple[DocumentDraft, Any]] = {}
    for draft in drafts:
        record = by_url.get(draft.canonical_url) or by_fp.get(draft.fingerprint or "")
        if record is None:
            continue
        same_listing = record.canonical_url == draft.canonical_url
        if same_listing and record.first_unit_code == unit_code:
            event = await _update_if_changed(session, portal, draft, record, now)
            if event is not None:
                stored.events.append(event)
                stored.changed += 1
        judgement = judge(draft, record.kind, record.issued_on or draft.issued_on)
        due = judgement.publication_due_at
        postings.append(
            {
                "document_id": record.document_id,
                "section": draft.section,
                "url": draft.url,
                "publication_due_at": due,
                "posted_on_time": (
                    None
                    if due is None or not judgement.posting_time_known
                    else min(judgement.posted_at or now, now) < due
                ),
                "not_directive": judgement.not_directive,
                "attachment_url": draft.attachment_url,
                "posting_time_known": judgement.posting_time_known,
            }
        )
        records[(record.document_id, draft.section)] = (draft, record)
    # A posting's task 4.1 verdict moves when its kind does (a person's correction, a rule of
    # the plan): the stored posting follows and the change leaves as `portal.document.changed`.
    for row in await _update_verdicts(session, unit_code, postings):
        draft, record = records[(row.document_id, row.section)]
        document = _portal_document(
            portal,
            draft,
            record,
            row.first_seen_at,
            row.publication_due_at,
            row.posted_on_time,
            row.not_directive,
        ).model_copy(update={"posting_time_known": row.posting_time_known})
        stored.events.append(DocumentChanged(document=document, changed_fields=("not_directive",)))
        stored.changed += 1
    for row in await _insert_postings(session, unit_code, postings, now):
        draft, record = records[(row.document_id, row.section)]
        document = _portal_document(
            portal,
            draft,
            record,
            now,
            row.publication_due_at,
            row.posted_on_time,
            row.not_directive,
        ).model_copy(update={"posting_time_known": row.posting_time_known})
        stored.events.append(DocumentFound(document=document))
        stored.found += 1
    return stored


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


async def stored_details(
    session: AsyncSession, canonical_urls: Iterable[str]
) -> dict[str, DetailFields]:
    """What was read of stored documents (their detail page is read once: a document stored
    keeps its number, date, issuer and file without its page being fetched again)."""
    return {
        url: DetailFields(r.document_number, r.issued_on, r.issuer, None, r.attachment_url)
        for url, r in (await _documents_by_url(session, canonical_urls)).items()
    }


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


async def _update_verdicts(
    session: AsyncSession, unit_code: str, postings: list[dict[str, Any]]
) -> list[Any]:
    """Stored postings whose "not a directive" verdict changed (run before the new ones are
    inserted, so a new posting is never reported as changed)."""
    if not postings:
        return []
    updated = await session.execute(
        _UPDATE_VERDICTS,
        {
            "unit": unit_code,
            "ids": [p["document_id"] for p in postings],
            "sections": [p["section"] for p in postings],
            "not_directive": [p["not_directive"] for p in postings],
        },
    )
    return list(updated)


async def _insert_postings(
    session: AsyncSession, unit_code: str, postings: list[dict[str, Any]], now: datetime
) -> list[Any]:
    """The postings not stored before (a posting is new once)."""
    if not postings:
        return []
    inserted = await session.execute(
        _INSERT_POSTINGS,
        {
            "unit": unit_code,
            "now": now,
            "ids": [p["document_id"] for p in postings],
            "sections": [p["section"] for p in postings],
            "urls": [p["url"] for p in postings],
            "dues": [p["publication_due_at"] for p in postings],
            "on_time": [p["posted_on_time"] for p in postings],
            "not_directive": [p["not_directive"] for p in postings],
            "attachments": [p["attachment_url"] for p in postings],
            "time_known": [p["posting_time_known"] for p in postings],
        },
    )
    return list(inserted)


async def _update_if_changed(
    session: AsyncSession, portal: Portal, draft: DocumentDraft, record: Any, now: datetime
) -> DocumentChanged | None:
    stored = {
        name: (None if getattr(record, name) is None else str(getattr(record, name)))
        for name in (
            "title",
            "document_number",
            "issued_on",
            "issuer",
            "summary",
            "attachment_url",
            "kind",
        )
    }
    changed = changed_fields(stored, draft)
    if not changed:
        return None
    await session.execute(
        update(db.documents)
        .where(db.documents.c.document_id == record.document_id)
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
            updated_at=now,
        )
    )
    document = _portal_document(portal, draft, record, record.first_seen_at, None, None, None)
    return DocumentChanged(document=document, changed_fields=changed)


def _portal_document(
    portal: Portal,
    draft: DocumentDraft,
    record: Any,
    first_seen: datetime,
    due: datetime | None,
    on_time: bool | None,
    not_directive: bool | None,
) -> PortalDocument:
    copy_of = record.first_unit_code if record.first_unit_code != portal.unit_code else None
    attachment = portal.attachment(draft.attachment_url)
    return PortalDocument(
        document_id=record.document_id,
        portal_unit_code=portal.unit_code,
        url=draft.url,
        title=draft.title,
        section=draft.section,
        kind=draft.kind,
        matched_rule=draft.matched_rule,
        document_number=draft.document_number,
        issued_on=draft.issued_on,
        issuer=draft.issuer,
        summary=draft.summary,
        full_text_available=attachment is not None and attachment.full_text,
        first_seen_at=first_seen,
        canonical_url=draft.canonical_url,
        attachment_url=draft.attachment_url,
        publication_due_at=due,
        posted_on_time=on_time,
        in_directive_section_not_directive=not_directive,
        district_unit_code=copy_of,
        document_type=draft.document_type,
        document_type_rule=draft.type_rule,
        legal_normative=draft.legal_normative,
        portal_url=portal.url,
        attachment=None if attachment is None else evidence_of(attachment),
        monitoring_since=portal.monitoring_since,
    )


def evidence_of(check: AttachmentCheck) -> AttachmentEvidence:
    return AttachmentEvidence(
        url=check.url,
        status=check.status,
        checked_at=check.checked_at,
        http_status=check.http_status,
        content_type=check.content_type,
        size_bytes=check.size_bytes,
        sha256=check.sha256,
    )
