"""Every event of Minh Bạch, its subject and its stream: the one place they are declared.

One subject family (and one JetStream stream) per producer. Consumers name the classes, never raw
subject strings; `minhbach asyncapi` documents this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from minhbach.events.base import Event
from minhbach.periods import PeriodCode


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


# --- intake -----------------------------------------------------------------------------------


class TaskStatus(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


class EvidenceRef(_Part):
    url: str | None = None
    document_number: str | None = None
    issued_on: date | None = None
    title: str | None = None


class TaskReport(_Part):
    task_code: str
    status: TaskStatus
    work_done: str = ""
    evidence: tuple[EvidenceRef, ...] = ()
    difficulties: str = ""
    proposals: str = ""


# A reporting period's code (minhbach.periods): Q1..Q4, H1, H2, M9 (nine months), year.
Period = PeriodCode


class ReportSubmitted(Event):
    """A unit filed (or amended) a periodic report (a quarter, half year, nine months, year)."""

    subject = "intake.report.submitted"

    report_id: UUID
    version_no: int
    unit_code: str
    plan_year: int
    period: Period
    submitted_at: datetime
    due_at: datetime
    on_time: bool
    tasks: tuple[TaskReport, ...]
    analysis: str = ""
    # Intake: which reporting rule the report answers ("lead_units": a lead unit's own report;
    # "focal_unit": the focal unit's consolidated report to the chairman), and when version 1
    # came in (a late amendment of an on-time report keeps its first submission visible).
    reporter: Literal["lead_units", "focal_unit"] = "lead_units"
    rule_code: str | None = None
    first_submitted_at: datetime | None = None


class EvidenceSubmitted(Event):
    """A unit filed evidence for one task (a posted document's URL, number, date of issue)."""

    subject = "intake.evidence.submitted"

    evidence_id: UUID
    unit_code: str
    task_code: str
    plan_year: int
    submitted_at: datetime
    evidence: EvidenceRef
    note: str = ""


# --- portal-monitor ---------------------------------------------------------------------------


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


class AttachmentEvidence(_Part):
    """One posting's full-text file, fetched once (bounded) to see that it is really there."""

    url: str
    status: AttachmentStatus
    checked_at: datetime | None = None
    http_status: int | None = None
    content_type: str | None = None
    size_bytes: int | None = None
    sha256: str | None = None  # of the bytes read (at most the first 64 KiB)


class PortalDocument(_Part):
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


class CheckResult(_Part):
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


# --- scoring ----------------------------------------------------------------------------------


class Signal(_Part):
    name: str
    value: float
    weight: float
    evidence: str = ""
    # Scoring (additive, decision 0014): False when there is nothing to count yet; the signal
    # is then left out of the indicator's readiness (weights renormalised) and `missing` says
    # why, in Vietnamese.
    has_data: bool = True
    missing: str = ""


class IndicatorChanged(Event):
    """An indicator's readiness figure moved."""

    subject = "scoring.indicator.changed"

    indicator: int
    readiness: float
    previous: float | None
    signals: tuple[Signal, ...]
    computed_at: datetime
    caused_by: UUID | None = None
    # Scoring (additive): every input event whose effect this figure includes since the last
    # announcement (scoring recomputes figures a few milliseconds after a burst, not per event);
    # `caused_by` is the last of them.
    caused_by_events: tuple[UUID, ...] = ()


class ObligationKind(StrEnum):
    QUARTERLY_REPORT = "quarterly_report"
    ANNUAL_REPORT = "annual_report"
    FOCAL_QUARTERLY_REPORT = "focal_quarterly_report"
    FOCAL_ANNUAL_REPORT = "focal_annual_report"
    # Half-year and nine-month reports (the kind of a quarter or a year keeps its own name).
    PERIODIC_REPORT = "periodic_report"
    FOCAL_PERIODIC_REPORT = "focal_periodic_report"
    FIXED_DEADLINE_TASK = "fixed_deadline_task"
    DOCUMENT_POSTING = "document_posting"


class ObligationStatus(StrEnum):
    PENDING = "pending"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    FULFILLED_ON_TIME = "fulfilled_on_time"
    FULFILLED_LATE = "fulfilled_late"


class ObligationChanged(Event):
    """An obligation appeared or was fulfilled; carries all the notifier needs."""

    subject = "scoring.obligation.changed"

    obligation_id: str
    unit_code: str
    kind: ObligationKind
    title: str
    due_at: datetime
    task_code: str | None = None
    period: str | None = None
    document_url: str | None = None
    fulfilled_at: datetime | None = None
    status: ObligationStatus
    # Scoring (additive): when "due soon" starts, the status announced before this one, the
    # document's kind for postings, and the event that caused the change (None: time passed).
    due_soon_at: datetime | None = None
    previous_status: ObligationStatus | None = None
    document_kind: str | None = None
    caused_by: UUID | None = None


# --- notifier ---------------------------------------------------------------------------------


class NoticeSent(Event):
    """An e-mail left for a recipient (accepted by the SMTP server)."""

    subject = "notifier.notice.sent"

    notice_key: str
    recipient_unit: str
    recipient_email: str
    stage: str
    obligation_ids: tuple[str, ...]
    sent_at: datetime
    message_id: str | None = None  # stable per notice: a re-send after a crash carries the same
    round_id: str | None = None


class EscalationRaised(Event):
    """An overdue obligation was raised to the coordinator or the vice-chairman."""

    subject = "notifier.escalation.raised"

    obligation_id: str
    unit_code: str
    level: str
    raised_at: datetime
    recipient_unit: str | None = None  # the ladder step's unit (coordinator, vice-chairman)
    notice_key: str | None = None


# --- reporting --------------------------------------------------------------------------------


class DraftKind(StrEnum):
    CONSOLIDATED_REPORT = "consolidated_report"  # the focal unit's report to the chairman
    INSPECTION_NOTICE = "inspection_notice"  # after a portal inspection round (the plan's task)


class DraftReady(Event):
    """A new version of one of the focal unit's documents was drafted (.docx, maybe PDF).

    The file is not in the event (a district's report can outgrow a NATS message): it is fetched
    from reporting's API at `docx_path`, and `docx_sha256` says which bytes this version is."""

    subject = "reporting.draft.ready"

    draft_id: UUID
    kind: DraftKind
    period_key: str  # "2024-Q3", "2024-year" (reports), "2024-W40" / "2024-10" (inspection rounds)
    version_no: int
    title: str  # the summary line (trích yếu), Vietnamese
    drafted_at: datetime
    trigger: str  # all_filed | deadline | round_complete | round_ended
    docx_path: str
    docx_sha256: str
    docx_filename: str
    pdf_path: str | None = None
    recipients: tuple[str, ...] = ()  # unit codes to e-mail the draft to
    missing_units: tuple[str, ...] = ()  # lead units without a report / portals not inspected


# --- streams ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StreamSpec:
    name: str
    subjects: tuple[str, ...]
    description: str


STREAMS: tuple[StreamSpec, ...] = (
    StreamSpec("INTAKE", ("intake.>",), "Reports and evidence filed by units"),
    StreamSpec("PORTAL", ("portal.>",), "Documents and checks found on portals"),
    StreamSpec("SCORING", ("scoring.>",), "Readiness figures and obligations"),
    StreamSpec("NOTIFIER", ("notifier.>",), "Notices sent and escalations raised"),
    StreamSpec("REPORTING", ("reporting.>",), "The focal unit's drafted documents"),
)

EVENT_TYPES: tuple[type[Event], ...] = (
    ReportSubmitted,
    EvidenceSubmitted,
    DocumentFound,
    DocumentChanged,
    ProbeFinished,
    IndicatorChanged,
    ObligationChanged,
    NoticeSent,
    EscalationRaised,
    DraftReady,
)

EVENT_BY_SUBJECT: dict[str, type[Event]] = {cls.subject: cls for cls in EVENT_TYPES}


def stream_for(subject: str) -> StreamSpec:
    family = subject.split(".", 1)[0]
    for spec in STREAMS:
        if any(s.split(".", 1)[0] == family for s in spec.subjects):
            return spec
    raise KeyError(f"no stream declared for subject {subject!r}")


def parse_event(subject: str, data: bytes) -> Event:
    return EVENT_BY_SUBJECT[subject].model_validate_json(data)
