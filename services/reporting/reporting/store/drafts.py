"""Drafted versions: the drafting lock, storing a version once, reading versions and their files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from reporting.db import (
    drafts,
)
from reporting.domain.planned import Planned

DRAFTING_LOCK = "reporting-drafting"


@dataclass(frozen=True)
class DraftRow:
    draft_id: UUID
    kind: str
    period_key: str
    version_no: int
    trigger: str
    title: str
    drafted_at: datetime
    fingerprint: str
    missing_units: list[str]
    has_pdf: bool
    has_xlsx: bool


_DRAFT_COLUMNS = (
    drafts.c.draft_id,
    drafts.c.kind,
    drafts.c.period_key,
    drafts.c.version_no,
    drafts.c.trigger,
    drafts.c.title,
    drafts.c.drafted_at,
    drafts.c.fingerprint,
    drafts.c.missing_units,
    drafts.c.pdf.is_not(None).label("has_pdf"),
    drafts.c.xlsx.is_not(None).label("has_xlsx"),
)


async def try_lock_drafting(session: AsyncSession) -> bool:
    """One replica drafts at a time (released at commit); the others skip this pass."""
    result = await session.execute(
        select(func.pg_try_advisory_xact_lock(func.hashtext(literal(DRAFTING_LOCK))))
    )
    return bool(result.scalar_one())


@dataclass(frozen=True)
class DraftFiles:
    docx: bytes
    docx_sha256: str
    pdf: bytes | None
    html: str
    xlsx: bytes | None


async def add_draft(
    session: AsyncSession, draft_id: UUID, draft: Planned, drafted_at: datetime, files: DraftFiles
) -> bool:
    """Store a drafted version; False when another replica stored this version first."""
    inserted = await session.execute(
        pg_insert(drafts)
        .values(
            draft_id=draft_id,
            kind=str(draft.kind),
            period_key=draft.period_key,
            version_no=draft.version_no,
            trigger=draft.trigger,
            title=draft.document.summary,
            drafted_at=drafted_at,
            fingerprint=draft.fingerprint,
            sources=draft.sources,
            missing_units=list(draft.missing_units),
            **asdict(files),
        )
        .on_conflict_do_nothing()
        .returning(drafts.c.draft_id)
    )
    return inserted.first() is not None


async def latest_draft(session: AsyncSession, kind: str, period_key: str) -> DraftRow | None:
    row = (
        await session.execute(
            select(*_DRAFT_COLUMNS)
            .where(drafts.c.kind == kind, drafts.c.period_key == period_key)
            .order_by(drafts.c.version_no.desc())
            .limit(1)
        )
    ).first()
    return DraftRow(**row._asdict()) if row else None


async def list_drafts(session: AsyncSession, limit: int = 200) -> list[DraftRow]:
    rows = await session.execute(
        select(*_DRAFT_COLUMNS)
        .order_by(drafts.c.drafted_at.desc(), drafts.c.version_no.desc())
        .limit(limit)
    )
    return [DraftRow(**r._asdict()) for r in rows]


async def draft_file(session: AsyncSession, draft_id: UUID, column: str) -> Any:
    """One file of a draft: 'docx', 'pdf', 'xlsx' or 'html' (None: no such draft)."""
    row = (
        await session.execute(
            select(getattr(drafts.c, column), *_DRAFT_COLUMNS).where(drafts.c.draft_id == draft_id)
        )
    ).first()
    return row


async def draft_sources(session: AsyncSession, draft_id: UUID) -> dict[str, Any] | None:
    value = await session.scalar(select(drafts.c.sources).where(drafts.c.draft_id == draft_id))
    return dict(value) if value is not None else None


def fingerprint_of(parts: Sequence[str]) -> str:
    import hashlib

    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()
