"""A draft due now: its content built, the facts it came from, the version it will be; and the
`reporting.draft.ready` that announces it once stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from minhbach.events.catalogue import DraftKind, DraftReady
from reporting.render.document import OfficialDocument


@dataclass(frozen=True)
class Planned:
    """A draft due now, with its content built and the facts it came from."""

    kind: DraftKind
    period_key: str
    version_no: int
    trigger: str
    document: OfficialDocument
    fingerprint: str
    sources: dict[str, Any]
    missing_units: tuple[str, ...]


FILE_PREFIX = {
    DraftKind.CONSOLIDATED_REPORT: "du-thao-bao-cao",
    DraftKind.INSPECTION_NOTICE: "du-thao-thong-bao-kiem-tra",
}


def announcement(
    draft: Planned,
    draft_id: UUID,
    now: datetime,
    docx_sha256: str,
    *,
    has_pdf: bool,
    recipients: tuple[str, ...],
) -> DraftReady:
    """Where the stored version's files are (the notifier fetches the .docx), and to whom."""
    return DraftReady(
        draft_id=draft_id,
        kind=draft.kind,
        period_key=draft.period_key,
        version_no=draft.version_no,
        title=draft.document.summary,
        drafted_at=now,
        trigger=draft.trigger,
        docx_path=f"/api/v1/drafts/{draft_id}.docx",
        docx_sha256=docx_sha256,
        docx_filename=f"{FILE_PREFIX[draft.kind]}-{draft.period_key}-v{draft.version_no}.docx",
        pdf_path=f"/api/v1/drafts/{draft_id}.pdf" if has_pdf else None,
        recipients=recipients,
        missing_units=draft.missing_units,
    )
