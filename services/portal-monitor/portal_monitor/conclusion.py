"""What a probe concludes, inside its unit of work: the documents and postings it read stored
(`store/`), judged and turned into events (`domain/postings.py`, `domain/events.py`), the pure
verdict (`domain/verdict.py`: outcome, checks, next due instant) and the record stored. The
report carries the events; the unit of work emits them in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from minhbach.db.unit_of_work import Session
from minhbach.events.base import Event
from minhbach.events.catalogue import DocumentFound, ProbeOutcome
from minhbach.plan import Unit
from portal_monitor import metrics, store
from portal_monitor.deps import ProbeDeps
from portal_monitor.domain.attachments import AttachmentCheck
from portal_monitor.domain.checks import (
    LATENCY_WINDOW_DAYS,
    CopyFinding,
    DirectiveItem,
    SectionObservation,
)
from portal_monitor.domain.documents import DocumentDraft, corrected
from portal_monitor.domain.events import (
    Portal,
    attachments_changed,
    document_changed,
    document_found,
    probe_finished,
    verdict_changed,
)
from portal_monitor.domain.extract import page_links
from portal_monitor.domain.postings import changes_of, copy_findings, judge, posting_of
from portal_monitor.domain.state import SectionRecord, Validators
from portal_monitor.domain.verdict import (
    HomeSeen,
    ProbeFacts,
    conclude,
    section_record,
    settle_section,
)
from portal_monitor.observe import NetworkPhase, fetch_problem


@dataclass
class ProbeReport:
    unit_code: str
    outcome: ProbeOutcome
    final: bool  # False: a failed attempt that will be retried before it counts
    found: int = 0
    changed: int = 0
    pages_fetched: int = 0
    pages_not_modified: int = 0
    events: list[Event] = field(default_factory=list)


async def conclude_probe(
    deps: ProbeDeps,
    session: Session,
    unit: Unit,
    network: NetworkPhase,
    attempt: int,
    started_at: datetime,
    state: store.PortalState,
    attachments: tuple[dict[str, AttachmentCheck], list[AttachmentCheck]],
) -> ProbeReport:
    """Store what the probe learnt and judge the portal, in the unit of work's transaction; the
    report carries the events to emit."""
    now = deps.clock.now()
    assert unit.portal is not None
    report = ProbeReport(unit.code, ProbeOutcome.OK, final=True)
    await _apply_corrections(session, network)
    known, checked = attachments
    files = {**known, **{c.url: c for c in checked}}
    portal = Portal(unit.code, unit.portal, state.monitoring_since or started_at, files)
    sections: list[SectionRecord] = []
    observations: list[SectionObservation] = []
    directive_items: list[DirectiveItem] = []
    drafts: list[DocumentDraft] = []
    for read in network.sections:
        report.pages_fetched += read.pages_fetched
        report.pages_not_modified += read.pages_not_modified
        previous = state.sections.get(read.source.section)
        observation, items = settle_section(deps, read.observation, read.drafts, previous, files)
        observations.append(observation)
        directive_items += items
        if read.drafts is not None and observation.status in ("present", "missing"):
            sections.append(section_record(observation, items))
        if read.drafts is not None and observation.status == "present":
            drafts += read.drafts
    # Documents of every changed section in one go: a handful of statements per probe.
    await store.save_attachment_checks(session, checked)
    await _store_documents(deps, session, report, portal, drafts, now)
    found = {
        (e.document.document_id, e.document.section)
        for e in report.events
        if isinstance(e, DocumentFound)
    }
    rechecked = [c.url for c in checked if c.status != getattr(known.get(c.url), "status", None)]
    rows = await store.postings_with_files(session, unit.code, rechecked)
    report.events += attachments_changed(portal, rows, found)
    for event in report.events:
        if isinstance(event, DocumentFound):
            metrics.DOCUMENTS_FOUND.labels(event.document.kind).inc()
    home = network.home
    facts = ProbeFacts(
        unit_code=unit.code,
        portal_url=unit.portal,
        attempt=attempt,
        started_at=started_at,
        now=now,
        home=HomeSeen(
            status=home.status if home is not None and home.problem is None else None,
            problem=fetch_problem(home) if home is not None else "network",
            latency_ms=home.elapsed_ms if home is not None and home.problem is None else None,
            links=(
                page_links(home.text()[0], home.final_url)
                if home is not None and home.ok
                else state.home_links
            ),
        ),
        tls_days_left=network.tls_days_left,
        observations=observations,
        directive_items=directive_items,
        sections=sections,
        copies=await _copy_findings(deps, session, unit, now, portal.monitoring_since),
        latency_samples=await store.latency_samples(session, unit.code, now, LATENCY_WINDOW_DAYS),
        validators=_validators_to_keep(network, unit.portal),
        pages_fetched=report.pages_fetched,
        pages_not_modified=report.pages_not_modified,
    )
    record = conclude(deps, facts)
    await store.record_probe(session, record)
    report.outcome, report.final = ProbeOutcome(record.outcome), record.final
    if record.final:
        report.events.append(probe_finished(record, unit.portal))
    return report


async def _store_documents(
    deps: ProbeDeps,
    session: Session,
    report: ProbeReport,
    portal: Portal,
    drafts: Sequence[DocumentDraft],
    now: datetime,
) -> None:
    """Insert new documents and postings, update changed ones; their events into `report`."""
    unit_code = portal.unit_code
    postings = []
    read: dict[tuple[Any, str], tuple[DocumentDraft, Any]] = {}
    for draft, record in await store.stored_documents(session, unit_code, drafts, now):
        if record.canonical_url == draft.canonical_url and record.first_unit_code == unit_code:
            changed = changes_of(record, draft)
            if changed or record.detail_pending != draft.detail_pending:
                await store.update_document(session, unit_code, record.document_id, draft, now)
            if changed:
                report.events.append(document_changed(portal, draft, record, changed))
                report.changed += 1
        issued_on = record.issued_on or draft.issued_on
        judgement = judge(
            deps, portal.monitoring_since, draft, record.kind, issued_on, portal.attachments
        )
        postings.append(posting_of(draft, record.document_id, judgement, now))
        read[(record.document_id, draft.section)] = (draft, record)
    # A posting's task 4.1 verdict moves when its kind does (a person's correction, a rule of
    # the plan): the stored posting follows and the change leaves as `portal.document.changed`.
    # Run before the new ones are inserted, so a new posting is never reported as changed.
    for row in await store.update_verdicts(session, unit_code, postings):
        draft, record = read[(row.document_id, row.section)]
        report.events.append(verdict_changed(portal, draft, record, row))
        report.changed += 1
    for row in await store.insert_postings(session, unit_code, postings, now):
        draft, record = read[(row.document_id, row.section)]
        report.events.append(document_found(portal, draft, record, row, now))
        report.found += 1


async def _apply_corrections(session: Session, network: NetworkPhase) -> None:
    """A person's correction of a document's kind wins over the rules, on every re-probe."""
    urls = [d.canonical_url for read in network.sections for d in read.drafts or ()]
    found = await store.kind_corrections(session, urls)
    if not found:
        return
    for read in network.sections:
        if read.drafts is not None:
            read.drafts = [
                corrected(d, found[d.canonical_url]) if d.canonical_url in found else d
                for d in read.drafts
            ]


async def _copy_findings(
    deps: ProbeDeps,
    session: Session,
    unit: Unit,
    now: datetime,
    monitoring_since: datetime | None,
) -> tuple[CopyFinding, ...] | None:
    """The copy duties onto this portal, judged (None: the plan asks no copies of it)."""
    duties = deps.plan.copy_duties_onto(unit.code)
    if not duties:
        return None
    effective_from = deps.plan.meta.effective_from
    seen = [
        (
            duty,
            await store.source_documents_seen_by(
                session, unit.code, duty.sources, duty.kinds, effective_from
            ),
        )
        for duty in duties
    ]
    return copy_findings(deps, seen, now, monitoring_since)


def _validators_to_keep(network: NetworkPhase, portal_url: str) -> dict[str, Validators]:
    """First pages of sections read in full, and the home page; a section with documents whose
    own page is not read yet is asked for in full next time (a 304 would leave them unread)."""
    kept = {
        read.url: Validators() if _details_pending(read.drafts) else read.validators
        for read in network.sections
        if read.validators is not None and read.observation.status == "present"
    }
    if network.home is not None and network.home.ok:
        kept[portal_url] = network.home.validators
    return kept


def _details_pending(drafts: Sequence[DocumentDraft] | None) -> bool:
    return any(d.detail_pending for d in drafts or ())
