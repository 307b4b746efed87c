"""A person's correction of a document's kind (issue 19): stored by canonical URL, applied to
every probe's reading of the document (so it survives re-probes), the portals that post it
probed next (the correction reaches every figure through the usual `portal.document.changed`),
and exportable as labelled examples in the format of the classifier's test set."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from portal_monitor import db


class UnknownDocument(LookupError):
    pass


async def correct_kind(
    session: AsyncSession,
    document_id: uuid.UUID,
    kind: str,
    corrected_by: str,
    note: str | None,
    now: datetime,
) -> list[str]:
    """Record the correction and make the portals that post the document due now; returns
    their unit codes."""
    docs = db.documents.c
    row = (
        await session.execute(select(db.documents).where(docs.document_id == document_id))
    ).first()
    if row is None:
        raise UnknownDocument(str(document_id))
    values = {
        "canonical_url": row.canonical_url,
        "kind": kind,
        "previous_kind": row.kind,
        "previous_rule": row.matched_rule,
        "corrected_by": corrected_by,
        "note": note,
        "corrected_at": now,
    }
    statement = insert(db.kind_corrections).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["canonical_url"],
            set_={
                k: statement.excluded[k] for k in ("kind", "corrected_by", "note", "corrected_at")
            },
        )
    )
    units = sorted(
        {
            r.unit_code
            for r in await session.execute(
                select(db.postings.c.unit_code).where(db.postings.c.document_id == document_id)
            )
        }
    )
    if units:
        state = db.portal_state.c
        await session.execute(
            update(db.portal_state).where(state.unit_code.in_(units)).values(next_probe_at=now)
        )
        # Read in full next time (no 304 from a stored ETag), so the correction applies at once.
        for portal_url in await session.scalars(
            select(state.portal_url).where(state.unit_code.in_(units))
        ):
            await session.execute(
                delete(db.http_validators).where(
                    db.http_validators.c.url.startswith(portal_url.rstrip("/"), autoescape=True)
                )
            )
    return units


async def kind_corrections(session: AsyncSession, canonical_urls: Iterable[str]) -> dict[str, str]:
    """The corrected kind of each of these documents that a person corrected."""
    urls = list(dict.fromkeys(canonical_urls))
    if not urls:
        return {}
    rows = await session.execute(
        select(db.kind_corrections.c.canonical_url, db.kind_corrections.c.kind).where(
            db.kind_corrections.c.canonical_url.in_(urls)
        )
    )
    return {r.canonical_url: r.kind for r in rows}


async def labelled_examples(session: AsyncSession) -> list[str]:
    """One tab-separated line per correction: title, section, corrected kind, no alternative,
    the document's address (tests/unit/portal_monitor/data/real_titles.tsv's format)."""
    c, d = db.kind_corrections.c, db.documents.c
    rows = await session.execute(
        select(d.title, d.section, c.kind, d.url)
        .select_from(db.kind_corrections.join(db.documents, d.canonical_url == c.canonical_url))
        .order_by(c.corrected_at)
    )
    return ["\t".join(_cell(v) for v in (r.title, r.section, r.kind, "", r.url)) for r in rows]


def _cell(value: str | None) -> str:
    return " ".join((value or "").split())
