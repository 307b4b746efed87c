"""What a probe starts from and what it leaves, as data: a page's HTTP validators, a section as
last read in full, and the record of one finished probe attempt (the store reads and writes
them; the verdict builds them)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from minhbach.events.catalogue import CheckResult
from portal_monitor.domain.checks import DirectiveItem


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class StoredSection:
    """What a section showed at its last full read (reused when its first page answers 304)."""

    status: str
    item_count: int
    newest_on: date | None
    http_status: int | None
    page_problems: tuple[str, ...]
    links: frozenset[str]
    directive_items: tuple[DirectiveItem, ...]


@dataclass(frozen=True)
class SectionRecord:
    section: str
    status: str
    item_count: int
    newest_on: date | None
    http_status: int | None
    links: frozenset[str]
    directive_items: tuple[DirectiveItem, ...]
    page_problems: tuple[str, ...]


@dataclass
class ProbeRecord:
    """One finished probe attempt: its row, the sections read in full, the validators to keep,
    and the portal's next due instant."""

    probe_id: uuid.UUID
    unit_code: str
    started_at: datetime
    finished_at: datetime
    outcome: str
    attempt: int
    final: bool
    next_probe_at: datetime
    latency_ms: float | None
    tls_days_left: int | None
    checks: Sequence[CheckResult]
    pages_fetched: int
    pages_not_modified: int
    home_links: frozenset[str]
    monitoring_since: datetime | None
    sections: list[SectionRecord] = field(default_factory=list)
    validators: dict[str, Validators] = field(default_factory=dict)
