"""The events a probe produces, built from what it read and what the store answered (rows of
stored documents and postings): `portal.document.found`, `portal.document.changed` and
`portal.probe.finished`. Pure: the store builds no event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from minhbach.events.catalogue import (
    AttachmentEvidence,
    DocumentChanged,
    DocumentFound,
    PortalDocument,
    ProbeFinished,
    ProbeOutcome,
)
from portal_monitor.domain.attachments import AttachmentCheck, unchecked
from portal_monitor.domain.documents import DocumentDraft
from portal_monitor.domain.state import ProbeRecord


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


def document_changed(
    portal: Portal, draft: DocumentDraft, record: Any, changed: tuple[str, ...]
) -> DocumentChanged:
    """A stored document (`record`, its row before the update) whose listing changed."""
    document = portal_document(portal, draft, record, record.first_seen_at, None, None, None)
    return DocumentChanged(document=document, changed_fields=changed)


def verdict_changed(portal: Portal, draft: DocumentDraft, record: Any, row: Any) -> DocumentChanged:
    """A stored posting (`row`, as updated) whose "not a directive" verdict moved."""
    document = portal_document(
        portal,
        draft,
        record,
        row.first_seen_at,
        row.publication_due_at,
        row.posted_on_time,
        row.not_directive,
    ).model_copy(update={"posting_time_known": row.posting_time_known})
    return DocumentChanged(document=document, changed_fields=("not_directive",))


def document_found(
    portal: Portal, draft: DocumentDraft, record: Any, row: Any, now: datetime
) -> DocumentFound:
    """A posting stored for the first time (`row`, as inserted)."""
    document = portal_document(
        portal,
        draft,
        record,
        now,
        row.publication_due_at,
        row.posted_on_time,
        row.not_directive,
    ).model_copy(update={"posting_time_known": row.posting_time_known})
    return DocumentFound(document=document)


def portal_document(
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


def attachments_changed(
    portal: Portal, rows: Iterable[Any], skip: set[tuple[Any, str]]
) -> list[DocumentChanged]:
    """`portal.document.changed` for each stored posting of this portal (`rows`: the posting
    with its document) whose file was checked with a new result after the posting was found
    (`skip`: postings found by this probe)."""
    events: list[DocumentChanged] = []
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


def probe_finished(record: ProbeRecord, portal_url: str) -> ProbeFinished:
    return ProbeFinished(
        probe_id=record.probe_id,
        portal_unit_code=record.unit_code,
        portal_url=portal_url,
        started_at=record.started_at,
        finished_at=record.finished_at,
        outcome=ProbeOutcome(record.outcome),
        checks=list(record.checks),
        latency_ms=record.latency_ms,
        tls_days_left=record.tls_days_left,
        attempt=record.attempt,
        pages_fetched=record.pages_fetched,
        pages_not_modified=record.pages_not_modified,
    )
