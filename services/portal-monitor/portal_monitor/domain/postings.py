"""What a probe concludes about each posting it read and each copy a duty asks for: the
posting's judgement (due instant, not a directive, posting time known), the row it stores, and
the copy findings. Pure: the store reads what they need and writes what they answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from minhbach.calendar import WorkingCalendar, local_date, start_of_day
from minhbach.plan import Plan, PortalMonitoring, ResolvedCopyDuty
from portal_monitor.domain.attachments import AttachmentCheck, full_text_of
from portal_monitor.domain.checks import CopyFinding, DirectiveItem
from portal_monitor.domain.documents import (
    DirectiveFlag,
    DocumentDraft,
    changed_fields,
    directive_flag,
)
from portal_monitor.domain.promptness import (
    SourceDocument,
    copy_due,
    copy_finding,
    copy_judged,
    publication_due,
    window_for_kind,
)


class Rules(Protocol):
    """What the verdicts read of the plan (a probe's `ProbeDeps` is one)."""

    plan: Plan
    monitoring: PortalMonitoring
    calendar: WorkingCalendar


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


@dataclass(frozen=True)
class Posting:
    """One posting of a stored document on this portal, as the store writes it."""

    document_id: Any
    section: str
    url: str
    publication_due_at: datetime | None
    posted_on_time: bool | None
    not_directive: bool | None
    attachment_url: str | None
    posting_time_known: bool


def posting_of(
    draft: DocumentDraft, document_id: Any, judgement: PostingJudgement, now: datetime
) -> Posting:
    due = judgement.publication_due_at
    return Posting(
        document_id=document_id,
        section=draft.section,
        url=draft.url,
        publication_due_at=due,
        posted_on_time=(
            None
            if due is None or not judgement.posting_time_known
            else min(judgement.posted_at or now, now) < due
        ),
        not_directive=judgement.not_directive,
        attachment_url=draft.attachment_url,
        posting_time_known=judgement.posting_time_known,
    )


STORED_FIELDS = (
    "title",
    "document_number",
    "issued_on",
    "issuer",
    "summary",
    "attachment_url",
    "kind",
)


def changes_of(record: Any, draft: DocumentDraft) -> tuple[str, ...]:
    """The fields of a stored document (`record`, a row) that its listing now shows otherwise."""
    stored = {
        name: (None if getattr(record, name) is None else str(getattr(record, name)))
        for name in STORED_FIELDS
    }
    return changed_fields(stored, draft)


def directive_items(
    rules: Rules, drafts: list[DocumentDraft], files: dict[str, AttachmentCheck]
) -> list[DirectiveItem]:
    flagged = ((draft, posting_flag(rules, draft, files)) for draft in drafts)
    return [
        DirectiveItem(
            draft.title, flag.not_directive, flag.full_text, draft.attachment_url, flag.review
        )
        for draft, flag in flagged
        if flag is not None
    ]


def posting_flag(
    rules: Rules, draft: DocumentDraft, files: dict[str, AttachmentCheck]
) -> DirectiveFlag | None:
    """Task 4.1 on one posting: its type, and its file really there ("toàn văn"): "no" only
    when established, "unknown" while the file is not checked or not reached."""
    monitoring = rules.monitoring
    check = files.get(draft.attachment_url or "")
    return directive_flag(
        draft,
        monitoring.directive_section,
        monitoring.directive_types,
        full_text=full_text_of(draft.attachment_url, check),
        directive_kind=monitoring.directive_kind,
    )


def judge(
    rules: Rules,
    monitoring_since: datetime | None,
    draft: DocumentDraft,
    kind: str,
    issued_on: date | None,
    files: dict[str, AttachmentCheck],
) -> PostingJudgement:
    """A document issued before monitoring of this portal began has an unknown posting time:
    it stays out of the on-time share (issue 12, first sweep)."""
    flag = posting_flag(rules, draft, files)
    since = monitoring_since
    # The portal's own posting date ("Ngày đăng", pubDate) makes the posting time known, even
    # for a document issued before monitoring began; never the date of issue (issue 19).
    posted_at = start_of_day(draft.listed_on) if draft.listed_on is not None else None
    return PostingJudgement(
        publication_due_at=due_instant(rules, kind, issued_on),
        # an item to review is neither accused nor cleared: unknown
        not_directive=None if flag is None or flag.review else flag.not_directive,
        posting_time_known=(
            issued_on is None
            or since is None
            or issued_on >= local_date(since)
            or posted_at is not None
        ),
        posted_at=posted_at,
    )


def due_instant(rules: Rules, kind: str, issued_on: date | None) -> datetime | None:
    if issued_on is None:
        return None
    try:
        return publication_due(rules.calendar, issued_on, window_for_kind(rules.plan, kind))
    except ValueError:
        return None  # a date outside the calendar's years (a typo on the portal)


SeenByDuty = Sequence[tuple[ResolvedCopyDuty, Sequence[tuple[SourceDocument, datetime | None]]]]


def copy_findings(
    rules: Rules, seen: SeenByDuty, now: datetime, monitoring_since: datetime | None
) -> tuple[CopyFinding, ...]:
    """Documents of other portals the plan's copy duties want on this one too (`seen`: each
    duty's source documents, and when this portal first showed each): the source's own
    documents (not national texts it re-posts) whose copy window ends after monitoring of
    this portal began (issue 19: "established means established")."""
    findings: dict[str, CopyFinding] = {}
    for duty, documents in seen:
        for document, first_seen in documents:
            due = copy_due(rules.calendar, document, duty.within_working_days)
            if rules.monitoring.reposted_text(document.number) or not copy_judged(
                due, monitoring_since
            ):
                continue
            source = rules.plan.unit(document.source_unit).name
            findings.setdefault(
                document.key or document.title, copy_finding(document, first_seen, now, due, source)
            )
    return tuple(findings.values())
