"""The network phase of a probe: what the portal shows, read with no transaction open.

robots.txt (cached), home page (availability, latency, links), TLS certificate, each section's
first page conditionally (ETag / Last-Modified) and, when it changed, its further pages. A fetch
that fails transiently is retried once before it counts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from minhbach.db.unit_of_work import Outcome, Session
from minhbach.plan import Plan, SectionSource, Unit
from portal_monitor import metrics, store
from portal_monitor.deps import ProbeDeps
from portal_monitor.domain.attachments import (
    ATTACHMENT_PREFIX_BYTES,
    AttachmentCheck,
    judge_attachment,
)
from portal_monitor.domain.checks import SectionObservation
from portal_monitor.domain.documents import DocumentDraft, deduplicate, draft_of
from portal_monitor.domain.extract import (
    DetailFields,
    ListedItem,
    ParsedPage,
    parse_detail,
    parse_feed,
    parse_listing,
    parse_sitemap,
    with_detail,
)
from portal_monitor.domain.robots import RobotsPolicy
from portal_monitor.domain.state import Validators
from portal_monitor.domain.text import fold_case, strip_diacritics
from portal_monitor.domain.urls import canonical_url, host_of, resolve
from portal_monitor.fetcher import FetchResult
from portal_monitor.tls import tls_days_left


@dataclass
class SectionRead:
    source: SectionSource
    url: str
    observation: SectionObservation
    drafts: list[DocumentDraft] | None = None  # None: unchanged since the last read (304)
    validators: Validators | None = None  # to store for the first page
    pages_fetched: int = 0
    pages_not_modified: int = 0


async def fetch_retrying(
    deps: ProbeDeps, url: str, hosts: Sequence[str], validators: Validators | None = None
) -> FetchResult:
    result = await deps.fetcher.fetch(url, hosts, validators)
    if result.transient:
        await asyncio.sleep(deps.fetch_retry_seconds)
        result = await deps.fetcher.fetch(url, hosts, validators)
    return result


def fetch_problem(result: FetchResult) -> str | None:
    if result.problem:
        return result.problem
    if result.status is not None and result.status >= 500:
        return "server_error"
    return None


def section_name(plan: Plan, code: str) -> str:
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
    name = section_name(deps.plan, source.section)

    def observed(status: Any, **kw: Any) -> SectionObservation:
        return SectionObservation(
            source.section, name, status, url, delegated_to=source.delegated_to, **kw
        )

    if not robots.allows(url):
        metrics.ROBOTS_REFUSALS.inc()
        return SectionRead(source, url, observed("robots"))
    result = await fetch_retrying(deps, url, hosts, validators if has_stored_state else None)
    read = SectionRead(source, url, observed("present"), pages_fetched=1)
    if result.not_modified:
        read.pages_not_modified = 1
        return read
    problem = fetch_problem(result)
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
    if source.detail is not None and items:
        items = await _with_details(deps, source, items, hosts, robots, read)
    if not items and source.source == "listing" and _soft_404(deps, result):
        # 200 with "không tồn tại" and no item: the section is not there
        read.observation = observed("missing", problem="soft_404")
        read.drafts = []
        return read
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


async def _with_details(
    deps: ProbeDeps,
    source: SectionSource,
    items: list[ListedItem],
    hosts: Sequence[str],
    robots: RobotsPolicy,
    read: SectionRead,
) -> list[ListedItem]:
    """Items completed by their own page: a stored document from what was read before (its
    page is fetched once), a new one by fetching its page, politely (the host gate spaces the
    requests) and at most `max_details` a read; the rest stay pending (their file unknown, not
    absent) and are read on the next probes."""
    assert source.detail is not None

    async def read_stored(session: Session) -> Outcome[dict[str, DetailFields]]:
        return Outcome(await store.stored_details(session, [i.url for i in items]))

    known = await deps.unit_of_work.run(read_stored)
    budget = source.max_details
    completed: list[ListedItem] = []
    for item in items:
        stored = known.get(canonical_url(item.url))
        if stored is not None:
            completed.append(with_detail(item, stored))
            continue
        if budget <= 0 or not robots.allows(item.url):
            completed.append(replace(item, detail_pending=True))
            continue
        budget -= 1
        page = await fetch_retrying(deps, item.url, hosts)
        read.pages_fetched += 1
        if not page.ok:
            completed.append(replace(item, detail_pending=True))
            continue
        text, _clean = page.text()
        completed.append(with_detail(item, parse_detail(text, page.final_url, source.detail)))
    return completed


def _soft_404(deps: ProbeDeps, result: FetchResult) -> bool:
    phrases = deps.monitoring.soft_404_phrases
    if not phrases:
        return False
    page = strip_diacritics(fold_case(result.text()[0]))
    return any(strip_diacritics(fold_case(p)) in page for p in phrases)


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
    hosts = portal_hosts(deps, unit)
    sources = deps.plan.section_sources(unit.code)
    robots = await deps.robots.policy(unit.portal, hosts)

    def unreachable_sections(problem: str) -> list[SectionRead]:
        return [
            SectionRead(
                s,
                resolve(unit.portal or "", s.path),
                SectionObservation(
                    s.section,
                    section_name(deps.plan, s.section),
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
        problem = fetch_problem(home) or "network"
        return NetworkPhase(home, False, None, unreachable_sections(problem))
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


def portal_hosts(deps: ProbeDeps, unit: Unit) -> tuple[str, ...]:
    assert unit.portal is not None
    config = deps.monitoring.portal_config(unit.code)
    return (host_of(unit.portal), *(h.lower() for h in config.extra_hosts))


async def check_attachments(
    deps: ProbeDeps, unit: Unit, urls: Sequence[str]
) -> list[AttachmentCheck]:
    """Fetch the first bytes of each file (one bounded, polite request each) to see it is there.
    Files off the portal's hosts or refused by robots.txt stay unchecked."""
    assert unit.portal is not None
    hosts = portal_hosts(deps, unit)
    robots = await deps.robots.policy(unit.portal, hosts)
    checks = []
    for url in urls:
        if host_of(url) not in hosts or not robots.allows(url):
            continue
        result = await deps.fetcher.fetch(url, hosts, prefix_bytes=ATTACHMENT_PREFIX_BYTES)
        check = judge_attachment(
            url,
            deps.clock.now(),
            result.status,
            result.problem,
            result.content_type,
            result.body,
            result.declared_size,
        )
        metrics.ATTACHMENTS_CHECKED.labels(check.status).inc()
        checks.append(check)
    return checks
