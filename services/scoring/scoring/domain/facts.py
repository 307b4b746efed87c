"""What scoring knows about the world: facts projected from other services' events.

Facts are immutable values. `Facts.from_events` folds any sequence of events into one set of
facts; the fold is order-independent and ignores duplicates, so that a full rebuild from the
streams gives what the incremental path gave, whatever the delivery order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from uuid import UUID

from minhbach.events.base import Event
from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    EvidenceSubmitted,
    PortalDocument,
    ProbeFinished,
    ProbeOutcome,
    ReportSubmitted,
    TaskStatus,
)


@dataclass(frozen=True, slots=True)
class ReportFact:
    """One version of one report."""

    report_id: UUID
    version_no: int
    unit_code: str
    plan_year: int
    period: str  # Q1..Q4 | year
    reporter: str  # lead_units | focal_unit
    rule_code: str | None
    submitted_at: datetime
    first_submitted_at: datetime | None
    tasks: tuple[tuple[str, str], ...]  # (task code, TaskStatus value), in report order

    @property
    def filed_at(self) -> datetime:
        """When the report (its first version) came in: what a deadline is judged against."""
        return min(self.submitted_at, self.first_submitted_at or self.submitted_at)

    def status_of(self, task_code: str) -> str | None:
        for code, status in self.tasks:
            if code == task_code:
                return status
        return None


@dataclass(frozen=True, slots=True)
class EvidenceFact:
    evidence_id: UUID
    unit_code: str
    task_code: str
    plan_year: int
    submitted_at: datetime
    url: str | None = None
    document_number: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentFact:
    """A document as a portal lists it; the latest revision's fields, the earliest sighting."""

    document_id: UUID
    portal_unit_code: str
    url: str
    title: str
    section: str
    kind: str
    document_number: str | None
    issued_on: date | None
    full_text_available: bool
    first_seen_at: datetime
    revised_at: datetime  # occurred_at of the event that gave these fields
    revision_event: UUID  # its event id: breaks ties between revisions of the same instant
    # Issue 12: issued before monitoring of the portal began (first sweep): whether it was
    # posted on time cannot be known, so it owes no prompt posting.
    posting_time_known: bool = True
    not_directive: bool | None = None  # in the directive section, not of a directive type

    @property
    def number_key(self) -> str | None:
        return number_key(self.document_number)

    @property
    def title_key(self) -> str:
        return title_key(self.title)

    def same_document_as(self, other: DocumentFact) -> bool:
        """One document posted on two portals: same number, or same title when a number is
        missing on either side."""
        if self.number_key and other.number_key:
            return self.number_key == other.number_key
        return bool(self.title_key) and self.title_key == other.title_key


@dataclass(frozen=True, slots=True)
class CheckFact:
    check: str
    passed: bool
    section: str | None = None
    detail: str = ""
    evidence_url: str | None = None


@dataclass(frozen=True, slots=True)
class ProbeFact:
    probe_id: UUID
    portal_unit_code: str
    finished_at: datetime
    outcome: str  # ProbeOutcome value
    checks: tuple[CheckFact, ...] = ()

    @property
    def reached(self) -> bool:
        return self.outcome != ProbeOutcome.UNREACHABLE.value


@dataclass(frozen=True)
class Facts:
    reports: tuple[ReportFact, ...] = ()
    evidence: tuple[EvidenceFact, ...] = ()
    documents: tuple[DocumentFact, ...] = ()
    probes: tuple[ProbeFact, ...] = ()

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> Facts:
        """Fold events into facts; order and repeats do not matter."""
        reports: dict[tuple[UUID, int], ReportFact] = {}
        evidence: dict[UUID, EvidenceFact] = {}
        documents: dict[UUID, DocumentFact] = {}
        probes: dict[UUID, ProbeFact] = {}
        for event in events:
            if isinstance(event, ReportSubmitted):
                report = report_fact(event)
                reports[(report.report_id, report.version_no)] = report
            elif isinstance(event, EvidenceSubmitted):
                evidence[event.evidence_id] = evidence_fact(event)
            elif isinstance(event, DocumentFound | DocumentChanged):
                doc = document_fact(event)
                documents[doc.document_id] = merge_documents(documents.get(doc.document_id), doc)
            elif isinstance(event, ProbeFinished):
                probes[event.probe_id] = probe_fact(event)
        return cls(
            reports=tuple(sorted(reports.values(), key=lambda r: (str(r.report_id), r.version_no))),
            evidence=tuple(sorted(evidence.values(), key=lambda e: str(e.evidence_id))),
            documents=tuple(sorted(documents.values(), key=lambda d: str(d.document_id))),
            probes=tuple(sorted(probes.values(), key=lambda p: str(p.probe_id))),
        )


# --- from events --------------------------------------------------------------------------------


def report_fact(event: ReportSubmitted) -> ReportFact:
    return ReportFact(
        report_id=event.report_id,
        version_no=event.version_no,
        unit_code=event.unit_code,
        plan_year=event.plan_year,
        period=event.period,
        reporter=event.reporter,
        rule_code=event.rule_code,
        submitted_at=event.submitted_at,
        first_submitted_at=event.first_submitted_at,
        tasks=tuple((t.task_code, TaskStatus(t.status).value) for t in event.tasks),
    )


def evidence_fact(event: EvidenceSubmitted) -> EvidenceFact:
    return EvidenceFact(
        evidence_id=event.evidence_id,
        unit_code=event.unit_code,
        task_code=event.task_code,
        plan_year=event.plan_year,
        submitted_at=event.submitted_at,
        url=event.evidence.url,
        document_number=event.evidence.document_number,
        title=event.evidence.title,
    )


def document_fact(event: DocumentFound | DocumentChanged) -> DocumentFact:
    doc: PortalDocument = event.document
    return DocumentFact(
        document_id=doc.document_id,
        portal_unit_code=doc.portal_unit_code,
        url=doc.url,
        title=doc.title,
        section=doc.section,
        kind=str(doc.kind),
        document_number=doc.document_number,
        issued_on=doc.issued_on,
        full_text_available=doc.full_text_available,
        first_seen_at=doc.first_seen_at,
        revised_at=event.occurred_at,
        revision_event=event.event_id,
        posting_time_known=doc.posting_time_known,
        not_directive=doc.in_directive_section_not_directive,
    )


def probe_fact(event: ProbeFinished) -> ProbeFact:
    return ProbeFact(
        probe_id=event.probe_id,
        portal_unit_code=event.portal_unit_code,
        finished_at=event.finished_at,
        outcome=str(event.outcome.value),
        checks=tuple(
            CheckFact(c.check, c.passed, c.section, c.detail, c.evidence_url) for c in event.checks
        ),
    )


def merge_documents(old: DocumentFact | None, new: DocumentFact) -> DocumentFact:
    """The newer revision's fields (by event time, then event id), the earliest sighting."""
    if old is None:
        return new
    newer, older = (
        (new, old)
        if (new.revised_at, str(new.revision_event)) >= (old.revised_at, str(old.revision_event))
        else (old, new)
    )
    first_seen = min(newer.first_seen_at, older.first_seen_at)
    merged = replace(
        newer,
        first_seen_at=first_seen,
        # a change of the listing never makes an unknown posting time known
        posting_time_known=newer.posting_time_known and older.posting_time_known,
        not_directive=older.not_directive if newer.not_directive is None else newer.not_directive,
    )
    return newer if merged == newer else merged


# --- matching the same document across portals --------------------------------------------------

_SPACES = re.compile(r"\s+")


def number_key(number: str | None) -> str | None:
    """`113/KH-UBND`, ` 113 / kh-ubnd ` and the NFD spelling compare equal."""
    if not number:
        return None
    text = unicodedata.normalize("NFC", number).casefold()
    text = _SPACES.sub("", text).replace("đ", "d")
    return text or None


def title_key(title: str) -> str:
    text = unicodedata.normalize("NFC", title).casefold()
    return _SPACES.sub(" ", text).strip(" .;:")
