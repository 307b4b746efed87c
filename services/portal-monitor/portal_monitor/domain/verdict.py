"""A probe's verdict, pure: each section settled (this read, or the stored one when its first page
answered 304), the portal's observation, its outcome and checks, whether the attempt is final,
and when the portal is due next: the `ProbeRecord` the store writes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from minhbach.calendar import local_date
from minhbach.events.catalogue import ProbeOutcome
from portal_monitor.domain.attachments import AttachmentCheck
from portal_monitor.domain.checks import (
    CopyFinding,
    DirectiveItem,
    PortalObservation,
    SectionObservation,
    evaluate,
    outcome_of,
    refreshed,
)
from portal_monitor.domain.documents import DocumentDraft
from portal_monitor.domain.postings import Rules, directive_items
from portal_monitor.domain.state import ProbeRecord, SectionRecord, StoredSection, Validators


class ProbeRules(Rules, Protocol):
    """The plan's rules and the retry policy (a probe's `ProbeDeps` is one)."""

    probe_attempts: int
    probe_retry_seconds: float


def settle_section(
    rules: Rules,
    obs: SectionObservation,
    drafts: list[DocumentDraft] | None,
    previous: StoredSection | None,
    files: dict[str, AttachmentCheck],
) -> tuple[SectionObservation, list[DirectiveItem]]:
    """The section's observation (from this read, or the stored one when unchanged: `drafts`
    None) and its task 4.1 items (stored ones follow their files' checks made since)."""
    stored_items = refreshed(previous.directive_items if previous is not None else (), files)
    if obs.status in ("unreachable", "robots"):
        return obs, stored_items
    if drafts is None:  # 304: nothing changed since the stored read
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
    return obs, directive_items(rules, drafts, files)


def section_record(obs: SectionObservation, items: list[DirectiveItem]) -> SectionRecord:
    return SectionRecord(
        section=obs.section,
        status=obs.status,
        item_count=obs.item_count,
        newest_on=obs.newest_on,
        http_status=obs.http_status,
        links=obs.links,
        directive_items=tuple(items),
        page_problems=obs.page_problems,
    )


@dataclass(frozen=True)
class HomeSeen:
    """What the home page showed: its status when it answered (None on a fetch problem or no
    page), the problem (None when it answered well), its latency, and the links kept."""

    status: int | None
    problem: str | None
    latency_ms: float | None
    links: frozenset[str]


@dataclass(frozen=True)
class ProbeFacts:
    """Everything the verdict weighs: what this attempt saw, settled, and what the store knew."""

    unit_code: str
    portal_url: str
    attempt: int
    started_at: datetime
    now: datetime
    home: HomeSeen
    tls_days_left: int | None
    observations: Sequence[SectionObservation]
    directive_items: Sequence[DirectiveItem]
    sections: list[SectionRecord]
    copies: tuple[CopyFinding, ...] | None
    latency_samples: tuple[float, ...]
    validators: dict[str, Validators]
    pages_fetched: int
    pages_not_modified: int


def conclude(rules: ProbeRules, facts: ProbeFacts) -> ProbeRecord:
    """The probe's record: outcome, checks, final or retried, next due instant."""
    now, home = facts.now, facts.home
    observation = PortalObservation(
        portal_url=facts.portal_url,
        home_status=home.status if home.status != 304 else 200,
        home_problem=home.problem,
        latency_ms=home.latency_ms,
        tls_days_left=facts.tls_days_left,
        home_links=home.links,
        sections=tuple(facts.observations),
        required_sections=rules.monitoring.regulation_on(local_date(now)).required_sections,
        directive_items=tuple(facts.directive_items),
        copies=facts.copies,
        today=local_date(now),
        latency_samples=facts.latency_samples,
    )
    outcome = outcome_of(observation)
    final = outcome != ProbeOutcome.UNREACHABLE or facts.attempt >= rules.probe_attempts
    interval = timedelta(minutes=rules.monitoring.interval_minutes(facts.unit_code))
    retry = timedelta(seconds=rules.probe_retry_seconds)
    return ProbeRecord(
        probe_id=uuid.uuid4(),
        unit_code=facts.unit_code,
        started_at=facts.started_at,
        finished_at=now,
        outcome=outcome.value,
        attempt=facts.attempt,
        final=final,
        next_probe_at=now + (interval if final else retry),
        latency_ms=observation.latency_ms,
        tls_days_left=facts.tls_days_left,
        checks=evaluate(observation, rules.monitoring, rules.plan.reference_links),
        pages_fetched=facts.pages_fetched,
        pages_not_modified=facts.pages_not_modified,
        home_links=home.links,
        monitoring_since=None if outcome == ProbeOutcome.UNREACHABLE else facts.started_at,
        sections=facts.sections,
        validators=facts.validators,
    )
