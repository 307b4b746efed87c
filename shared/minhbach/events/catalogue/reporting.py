"""Reporting's events: a draft is ready for the focal unit."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from minhbach.events.base import Event


class DraftKind(StrEnum):
    CONSOLIDATED_REPORT = "consolidated_report"  # the focal unit's report to the chairman
    INSPECTION_NOTICE = "inspection_notice"  # after a portal inspection round (the plan's task)


class DraftReady(Event):
    """A new version of one of the focal unit's documents was drafted (.docx, maybe PDF).

    The file is not in the event (a district's report can outgrow a NATS message): it is fetched
    from reporting's API at `docx_path`, and `docx_sha256` says which bytes this version is."""

    subject = "reporting.draft.ready"

    draft_id: UUID
    kind: DraftKind
    period_key: str  # "2024-Q3", "2024-year" (reports), "2024-W40" / "2024-10" (inspection rounds)
    version_no: int
    title: str  # the summary line (trích yếu), Vietnamese
    drafted_at: datetime
    trigger: str  # all_filed | deadline | round_complete | round_ended
    docx_path: str
    docx_sha256: str
    docx_filename: str
    pdf_path: str | None = None
    recipients: tuple[str, ...] = ()  # unit codes to e-mail the draft to
    missing_units: tuple[str, ...] = ()  # lead units without a report / portals not inspected
