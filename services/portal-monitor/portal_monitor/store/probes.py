"""What a probe starts from (the portal's stored state) and what it leaves (its row, the
sections read in full, validators, the next due instant)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from portal_monitor import db
from portal_monitor.domain.attachments import FullText
from portal_monitor.domain.checks import DirectiveItem
from portal_monitor.domain.state import ProbeRecord, SectionRecord, StoredSection, Validators
from portal_monitor.domain.urls import origin

# --- what a probe starts from ------------------------------------------------------------------


@dataclass(frozen=True)
class PortalState:
    """The portal's schedule row and what the last probes left: read before the network phase
    (a portal has one request outstanding at a time, so one replica writes it: workqueue)."""

    next_probe_at: datetime | None  # None: the portal has no schedule row
    monitoring_since: datetime | None  # the first probe that reached the portal
    failed_attempts: int
    home_links: frozenset[str]
    validators: dict[str, Validators]
    sections: dict[str, StoredSection]


async def portal_state(session: AsyncSession, unit_code: str, portal_url: str) -> PortalState:
    state = (
        await session.execute(
            select(db.portal_state).where(db.portal_state.c.unit_code == unit_code)
        )
    ).first()
    validators = await session.execute(
        select(db.http_validators).where(db.http_validators.c.url.startswith(origin(portal_url)))
    )
    sections = await session.execute(
        select(db.section_state).where(db.section_state.c.unit_code == unit_code)
    )
    return PortalState(
        next_probe_at=state.next_probe_at if state is not None else None,
        monitoring_since=state.monitoring_since if state is not None else None,
        failed_attempts=state.failed_attempts if state is not None else 0,
        home_links=frozenset((state.home_links if state is not None else None) or ()),
        validators={r.url: Validators(r.etag, r.last_modified) for r in validators},
        sections={r.section: _stored_section(r) for r in sections},
    )


def _stored_section(row: Any) -> StoredSection:
    return StoredSection(
        status=row.status,
        item_count=row.item_count,
        newest_on=row.newest_on,
        http_status=row.http_status,
        page_problems=tuple(row.page_problems or ()),
        links=frozenset(row.links or ()),
        directive_items=tuple(_stored_item(i) for i in row.directive_items or ()),
    )


def _stored_item(item: dict[str, Any]) -> DirectiveItem:
    """Rows stored before the full text was told apart from unknown (no `full_text`)
    counted a file not checked yet as no full text: their `no_full_text` is read as unknown
    (never accused on an old row); they are replaced when the section is next read in full."""
    if "full_text" in item:
        full_text: FullText = item["full_text"]
    else:
        full_text = "unknown" if item["no_full_text"] else "yes"
    return DirectiveItem(
        item["title"],
        item["not_directive"],
        full_text,
        item.get("attachment_url"),
        review=item.get("review", False),
    )


# --- what a probe leaves -----------------------------------------------------------------------


async def record_probe(session: AsyncSession, record: ProbeRecord) -> None:
    now = record.finished_at
    await session.execute(
        pg_insert(db.probes).values(
            probe_id=record.probe_id,
            unit_code=record.unit_code,
            started_at=record.started_at,
            finished_at=now,
            outcome=record.outcome,
            attempt=record.attempt,
            latency_ms=record.latency_ms,
            tls_days_left=record.tls_days_left,
            checks=[c.model_dump(mode="json") for c in record.checks],
            pages_fetched=record.pages_fetched,
            pages_not_modified=record.pages_not_modified,
        )
    )
    await _upsert_validators(session, record.validators, now)
    await _upsert_sections(session, record.unit_code, record.sections, now)
    await session.execute(
        update(db.portal_state)
        .where(db.portal_state.c.unit_code == record.unit_code)
        .values(
            next_probe_at=record.next_probe_at,
            leased_until=None,
            failed_attempts=0 if record.final else record.attempt,
            last_probe_at=now,
            last_outcome=record.outcome,
            home_links=sorted(record.home_links),
            latency_ms=record.latency_ms,
            monitoring_since=func.coalesce(
                db.portal_state.c.monitoring_since, record.monitoring_since
            ),
        )
    )


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


async def _upsert_validators(
    session: AsyncSession, validators: dict[str, Validators], now: datetime
) -> None:
    """Empty validators are stored too: the next read of that page asks for it in full."""
    kept = validators
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


async def _upsert_sections(
    session: AsyncSession, unit_code: str, rows: list[SectionRecord], now: datetime
) -> None:
    if not rows:
        return
    await session.execute(
        _UPSERT_SECTIONS,
        {
            "unit": unit_code,
            "now": now,
            "sections": [r.section for r in rows],
            "statuses": [r.status for r in rows],
            "counts": [r.item_count for r in rows],
            "newest": [r.newest_on for r in rows],
            "http": [r.http_status for r in rows],
            "links": [json.dumps(sorted(r.links)) for r in rows],
            "directive": [json.dumps([_item_json(i) for i in r.directive_items]) for r in rows],
            "problems": [json.dumps(list(r.page_problems)) for r in rows],
        },
    )


def _item_json(item: DirectiveItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "not_directive": item.not_directive,
        "full_text": item.full_text,
        "attachment_url": item.attachment_url,
        "review": item.review,
    }


async def latency_samples(
    session: AsyncSession, unit_code: str, now: datetime, days: int
) -> tuple[float, ...]:
    """The home page's response times of this portal's probes in the last `days` days."""
    c = db.probes.c
    rows = await session.scalars(
        select(c.latency_ms).where(
            c.unit_code == unit_code,
            c.latency_ms.is_not(None),
            c.finished_at > now - timedelta(days=days),
            c.finished_at <= now,
        )
    )
    return tuple(float(v) for v in rows)
