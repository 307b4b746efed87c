"""One inspection of one portal: fetch (no transaction open), then store state, documents and
events in one transaction (transactional outbox).

Network phase: robots.txt (cached), home page (availability, latency, links), TLS certificate,
each section's first page conditionally (ETag / Last-Modified) and, when it changed, its further
pages. A fetch that fails transiently is retried once before it counts; a probe that finds the
portal unreachable is retried later (`portal_probe_attempts`) before `unreachable` is reported.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.calendar import WorkingCalendar, local_date
from minhbach.clock import Clock
from minhbach.events.base import Event
from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    DocumentKind,
    PortalDocument,
    ProbeFinished,
    ProbeOutcome,
)
from minhbach.observability.logging import get_logger
from minhbach.plan import Plan, PortalMonitoring, SectionSource, Unit
from portal_monitor import db, metrics
from portal_monitor.domain.checks import (
    CopyFinding,
    DirectiveItem,
    PortalObservation,
    SectionObservation,
    evaluate,
    outcome_of,
)
from portal_monitor.domain.classify import Classifier
from portal_monitor.domain.documents import (
    DocumentDraft,
    changed_fields,
    deduplicate,
    directive_flag,
    draft_of,
)
from portal_monitor.domain.extract import (
    ParsedPage,
    page_links,
    parse_feed,
    parse_listing,
    parse_sitemap,
)
from portal_monitor.domain.promptness import (
    DistrictDocument,
    commune_copy_kinds,
    copy_finding,
    publication_due,
    window_for_kind,
)
from portal_monitor.domain.robots import RobotsPolicy
from portal_monitor.domain.urls import host_of, origin, resolve
from portal_monitor.fetcher import Fetcher, FetchResult, Validators, tls_days_left
from portal_monitor.robots_cache import RobotsCache

log = get_logger(__name__)

Emit = Callable[..., Awaitable[None]]
COMMUNE_KINDS = ("commune", "town")


@dataclass
class ProbeDeps:
    plan: Plan
    monitoring: PortalMonitoring
    classifier: Classifier
    calendar: WorkingCalendar
    fetcher: Fetcher
    robots: RobotsCache
    sessions: async_sessionmaker[AsyncSession]
    emit: Emit  # runtime.emit(session, *events)
    clock: Clock
    fetch_retry_seconds: float
    probe_attempts: int
    probe_retry_seconds: float
    copy_kinds: frozenset[str] = frozenset()
    district_units: tuple[str, ...] = ()
    check_tls: bool = True

    @classmethod
    def build(cls, plan: Plan, **kwargs: Any) -> ProbeDeps:
        monitoring = plan.portal_monitoring
        if monitoring is None:
            raise ValueError("the plan has no portal_monitoring block")
        calendar = plan.working_calendar()
        calendar.add_working_days(plan.meta.effective_from, 1)  # load holiday tables now, once
        return cls(
            plan=plan,
            monitoring=monitoring,
            classifier=Classifier.from_monitoring(monitoring),
            calendar=calendar,
            copy_kinds=commune_copy_kinds(plan),
            district_units=tuple(u.code for u in plan.units if u.kind == "district"),
            **kwargs,
        )


@dataclass
class SectionRead:
    source: SectionSource
    url: str
    observation: SectionObservation
    drafts: list[DocumentDraft] | None = None  # None: unchanged since the last read (304)
    validators: Validators | None = None  # to store for the first page
    pages_fetched: int = 0
    pages_not_modified: int = 0


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


# --- network phase -----------------------------------------------------------------------------


async def fetch_retrying(
    deps: ProbeDeps, url: str, hosts: Sequence[str], validators: Validators | None = None
) -> FetchResult:
    result = await deps.fetcher.fetch(url, hosts, validators)
    if result.transient:
        await asyncio.sleep(deps.fetch_retry_seconds)
        result = await deps.fetcher.fetch(url, hosts, validators)
    return result


def _problem(result: FetchResult) -> str | None:
    if result.problem:
        return result.problem
    if result.status is not None and result.status >= 500:
        return "server_error"
    return None


def _section_name(plan: Plan, code: str) -> str:
    return next((s.name for s in plan.portal_sections if s.code == code), code)


async def read_section(
    deps: ProbeDeps,
    unit: Unit,
    source: SectionSource,
    hosts: Sequence[str],
    robots: RobotsPolicy,
    validators: Validators | None,
    has_stored_state: bool,
) -> SectionRead:
    assert unit.portal is not None
    url = resolve(unit.portal, source.path)
    name = _section_name(deps.plan, source.section)

    def observed(status: Any, **kw: Any) -> SectionObservation:
        return SectionObservation(source.section, name, status, url, **kw)

    if not robots.allows(url):
        metrics.ROBOTS_REFUSALS.inc()
        return SectionRead(source, url, observed("robots"))
    result = await fetch_retrying(deps, url, hosts, validators if has_stored_state else None)
    read = SectionRead(source, url, observed("present"), pages_fetched=1)
    if result.not_modified:
        read.pages_not_modified = 1
        return read
    problem = _problem(result)
    if problem is not None:
        read.observation = observed("unreachable", problem=problem, http_status=result.status)
        return read
    if result.status is not None and result.status >= 400:
        read.observation = observed("missing", http_status=result.status)
        read.drafts = []  # read: the portal says the section is not there (stored as such)
        return read
    pages: list[ParsedPage] = []
    page_problems: list[str] = []
    current: FetchResult | None = result
    while current is not None:
        page, clean = _parse(source, current)
        if not clean:
            page_problems.append("invalid_encoding")
        if page.malformed:
            page_problems.append("malformed")
        pages.append(page)
        current = None
        if (
            page.next_page_url
            and len(pages) < source.max_pages
            and robots.allows(page.next_page_url)
        ):
            nxt = await fetch_retrying(deps, page.next_page_url, hosts)
            read.pages_fetched += 1
            if nxt.ok:
                current = nxt
    items = [item for page in pages for item in page.items]
    drafts = deduplicate(draft_of(item, source.section, deps.classifier) for item in items)
    read.drafts = drafts
    read.validators = result.validators
    read.observation = observed(
        "present",
        item_count=len(drafts),
        newest_on=_newest(drafts),
        http_status=result.status,
        page_problems=tuple(dict.fromkeys(page_problems)),
        links=frozenset().union(*(p.links for p in pages)),
    )
    return read


def _parse(source: SectionSource, result: FetchResult) -> tuple[ParsedPage, bool]:
    if source.source == "feed":
        return parse_feed(result.body, result.final_url), True
    if source.source == "sitemap":
        return parse_sitemap(result.body, result.final_url, source.url_prefix), True
    text, clean = result.text()
    assert source.selectors is not None
    return parse_listing(text, result.final_url, source.selectors), clean


def _newest(drafts: Sequence[DocumentDraft]) -> date | None:
    dates = [d for draft in drafts if (d := draft.issued_on or draft.listed_on) is not None]
    return max(dates, default=None)


@dataclass
class NetworkPhase:
    home: FetchResult | None
    robots_unreachable: bool
    tls_days_left: int | None
    sections: list[SectionRead]


async def observe(
    deps: ProbeDeps, unit: Unit, validators: dict[str, Validators], stored_sections: set[str]
) -> NetworkPhase:
    assert unit.portal is not None
    config = deps.monitoring.portal_config(unit.code)
    hosts = (host_of(unit.portal), *(h.lower() for h in config.extra_hosts))
    sources = deps.plan.section_sources(unit.code)
    robots = await deps.robots.policy(unit.portal, hosts)

    def unreachable_sections(problem: str) -> list[SectionRead]:
        return [
            SectionRead(
                s,
                resolve(unit.portal or "", s.path),
                SectionObservation(
                    s.section,
                    _section_name(deps.plan, s.section),
                    "unreachable",
                    resolve(unit.portal or "", s.path),
                    problem=problem,
                ),
            )
            for s in sources
        ]

    if robots.disallow_all:  # robots.txt unreachable (RFC 9309): the portal is, for now
        return NetworkPhase(None, True, None, unreachable_sections("network"))
    home = await fetch_retrying(deps, unit.portal, hosts, validators.get(unit.portal))
    if home.transient or home.problem in ("blocked_address",):
        return NetworkPhase(home, False, None, unreachable_sections(_problem(home) or "network"))
    tls = (
        await tls_days_left(unit.portal, deps.fetcher.policy, deps.clock.now())
        if deps.check_tls
        else None
    )
    reads = [
        await read_section(
            deps,
            unit,
            source,
            hosts,
            robots,
            validators.get(resolve(unit.portal, source.path)),
            source.section in stored_sections,
        )
        for source in sources
    ]
    return NetworkPhase(home, False, tls, reads)


# --- the whole probe ---------------------------------------------------------------------------


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
        state = (
            await session.execute(
                select(db.portal_state).where(db.portal_state.c.unit_code == unit_code)
            )
        ).first()
        if due_at is not None and (state is None or state.next_probe_at > due_at):
            return None
        validators = await _load_validators(session, unit.portal)
        stored = await _stored_sections(session, unit_code)
    attempt = 1 + (state.failed_attempts if state is not None else 0)
    network = await observe(deps, unit, validators, set(stored))
    async with deps.sessions() as session, session.begin():
        report = await _store(deps, session, unit, network, attempt, started_at, state, stored)
    metrics.PROBE_SECONDS.observe(time.perf_counter() - started)
    if report.final:
        metrics.PROBES.labels(report.outcome.value).inc()
        reachable = report.outcome != ProbeOutcome.UNREACHABLE
        metrics.PORTAL_REACHABLE.labels(unit.code).set(1 if reachable else 0)
    return report


async def _load_validators(session: AsyncSession, portal_url: str) -> dict[str, Validators]:
    rows = await session.execute(
        select(db.http_validators).where(db.http_validators.c.url.startswith(origin(portal_url)))
    )
    return {r.url: Validators(r.etag, r.last_modified) for r in rows}


async def _store(
    deps: ProbeDeps,
    session: AsyncSession,
    unit: Unit,
    network: NetworkPhase,
    attempt: int,
    started_at: datetime,
    state: Any,
    stored: dict[str, Any],
) -> ProbeReport:
    """Write everything the probe learnt in the caller's transaction. The portal's lease makes
    this replica the only writer of its state, read before the network phase (`state`,
    `stored`)."""
    now = deps.clock.now()
    assert unit.portal is not None
    home = network.home
    home_links: frozenset[str]
    if home is not None and home.ok:
        text, _ = home.text()
        home_links = page_links(text, home.final_url)
    else:
        stored_links = state.home_links if state is not None else None
        home_links = frozenset(stored_links or ())
    report = ProbeReport(unit.code, ProbeOutcome.OK, final=True)
    pending = _Pending()
    observations: list[SectionObservation] = []
    directive_items: list[DirectiveItem] = []
    for read in network.sections:
        report.pages_fetched += read.pages_fetched
        report.pages_not_modified += read.pages_not_modified
        observation, items = _settle_section(deps, read, stored, pending)
        observations.append(observation)
        directive_items += items
    # Documents of every changed section in one go: a handful of statements per probe.
    await _store_documents(deps, session, unit, pending.drafts, now, report)
    copies = await _copy_findings(deps, session, unit, now)
    home_status = home.status if home is not None and home.problem is None else None
    portal_obs = PortalObservation(
        portal_url=unit.portal,
        home_status=home_status if home_status != 304 else 200,
        home_problem=(_problem(home) if home is not None else "network"),
        latency_ms=home.elapsed_ms if home is not None and home.problem is None else None,
        tls_days_left=network.tls_days_left,
        home_links=home_links,
        sections=tuple(observations),
        required_sections=deps.monitoring.regulation_on(local_date(now)).required_sections,
        directive_items=tuple(directive_items),
        copies=copies,
        today=local_date(now),
    )
    report.outcome = outcome_of(portal_obs)
    report.final = report.outcome != ProbeOutcome.UNREACHABLE or attempt >= deps.probe_attempts
    checks = evaluate(portal_obs, deps.monitoring, deps.plan.reference_links)
    probe_id = uuid.uuid4()
    await session.execute(
        pg_insert(db.probes).values(
            probe_id=probe_id,
            unit_code=unit.code,
            started_at=started_at,
            finished_at=now,
            outcome=report.outcome.value,
            attempt=attempt,
            latency_ms=portal_obs.latency_ms,
            tls_days_left=network.tls_days_left,
            checks=[c.model_dump(mode="json") for c in checks],
            pages_fetched=report.pages_fetched,
            pages_not_modified=report.pages_not_modified,
        )
    )
    if home is not None and home.ok:
        pending.validators[unit.portal] = home.validators
    await pending.flush(session, unit.code, now)
    interval = timedelta(minutes=deps.monitoring.interval_minutes(unit.code))
    retry = timedelta(seconds=deps.probe_retry_seconds)
    await session.execute(
        update(db.portal_state)
        .where(db.portal_state.c.unit_code == unit.code)
        .values(
            next_probe_at=now + (interval if report.final else retry),
            leased_until=None,
            failed_attempts=0 if report.final else attempt,
            last_probe_at=now,
            last_outcome=report.outcome.value,
            home_links=sorted(home_links),
            latency_ms=portal_obs.latency_ms,
        )
    )
    if report.final:
        report.events.append(
            ProbeFinished(
                probe_id=probe_id,
                portal_unit_code=unit.code,
                portal_url=unit.portal,
                started_at=started_at,
                finished_at=now,
                outcome=report.outcome,
                checks=checks,
                latency_ms=portal_obs.latency_ms,
                tls_days_left=network.tls_days_left,
                attempt=attempt,
                pages_fetched=report.pages_fetched,
                pages_not_modified=report.pages_not_modified,
            )
        )
    await deps.emit(session, *report.events)
    return report


async def _stored_sections(session: AsyncSession, unit_code: str) -> dict[str, Any]:
    rows = await session.execute(
        select(db.section_state).where(db.section_state.c.unit_code == unit_code)
    )
    return {row.section: row for row in rows}


def _settle_section(
    deps: ProbeDeps,
    read: SectionRead,
    stored: dict[str, Any],
    pending: _Pending,
) -> tuple[SectionObservation, list[DirectiveItem]]:
    """The section's observation (from this read, or the stored one when unchanged), with its
    documents stored and their events queued."""
    previous = stored.get(read.source.section)
    obs = read.observation
    if obs.status in ("unreachable", "robots"):
        return obs, _directive_items_of(previous)
    if read.drafts is None:  # 304: nothing changed since the stored read
        if previous is None:
            return obs, []
        restored = SectionObservation(
            obs.section,
            obs.name,
            previous.status,
            obs.evidence_url,
            item_count=previous.item_count,
            newest_on=previous.newest_on,
            http_status=previous.http_status,
            page_problems=tuple(previous.page_problems or ()),
            links=frozenset(previous.links or ()),
        )
        return restored, _directive_items_of(previous)
    items: list[DirectiveItem] = []
    if obs.status == "present":
        pending.drafts += read.drafts
        items = _directive_items(deps, read.drafts)
    pending.section_rows.append(
        {
            "section": obs.section,
            "status": obs.status,
            "item_count": obs.item_count,
            "newest_on": obs.newest_on,
            "http_status": obs.http_status,
            "links": json.dumps(sorted(obs.links)),
            "directive_items": json.dumps([_item_json(i) for i in items]),
            "page_problems": json.dumps(list(obs.page_problems)),
        }
    )
    if read.validators is not None and obs.status == "present":
        pending.validators[read.url] = read.validators
    return obs, items


def _directive_items(deps: ProbeDeps, drafts: list[DocumentDraft]) -> list[DirectiveItem]:
    monitoring = deps.monitoring
    flagged = (
        (draft, directive_flag(draft, monitoring.directive_section, monitoring.directive_kind))
        for draft in drafts
    )
    return [
        DirectiveItem(draft.title, flag.not_directive, flag.no_full_text)
        for draft, flag in flagged
        if flag is not None
    ]


def _item_json(item: DirectiveItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "not_directive": item.not_directive,
        "no_full_text": item.no_full_text,
    }


def _directive_items_of(row: Any) -> list[DirectiveItem]:
    if row is None or not row.directive_items:
        return []
    return [
        DirectiveItem(i["title"], i["not_directive"], i["no_full_text"])
        for i in row.directive_items
    ]


_UPSERT_VALIDATORS = text(
    """
    INSERT INTO portal_monitor.http_validators (url, etag, last_modified, updated_at)
    SELECT v.url, v.etag, v.last_modified, :now
    FROM unnest(CAST(:urls AS text[]), CAST(:etags AS text[]), CAST(:modified AS text[]))
         AS v(url, etag, last_modified)
    ON CONFLICT (url) DO UPDATE
    SET etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, updated_at = :now
    """
)

_UPSERT_SECTIONS = text(
    """
    INSERT INTO portal_monitor.section_state (unit_code, section, status, item_count, newest_on,
        http_status, links, directive_items, page_problems, updated_at)
    SELECT :unit, s.section, s.status, s.item_count, s.newest_on, s.http_status,
        s.links::jsonb, s.directive_items::jsonb, s.page_problems::jsonb, :now
    FROM unnest(CAST(:sections AS text[]), CAST(:statuses AS text[]), CAST(:counts AS int[]),
        CAST(:newest AS date[]), CAST(:http AS int[]), CAST(:links AS text[]),
        CAST(:directive AS text[]), CAST(:problems AS text[]))
        AS s(section, status, item_count, newest_on, http_status, links, directive_items,
             page_problems)
    ON CONFLICT (unit_code, section) DO UPDATE
    SET status = EXCLUDED.status, item_count = EXCLUDED.item_count,
        newest_on = EXCLUDED.newest_on, http_status = EXCLUDED.http_status,
        links = EXCLUDED.links, directive_items = EXCLUDED.directive_items,
        page_problems = EXCLUDED.page_problems, updated_at = EXCLUDED.updated_at
    """
)


@dataclass
class _Pending:
    """Rows written once per probe, in one statement each (arrays, not one row per statement)."""

    section_rows: list[dict[str, Any]] = field(default_factory=list)
    validators: dict[str, Validators] = field(default_factory=dict)
    drafts: list[DocumentDraft] = field(default_factory=list)

    async def flush(self, session: AsyncSession, unit_code: str, now: datetime) -> None:
        kept = {u: v for u, v in self.validators.items() if v.etag or v.last_modified}
        if kept:
            await session.execute(
                _UPSERT_VALIDATORS,
                {
                    "urls": list(kept),
                    "etags": [v.etag for v in kept.values()],
                    "modified": [v.last_modified for v in kept.values()],
                    "now": now,
                },
            )
        rows = self.section_rows
        if rows:
            await session.execute(
                _UPSERT_SECTIONS,
                {
                    "unit": unit_code,
                    "now": now,
                    "sections": [r["section"] for r in rows],
                    "statuses": [r["status"] for r in rows],
                    "counts": [r["item_count"] for r in rows],
                    "newest": [r["newest_on"] for r in rows],
                    "http": [r["http_status"] for r in rows],
                    "links": [r["links"] for r in rows],
                    "directive": [r["directive_items"] for r in rows],
                    "problems": [r["page_problems"] for r in rows],
                },
            )


_INSERT_DOCUMENTS = text(
    """
    INSERT INTO portal_monitor.documents (document_id, canonical_url, fingerprint, url, title,
        section, kind, matched_rule, document_number, issued_on, issuer, summary, attachment_url,
        first_seen_at, first_unit_code, updated_at)
    SELECT d.*, :now, :unit, :now
    FROM unnest(CAST(:ids AS uuid[]), CAST(:curls AS text[]), CAST(:fps AS text[]),
        CAST(:urls AS text[]), CAST(:titles AS text[]), CAST(:sections AS text[]),
        CAST(:kinds AS text[]), CAST(:rules AS text[]), CAST(:numbers AS text[]),
        CAST(:issued AS date[]), CAST(:issuers AS text[]), CAST(:summaries AS text[]),
        CAST(:attachments AS text[])) AS d
    ON CONFLICT (canonical_url) DO NOTHING
    """
)

_INSERT_POSTINGS = text(
    """
    INSERT INTO portal_monitor.postings (document_id, unit_code, section, url, first_seen_at,
        publication_due_at, posted_on_time, not_directive)
    SELECT p.document_id, :unit, p.section, p.url, :now, p.due, p.on_time, p.not_directive
    FROM unnest(CAST(:ids AS uuid[]), CAST(:sections AS text[]), CAST(:urls AS text[]),
        CAST(:dues AS timestamptz[]), CAST(:on_time AS boolean[]),
        CAST(:not_directive AS boolean[])) AS p(document_id, section, url, due, on_time,
        not_directive)
    ON CONFLICT DO NOTHING
    RETURNING document_id, section, publication_due_at, posted_on_time, not_directive
    """
)


async def _store_documents(
    deps: ProbeDeps,
    session: AsyncSession,
    unit: Unit,
    drafts: list[DocumentDraft],
    now: datetime,
    report: ProbeReport,
) -> None:
    """Insert new documents and postings, update changed ones; queue found/changed events."""
    if not drafts:
        return
    docs = db.documents.c
    by_url = {
        r.canonical_url: r
        for r in await session.execute(
            select(db.documents).where(docs.canonical_url.in_([d.canonical_url for d in drafts]))
        )
    }
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
    new = [d for d in drafts if d.canonical_url not in by_url and d.fingerprint not in by_fp]
    if new:
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
                "now": now,
                "unit": unit.code,
            },
        )
        for r in await session.execute(
            select(db.documents).where(docs.canonical_url.in_([d.canonical_url for d in new]))
        ):
            by_url[r.canonical_url] = r
    postings: list[dict[str, Any]] = []
    records: dict[tuple[Any, str], tuple[DocumentDraft, Any]] = {}
    for draft in drafts:
        record = by_url.get(draft.canonical_url) or by_fp.get(draft.fingerprint or "")
        if record is None:
            continue
        same_listing = record.canonical_url == draft.canonical_url
        if same_listing and record.first_unit_code == unit.code:
            await _maybe_changed(session, unit, draft, record, now, report)
        flag = directive_flag(
            draft, deps.monitoring.directive_section, deps.monitoring.directive_kind
        )
        due = _due(deps, record.kind, record.issued_on or draft.issued_on)
        postings.append(
            {
                "document_id": record.document_id,
                "unit_code": unit.code,
                "section": draft.section,
                "url": draft.url,
                "first_seen_at": now,
                "publication_due_at": due,
                "posted_on_time": None if due is None else now < due,
                "not_directive": None if flag is None else flag.not_directive,
            }
        )
        records[(record.document_id, draft.section)] = (draft, record)
    if postings:
        inserted = await session.execute(
            _INSERT_POSTINGS,
            {
                "unit": unit.code,
                "now": now,
                "ids": [p["document_id"] for p in postings],
                "sections": [p["section"] for p in postings],
                "urls": [p["url"] for p in postings],
                "dues": [p["publication_due_at"] for p in postings],
                "on_time": [p["posted_on_time"] for p in postings],
                "not_directive": [p["not_directive"] for p in postings],
            },
        )
        for row in inserted:
            draft, record = records[(row.document_id, row.section)]
            report.events.append(
                DocumentFound(
                    document=_portal_document(
                        unit,
                        draft,
                        record,
                        now,
                        row.publication_due_at,
                        row.posted_on_time,
                        row.not_directive,
                    )
                )
            )
            report.found += 1
            metrics.DOCUMENTS_FOUND.labels(record.kind).inc()


async def _maybe_changed(
    session: AsyncSession,
    unit: Unit,
    draft: DocumentDraft,
    record: Any,
    now: datetime,
    report: ProbeReport,
) -> None:
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
        return
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
            fingerprint=draft.fingerprint,
            updated_at=now,
        )
    )
    document = _portal_document(unit, draft, record, record.first_seen_at, None, None, None)
    report.events.append(DocumentChanged(document=document, changed_fields=changed))
    report.changed += 1


def _due(deps: ProbeDeps, kind: str, issued_on: date | None) -> datetime | None:
    if issued_on is None:
        return None
    try:
        return publication_due(deps.calendar, issued_on, window_for_kind(deps.plan, kind))
    except ValueError:
        return None  # a date outside the calendar's years (a typo on the portal)


def _portal_document(
    unit: Unit,
    draft: DocumentDraft,
    record: Any,
    first_seen: datetime,
    due: datetime | None,
    on_time: bool | None,
    not_directive: bool | None,
) -> PortalDocument:
    copy_of = record.first_unit_code if record.first_unit_code != unit.code else None
    return PortalDocument(
        document_id=record.document_id,
        portal_unit_code=unit.code,
        url=draft.url,
        title=draft.title,
        section=draft.section,
        kind=DocumentKind(draft.kind),
        matched_rule=draft.matched_rule,
        document_number=draft.document_number,
        issued_on=draft.issued_on,
        issuer=draft.issuer,
        summary=draft.summary,
        full_text_available=draft.full_text_linked,
        first_seen_at=first_seen,
        canonical_url=draft.canonical_url,
        attachment_url=draft.attachment_url,
        publication_due_at=due,
        posted_on_time=on_time,
        in_directive_section_not_directive=not_directive,
        district_unit_code=copy_of,
    )


async def _copy_findings(
    deps: ProbeDeps, session: AsyncSession, unit: Unit, now: datetime
) -> tuple[CopyFinding, ...] | None:
    """District documents of the kinds tasks 1.1/2.1/8.3 want on commune portals too."""
    if unit.kind not in COMMUNE_KINDS or not deps.copy_kinds or not deps.district_units:
        return None
    district = db.postings.alias("district")
    commune = db.postings.alias("commune")
    rows = await session.execute(
        select(
            db.documents.c.title,
            func.min(district.c.publication_due_at),
            func.min(commune.c.first_seen_at),
        )
        .select_from(
            district.join(
                db.documents, db.documents.c.document_id == district.c.document_id
            ).outerjoin(
                commune,
                and_(
                    commune.c.document_id == district.c.document_id,
                    commune.c.unit_code == unit.code,
                ),
            )
        )
        .where(
            district.c.unit_code.in_(deps.district_units),
            db.documents.c.kind.in_(sorted(deps.copy_kinds)),
            district.c.publication_due_at.is_not(None),
            db.documents.c.issued_on >= deps.plan.meta.effective_from,
        )
        .group_by(db.documents.c.document_id, db.documents.c.title)
    )
    return tuple(copy_finding(DistrictDocument(title, due), seen, now) for title, due, seen in rows)
