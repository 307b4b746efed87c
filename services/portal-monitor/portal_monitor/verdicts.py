"""What a probe concludes about each document it read and each copy a duty asks for: the
posting's judgement (due instant, not a directive, posting time known) and the copy findings.
Called from `probe.py` inside its closing transaction."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.calendar import local_date, start_of_day
from minhbach.plan import Unit
from portal_monitor import store
from portal_monitor.deps import ProbeDeps
from portal_monitor.domain.attachments import AttachmentCheck, full_text_of
from portal_monitor.domain.checks import (
    CopyFinding,
    DirectiveItem,
)
from portal_monitor.domain.documents import (
    DirectiveFlag,
    DocumentDraft,
    directive_flag,
)
from portal_monitor.domain.promptness import (
    copy_due,
    copy_finding,
    copy_judged,
    publication_due,
    window_for_kind,
)


def directive_items(
    deps: ProbeDeps, drafts: list[DocumentDraft], files: dict[str, AttachmentCheck]
) -> list[DirectiveItem]:
    flagged = ((draft, posting_flag(deps, draft, files)) for draft in drafts)
    return [
        DirectiveItem(
            draft.title, flag.not_directive, flag.full_text, draft.attachment_url, flag.review
        )
        for draft, flag in flagged
        if flag is not None
    ]


def posting_flag(
    deps: ProbeDeps, draft: DocumentDraft, files: dict[str, AttachmentCheck]
) -> DirectiveFlag | None:
    """Task 4.1 on one posting: its type, and its file really there ("toàn văn"): "no" only
    when established, "unknown" while the file is not checked or not reached."""
    monitoring = deps.monitoring
    check = files.get(draft.attachment_url or "")
    return directive_flag(
        draft,
        monitoring.directive_section,
        monitoring.directive_types,
        full_text=full_text_of(draft.attachment_url, check),
        directive_kind=monitoring.directive_kind,
    )


def judge(
    deps: ProbeDeps,
    portal: store.Portal,
    draft: DocumentDraft,
    kind: str,
    issued_on: date | None,
    files: dict[str, AttachmentCheck],
) -> store.PostingJudgement:
    """A document issued before monitoring of this portal began has an unknown posting time:
    it stays out of the on-time share (issue 12, first sweep)."""
    flag = posting_flag(deps, draft, files)
    since = portal.monitoring_since
    # The portal's own posting date ("Ngày đăng", pubDate) makes the posting time known, even
    # for a document issued before monitoring began; never the date of issue (issue 19).
    posted_at = start_of_day(draft.listed_on) if draft.listed_on is not None else None
    return store.PostingJudgement(
        publication_due_at=due_instant(deps, kind, issued_on),
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


def due_instant(deps: ProbeDeps, kind: str, issued_on: date | None) -> datetime | None:
    if issued_on is None:
        return None
    try:
        return publication_due(deps.calendar, issued_on, window_for_kind(deps.plan, kind))
    except ValueError:
        return None  # a date outside the calendar's years (a typo on the portal)


async def copy_findings(
    deps: ProbeDeps,
    session: AsyncSession,
    unit: Unit,
    now: datetime,
    monitoring_since: datetime | None,
) -> tuple[CopyFinding, ...] | None:
    """Documents of other portals the plan's copy duties want on this one too: the source's
    own documents (not national texts it re-posts) whose copy window ends after monitoring of
    this portal began (issue 19: "established means established")."""
    duties = deps.plan.copy_duties_onto(unit.code)
    if not duties:
        return None
    findings: dict[str, CopyFinding] = {}
    for duty in duties:
        seen = await store.source_documents_seen_by(
            session, unit.code, duty.sources, duty.kinds, deps.plan.meta.effective_from
        )
        for document, first_seen in seen:
            due = copy_due(deps.calendar, document, duty.within_working_days)
            if deps.monitoring.reposted_text(document.number) or not copy_judged(
                due, monitoring_since
            ):
                continue
            source = deps.plan.unit(document.source_unit).name
            findings.setdefault(
                document.key or document.title, copy_finding(document, first_seen, now, due, source)
            )
    return tuple(findings.values())
