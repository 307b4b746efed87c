"""What one inspection of a portal concludes, each conclusion with its evidence.

Input: what the probe observed (pure data). Output: `CheckResult`s and the probe's outcome.
"portal unreachable" (network, timeout, 5xx after retries) is kept apart from "section missing"
(the portal answered 404/410 or the page lacks the section's items).

Check codes (`CheckResult.check`; `section` set for per-section checks):
- portal_available, portal_latency, tls_certificate (https only)    task 6.5
- section_reachable: the section's page could be read (False: unreachable, robots, hostile)
- section_pages_valid: False when a page was bounded/odd (invalid encoding, malformed feed)
- section_present / section_not_empty / section_fresh: sections the regulation in force requires
- legal_links (task 5.2), qa_active (6.3), directive_section_clean (4.1: fails only on what is
  established; `items` names the titles it faults)
- district_documents_carried: portals a copy duty names (`portal_monitoring.copy_duties`) carry
  the source portal's documents (the check keeps its stored name)
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

from minhbach.events.catalogue import CheckResult, ProbeOutcome
from minhbach.plan import PortalMonitoring, ReferenceLink
from portal_monitor import messages
from portal_monitor.domain.attachments import AttachmentCheck, FullText, full_text_of

SectionStatus = Literal["present", "missing", "unreachable", "robots"]


@dataclass(frozen=True)
class SectionObservation:
    section: str
    name: str
    status: SectionStatus
    evidence_url: str
    item_count: int = 0
    newest_on: date | None = None
    http_status: int | None = None
    problem: str | None = None  # the fetch problem when unreachable
    page_problems: tuple[str, ...] = ()  # bounded/odd pages: too large, bad encoding ...
    links: frozenset[str] = frozenset()
    delegated_to: str | None = None  # the plan says the section lives on this other portal


@dataclass(frozen=True)
class DirectiveItem:
    """One posting of the directive section (task 4.1). `full_text`: "no" only when its absence
    is established (no file linked, or the file checked and not there), "unknown" while its file
    is not checked or not reached; `attachment_url` lets a stored item follow its file's later
    checks."""

    title: str
    not_directive: bool
    full_text: FullText
    attachment_url: str | None = None
    review: bool = False  # looks like no directive, on a guess: "cần xem xét", not accused

    @property
    def no_full_text(self) -> bool:
        return self.full_text == "no"

    @property
    def full_text_unknown(self) -> bool:
        return self.full_text == "unknown"

    def with_full_text(self, full_text: FullText) -> DirectiveItem:
        return replace(self, full_text=full_text)


def refreshed(
    items: Iterable[DirectiveItem], files: Mapping[str, AttachmentCheck]
) -> list[DirectiveItem]:
    """Stored items with what their files' checks establish now (`files`: checks by URL); an
    item without a file URL (none linked, or stored before URLs were kept) keeps what it has."""
    return [
        item
        if item.attachment_url is None
        else item.with_full_text(full_text_of(item.attachment_url, files.get(item.attachment_url)))
        for item in items
    ]


@dataclass(frozen=True)
class CopyFinding:
    """A source portal's document this portal must carry too (a copy duty of the plan)."""

    title: str
    status: Literal["on_time", "late", "missing", "not_due"]
    source: str = ""  # the name of the unit whose portal holds the original


@dataclass(frozen=True)
class PortalObservation:
    portal_url: str
    home_status: int | None
    home_problem: str | None
    latency_ms: float | None
    tls_days_left: int | None
    home_links: frozenset[str]
    sections: tuple[SectionObservation, ...]
    required_sections: tuple[str, ...]
    directive_items: tuple[DirectiveItem, ...] = ()
    copies: tuple[CopyFinding, ...] | None = None  # None: the portal owes no copies
    today: date = field(default_factory=date.today)
    # The home page's earlier response times in the window (LATENCY_WINDOW_DAYS), this probe's
    # `latency_ms` not among them: latency is judged on their median, never on one response.
    latency_samples: tuple[float, ...] = ()

    @property
    def home_reachable(self) -> bool:
        """The portal answered (a 4xx is an answer: the portal is up, the page is wrong)."""
        return self.home_status is not None and self.home_status < 500

    def section(self, code: str | None) -> SectionObservation | None:
        return next((s for s in self.sections if s.section == code), None)


def outcome_of(observation: PortalObservation) -> ProbeOutcome:
    statuses = [s.status for s in observation.sections]
    if not observation.home_reachable and all(s == "unreachable" for s in statuses):
        return ProbeOutcome.UNREACHABLE
    if not observation.home_reachable or "unreachable" in statuses:
        return ProbeOutcome.PARTIAL
    return ProbeOutcome.OK


def evaluate(
    observation: PortalObservation,
    monitoring: PortalMonitoring,
    reference_links: Iterable[ReferenceLink],
) -> tuple[CheckResult, ...]:
    checks: list[CheckResult] = [*_availability(observation, monitoring)]
    for section in observation.sections:
        checks += _section_checks(section, observation, monitoring)
    checks += _legal_links(observation, monitoring, reference_links)
    checks += _qa(observation, monitoring)
    checks += _directives(observation, monitoring)
    checks += _copies(observation)
    return tuple(checks)


def _availability(o: PortalObservation, m: PortalMonitoring) -> list[CheckResult]:
    if not o.home_reachable:
        reason = messages.problem(o.home_problem or "network")
        return [
            CheckResult(
                check="portal_available",
                passed=False,
                detail=messages.portal_unavailable(reason),
                evidence_url=o.portal_url,
            )
        ]
    results = [
        CheckResult(
            check="portal_available",
            passed=(o.home_status or 0) < 400,
            detail=messages.portal_available(o.home_status or 0),
            evidence_url=o.portal_url,
        )
    ]
    latency = latency_check(o, m.latency_limit_ms)
    if latency is not None:
        results.append(latency)
    if o.tls_days_left is not None:
        results.append(
            CheckResult(
                check="tls_certificate",
                passed=o.tls_days_left >= m.tls_warning_days,
                detail=messages.tls_days(o.tls_days_left, m.tls_warning_days),
                evidence_url=o.portal_url,
            )
        )
    return results


def _section_checks(
    s: SectionObservation, o: PortalObservation, m: PortalMonitoring
) -> list[CheckResult]:
    def check(name: str, passed: bool, detail: str) -> CheckResult:
        return CheckResult(
            check=name, passed=passed, section=s.section, detail=detail, evidence_url=s.evidence_url
        )

    if s.status == "unreachable":
        reason = messages.problem(s.problem or "network")
        return [check("section_reachable", False, messages.section_unreachable(s.name, reason))]
    if s.status == "robots":
        return [check("section_reachable", False, messages.section_blocked_by_robots(s.name))]
    if s.delegated_to and (
        _links_to(s.links, s.delegated_to) or _links_to(o.home_links, s.delegated_to)
    ):
        detail = messages.section_delegated(s.name, s.delegated_to)
        return [check("section_reachable", True, detail), check("section_present", True, detail)]
    results = [check("section_reachable", True, messages.section_present(s.name))]
    if s.page_problems:
        problems = [messages.problem(p) for p in s.page_problems]
        results.append(check("section_pages_valid", False, messages.page_problem(s.name, problems)))
    required = s.section in o.required_sections
    if s.status == "missing":
        if required:
            results.append(
                check("section_present", False, messages.section_missing(s.name, s.http_status))
            )
        return results
    if required:
        results.append(check("section_present", True, messages.section_present(s.name)))
        results.append(
            check(
                "section_not_empty", s.item_count > 0, messages.section_items(s.name, s.item_count)
            )
        )
        fresh = s.newest_on is not None and s.newest_on >= o.today - timedelta(m.freshness_days)
        results.append(
            check(
                "section_fresh",
                fresh,
                messages.section_freshness(s.name, s.newest_on, m.freshness_days),
            )
        )
    return results


def _legal_links(
    o: PortalObservation, m: PortalMonitoring, reference_links: Iterable[ReferenceLink]
) -> list[CheckResult]:
    if not m.legal_links:
        return []
    section = o.section(m.legal_links_section)
    if section is not None and section.status in ("unreachable", "robots"):
        return []  # cannot tell; the section's own check says why
    if not o.home_reachable:
        return []
    wanted = [r for r in reference_links if r.code in m.legal_links]
    links = o.home_links | (section.links if section is not None else frozenset())
    missing = [r.name for r in wanted if not _links_to(links, r.url)]
    evidence = section.evidence_url if section is not None else o.portal_url
    return [
        CheckResult(
            check="legal_links",
            passed=not missing,
            section=m.legal_links_section,
            detail=messages.legal_links(missing),
            evidence_url=evidence,
        )
    ]


def _links_to(links: frozenset[str], target: str) -> bool:
    base = target.rstrip("/")
    return any(link.rstrip("/") == base or link.startswith(base + "/") for link in links)


def _qa(o: PortalObservation, m: PortalMonitoring) -> list[CheckResult]:
    section = o.section(m.qa_section)
    if section is None or section.status != "present":
        return []
    window = m.qa_active_within_days
    active = section.newest_on is not None and section.newest_on >= o.today - timedelta(window)
    return [
        CheckResult(
            check="qa_active",
            passed=active,
            section=section.section,
            detail=messages.qa_activity(section.newest_on, window),
            evidence_url=section.evidence_url,
        )
    ]


LATENCY_WINDOW_DAYS = 7  # the samples a latency finding is judged on: the week's probes
MIN_LATENCY_SAMPLES = 3  # a slow median is concluded on at least this many responses


def latency_check(o: PortalObservation, limit_ms: int) -> CheckResult | None:
    """The home page's response time over the window's samples (this probe's included): the
    median, stated in the finding with the number of samples. A median above the limit accuses
    the unit only on MIN_LATENCY_SAMPLES responses or more; on fewer it is not concluded (no
    check: one slow response is no finding)."""
    samples = [*o.latency_samples, *([o.latency_ms] if o.latency_ms is not None else [])]
    if not samples:
        return None
    median = statistics.median(samples)
    passed = median <= limit_ms
    if not passed and len(samples) < MIN_LATENCY_SAMPLES:
        return None
    return CheckResult(
        check="portal_latency",
        passed=passed,
        detail=messages.latency(median, limit_ms, len(samples), LATENCY_WINDOW_DAYS),
        evidence_url=o.portal_url,
    )


def _directives(o: PortalObservation, m: PortalMonitoring) -> list[CheckResult]:
    """Task 4.1 fails on items not directives and on directives whose full text is established
    absent; a file not checked or not reached yet is only counted in the detail. `items` names
    every title the check faults (reporting leaves the check out when it lists each of them)."""
    section = o.section(m.directive_section)
    if section is None or section.status != "present":
        return []
    directives = [i for i in o.directive_items if not i.not_directive]
    foreign = [i.title for i in o.directive_items if i.not_directive and not i.review]
    review = [i.title for i in o.directive_items if i.not_directive and i.review]
    bare = [i.title for i in directives if i.no_full_text]
    unknown = sum(1 for i in directives if i.full_text_unknown)
    return [
        CheckResult(
            check="directive_section_clean",
            passed=not foreign and not bare,
            section=section.section,
            detail=messages.directive_section(foreign, bare, unknown)
            + messages.directive_review(review),
            evidence_url=section.evidence_url,
            items=tuple(dict.fromkeys([*foreign, *bare])),
        )
    ]


def _copies(o: PortalObservation) -> list[CheckResult]:
    if o.copies is None:
        return []
    due = [c for c in o.copies if c.status != "not_due"]
    late = [c.title for c in due if c.status == "late"]
    missing = [c.title for c in due if c.status == "missing"]
    return [
        CheckResult(
            check="district_documents_carried",
            passed=not late and not missing,
            detail=messages.copies(late, missing, len(due), [c.source for c in o.copies]),
            evidence_url=o.portal_url,
        )
    ]
