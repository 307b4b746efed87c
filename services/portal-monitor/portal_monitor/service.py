"""One inspection of one portal: observe it (network phase, no transaction open), then store
state, documents and events in one transaction (transactional outbox).

A probe that finds the portal unreachable is retried later (`portal_probe_attempts`) before
`unreachable` is reported.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.calendar import local_date
from minhbach.events.base import Event
from minhbach.events.catalogue import DocumentFound, ProbeFinished, ProbeOutcome
from minhbach.observability.logging import get_logger
from minhbach.plan import Unit
from portal_monitor import metrics, store, verdicts
from portal_monitor.deps import ProbeDeps
from portal_monitor.domain.attachments import AttachmentCheck
from portal_monitor.domain.checks import (
    LATENCY_WINDOW_DAYS,
    DirectiveItem,
    PortalObservation,
    SectionObservation,
    evaluate,
    outcome_of,
    refreshed,
)
from portal_monitor.domain.documents import (
    DocumentDraft,
    corrected,
)
from portal_monitor.domain.extract import page_links
from portal_monitor.domain.state import Validators
from portal_monitor.observe import (
    NetworkPhase,
    SectionRead,
    check_attachments,
    fetch_problem,
    observe,
)

log = get_logger(__name__)


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


async def probe_portal(
    deps: ProbeDeps, unit_code: str, due_at: datetime | None = None
) -> ProbeReport | None:
    """Probe one portal; None when `due_at` is given and the portal was probed since (a stale
    request from the work queue)."""
    unit = deps.plan.unit(unit_code)
    if unit.portal is None:
        raise ValueError(f"unit {unit_code!r} has no portal")
    started_at = deps.clock.now()
    started = time.perf_counter()
    async with deps.sessions() as session:  # one short read before the network phase
        state = await store.portal_state(session, unit_code, unit.portal)
    if due_at is not None and (state.next_probe_at is None or state.next_probe_at > due_at):
        return None
    attempt = 1 + state.failed_attempts
    network = await observe(deps, unit, state.validators, set(state.sections))
    attachments, checked = await _check_attachments(deps, unit, network, state)
    async with deps.sessions() as session, session.begin():
        report = await _conclude(
            deps, session, unit, network, attempt, started_at, state, (attachments, checked)
        )
    metrics.PROBE_SECONDS.observe(time.perf_counter() - started)
    if report.final:
        metrics.PROBES.labels(report.outcome.value).inc()
        reachable = report.outcome != ProbeOutcome.UNREACHABLE
        metrics.PORTAL_REACHABLE.labels(unit.code).set(1 if reachable else 0)
    return report


async def _check_attachments(
    deps: ProbeDeps, unit: Unit, network: NetworkPhase, state: store.PortalState
) -> tuple[dict[str, AttachmentCheck], list[AttachmentCheck]]:
    """The stored checks of the files listed now (and of the stored task 4.1 items, which a
    section answered 304 reuses), and the new checks made (at most
    `attachment_checks_per_probe`, directive section first): each file is fetched once, and
    again only when it was not there a day ago. No transaction is open while fetching."""
    now = deps.clock.now()
    drafts = sorted(
        (d for read in network.sections for d in read.drafts or () if d.attachment_url),
        key=lambda d: d.section != deps.monitoring.directive_section,
    )
    stored = [i.attachment_url for s in state.sections.values() for i in s.directive_items]
    listed = list(dict.fromkeys(u for u in [*stored, *(d.attachment_url for d in drafts)] if u))
    budget = deps.attachment_checks_per_probe
    async with deps.sessions() as session:
        known = await store.attachment_checks(session, listed)
        backlog = await store.attachments_due(session, unit.code, now, budget) if budget else []
    due = [u for u in listed if u not in known or known[u].due_again(now)]
    due += [u for u in backlog if u not in due]
    return known, await check_attachments(deps, unit, due[:budget])


async def _conclude(
    deps: ProbeDeps,
    session: AsyncSession,
    unit: Unit,
    network: NetworkPhase,
    attempt: int,
    started_at: datetime,
    state: store.PortalState,
    attachments: tuple[dict[str, AttachmentCheck], list[AttachmentCheck]],
) -> ProbeReport:
    """Store what the probe learnt, check the portal, and emit the events, in the caller's
    transaction."""
    now = deps.clock.now()
    assert unit.portal is not None
    home = network.home
    if home is not None and home.ok:
        home_links = page_links(home.text()[0], home.final_url)
    else:
        home_links = state.home_links
    report = ProbeReport(unit.code, ProbeOutcome.OK, final=True)
    await _apply_corrections(session, network)
    known, checked = attachments
    files = {**known, **{c.url: c for c in checked}}
    portal = store.Portal(unit.code, unit.portal, state.monitoring_since or started_at, files)
    sections: list[store.SectionRecord] = []
    observations: list[SectionObservation] = []
    directive_items: list[DirectiveItem] = []
    drafts: list[DocumentDraft] = []
    for read in network.sections:
        report.pages_fetched += read.pages_fetched
        report.pages_not_modified += read.pages_not_modified
        previous = state.sections.get(read.source.section)
        observation, items = _settle_section(deps, read, previous, files)
        observations.append(observation)
        directive_items += items
        if read.drafts is not None and observation.status in ("present", "missing"):
            sections.append(_section_record(observation, items))
        if read.drafts is not None and observation.status == "present":
            drafts += read.drafts
    # Documents of every changed section in one go: a handful of statements per probe.
    await store.save_attachment_checks(session, checked)
    documents = await store.store_documents(
        session, portal, drafts, now, lambda d, k, i: verdicts.judge(deps, portal, d, k, i, files)
    )
    report.events += documents.events
    found = {
        (e.document.document_id, e.document.section)
        for e in documents.events
        if isinstance(e, DocumentFound)
    }
    report.events += await store.attachment_events(
        session,
        portal,
        [c for c in checked if c.status != getattr(known.get(c.url), "status", None)],
        found,
    )
    report.found, report.changed = documents.found, documents.changed
    for event in documents.events:
        if isinstance(event, DocumentFound):
            metrics.DOCUMENTS_FOUND.labels(event.document.kind).inc()
    home_status = home.status if home is not None and home.problem is None else None
    portal_obs = PortalObservation(
        portal_url=unit.portal,
        home_status=home_status if home_status != 304 else 200,
        home_problem=(fetch_problem(home) if home is not None else "network"),
        latency_ms=home.elapsed_ms if home is not None and home.problem is None else None,
        tls_days_left=network.tls_days_left,
        home_links=home_links,
        sections=tuple(observations),
        required_sections=deps.monitoring.regulation_on(local_date(now)).required_sections,
        directive_items=tuple(directive_items),
        copies=await verdicts.copy_findings(deps, session, unit, now, portal.monitoring_since),
        today=local_date(now),
        latency_samples=await store.latency_samples(session, unit.code, now, LATENCY_WINDOW_DAYS),
    )
    report.outcome = outcome_of(portal_obs)
    report.final = report.outcome != ProbeOutcome.UNREACHABLE or attempt >= deps.probe_attempts
    interval = timedelta(minutes=deps.monitoring.interval_minutes(unit.code))
    retry = timedelta(seconds=deps.probe_retry_seconds)
    record = store.ProbeRecord(
        probe_id=uuid.uuid4(),
        unit_code=unit.code,
        started_at=started_at,
        finished_at=now,
        outcome=report.outcome.value,
        attempt=attempt,
        final=report.final,
        next_probe_at=now + (interval if report.final else retry),
        latency_ms=portal_obs.latency_ms,
        tls_days_left=network.tls_days_left,
        checks=evaluate(portal_obs, deps.monitoring, deps.plan.reference_links),
        pages_fetched=report.pages_fetched,
        pages_not_modified=report.pages_not_modified,
        home_links=home_links,
        monitoring_since=None if report.outcome == ProbeOutcome.UNREACHABLE else started_at,
        sections=sections,
        validators=_validators_to_keep(network, unit.portal),
    )
    await store.record_probe(session, record)
    if report.final:
        report.events.append(_finished(record, unit.portal))
    await deps.emit(session, *report.events)
    return report


async def _apply_corrections(session: AsyncSession, network: NetworkPhase) -> None:
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


def _finished(record: store.ProbeRecord, portal_url: str) -> ProbeFinished:
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


def _validators_to_keep(network: NetworkPhase, portal_url: str) -> dict[str, Validators]:
    """First pages of sections read in full, and the home page."""
    kept = {
        read.url: read.validators
        for read in network.sections
        if read.validators is not None and read.observation.status == "present"
    }
    if network.home is not None and network.home.ok:
        kept[portal_url] = network.home.validators
    return kept


def _settle_section(
    deps: ProbeDeps,
    read: SectionRead,
    previous: store.StoredSection | None,
    files: dict[str, AttachmentCheck],
) -> tuple[SectionObservation, list[DirectiveItem]]:
    """The section's observation (from this read, or the stored one when unchanged) and its
    task 4.1 items (stored ones follow their files' checks made since)."""
    obs = read.observation
    stored_items = refreshed(previous.directive_items if previous is not None else (), files)
    if obs.status in ("unreachable", "robots"):
        return obs, stored_items
    if read.drafts is None:  # 304: nothing changed since the stored read
        if previous is None:
            return obs, []
        restored = SectionObservation(
            obs.section,
            obs.name,
            previous.status,  # type: ignore[arg-type]  # stored from a SectionStatus
            obs.evidence_url,
            item_count=previous.item_count,
            newest_on=previous.newest_on,
            http_status=previous.http_status,
            page_problems=previous.page_problems,
            links=previous.links,
            delegated_to=obs.delegated_to,
        )
        return restored, stored_items
    if obs.status != "present":
        return obs, []
    return obs, verdicts.directive_items(deps, read.drafts, files)


def _section_record(obs: SectionObservation, items: list[DirectiveItem]) -> store.SectionRecord:
    return store.SectionRecord(
        section=obs.section,
        status=obs.status,
        item_count=obs.item_count,
        newest_on=obs.newest_on,
        http_status=obs.http_status,
        links=obs.links,
        directive_items=tuple(items),
        page_problems=obs.page_problems,
    )
