"""Portal-monitor's events: documents found or changed on a portal, a probe finished."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from minhbach.events.base import Event
from minhbach.events.catalogue.parts import Part


class DocumentKind(StrEnum):
    """The seed plan's document kinds, for tests and examples. A document's kind on the bus is
    the plan's code (`PortalDocument.kind`, a str): a plan may add its own (decision 0013)."""

    PLANNING = "planning"
    INVESTMENT_INCENTIVE = "investment_incentive"
    ADMINISTRATIVE_PROCEDURE = "administrative_procedure"
    DIRECTIVE = "directive"
    LEGAL_NORMATIVE = "legal_normative"
    QA = "qa"
    OTHER = "other"


AttachmentStatus = Literal["ok", "missing", "not_a_file", "unreachable", "unchecked"]
# The statuses that establish a file is not there (404/410, a web page, an empty body): "no full
# text" is a finding a unit is judged by, so "unchecked" and "unreachable" do not count.
ABSENT_ATTACHMENT_STATUSES: tuple[AttachmentStatus, ...] = ("missing", "not_a_file")


class AttachmentEvidence(Part):
    """One posting's full-text file, fetched once (bounded) to see that it is really there."""

    url: str
    status: AttachmentStatus
    checked_at: datetime | None = None
    http_status: int | None = None
    content_type: str | None = None
    size_bytes: int | None = None
    sha256: str | None = None  # of the bytes read (at most the first 64 KiB)


class PortalDocument(Part):
    document_id: UUID
    portal_unit_code: str
    url: str
    title: str
    section: str
    kind: str  # the plan's document kind code (`document_kinds`), or "other"
    matched_rule: str | None = None
    document_number: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    summary: str | None = None
    full_text_available: bool = False
    first_seen_at: datetime
    # Added by portal-monitor (optional, additive):
    canonical_url: str | None = None  # identity across pages; the same on every portal
    attachment_url: str | None = None  # the full text (PDF, DOC ...) when the listing links it
    publication_due_at: datetime | None = None  # issued_on + the plan's window (exclusive)
    posted_on_time: bool | None = None  # first seen on this portal before publication_due_at
    in_directive_section_not_directive: bool | None = None  # task 4.1 (None: other section)
    district_unit_code: str | None = None  # a district document this portal carries as a copy
    # Added by portal-monitor, issue 12 (optional, additive): the type apart from the topic.
    document_type: str | None = None  # chi-thi, cong-van, quyet-dinh ... (plan document_types)
    document_type_rule: str | None = None  # how it was read: number:CT, number:letter, title:...
    legal_normative: bool | None = None  # a year in the number, or a legal type (Luật, Nghị định)
    # Per posting (issue 12): this portal's own file, checked; full_text_available is True only
    # when it is there. posting_time_known False: issued before monitoring of this portal began
    # (first sweep), so whether it was posted on time cannot be known.
    portal_url: str | None = None
    attachment: AttachmentEvidence | None = None
    posting_time_known: bool = True
    monitoring_since: datetime | None = None

    @property
    def full_text_absent(self) -> bool:
        """ "No full text" established: no file linked, or this posting's file checked and not
        there. A file not checked yet or not reached is not known, hence not absent."""
        if self.full_text_available:
            return False
        if self.attachment_url is None:
            return True
        evidence = self.attachment
        return evidence is not None and evidence.status in ABSENT_ATTACHMENT_STATUSES


class DocumentFound(Event):
    """A portal carries a document not seen there before."""

    subject = "portal.document.found"

    document: PortalDocument


class DocumentChanged(Event):
    """A known document's listing changed (title, number, attachment ...)."""

    subject = "portal.document.changed"

    document: PortalDocument
    changed_fields: tuple[str, ...]


class ProbeOutcome(StrEnum):
    OK = "ok"
    PARTIAL = "partial"
    UNREACHABLE = "unreachable"


class CheckResult(Part):
    check: str
    passed: bool
    section: str | None = None
    detail: str = ""
    evidence_url: str | None = None
    # Optional, additive: the titles a failed check faults (all of them, where `detail` names a
    # few), so a reader listing those documents one by one can leave the check out.
    items: tuple[str, ...] = ()


class ProbeFinished(Event):
    """One inspection of one portal ended, with every check it made."""

    subject = "portal.probe.finished"

    probe_id: UUID
    portal_unit_code: str
    portal_url: str
    started_at: datetime
    finished_at: datetime
    outcome: ProbeOutcome
    checks: tuple[CheckResult, ...] = ()
    latency_ms: float | None = None
    tls_days_left: int | None = None
    attempt: int = 1  # portal-monitor: failed attempts are retried before "unreachable" counts
    pages_fetched: int = 0
    pages_not_modified: int = 0
