"""Reporting's tables, read and written through a session (the caller owns the transaction):
projections from events (newest wins, so late or repeated events change nothing) and drafts."""

from __future__ import annotations

from reporting.store.corrections import (
    ListedDocument,
    document_posting,
    record_correction,
    unit_documents,
)
from reporting.store.drafts import (
    DraftFiles,
    DraftRow,
    add_draft,
    draft_file,
    draft_sources,
    fingerprint_of,
    latest_draft,
    list_drafts,
    try_lock_drafting,
)
from reporting.store.facts import (
    documents_seen,
    figures_as_of,
    latest_figures,
    latest_round_probes,
    period_reports,
    probed_rounds,
    round_probes,
    unit_reports,
)
from reporting.store.projections import (
    save_document,
    save_figure,
    save_probe,
    save_report,
)

__all__ = [
    "DraftFiles",
    "DraftRow",
    "ListedDocument",
    "add_draft",
    "document_posting",
    "documents_seen",
    "draft_file",
    "draft_sources",
    "figures_as_of",
    "fingerprint_of",
    "latest_draft",
    "latest_figures",
    "latest_round_probes",
    "list_drafts",
    "period_reports",
    "probed_rounds",
    "record_correction",
    "round_probes",
    "save_document",
    "save_figure",
    "save_probe",
    "save_report",
    "try_lock_drafting",
    "unit_documents",
    "unit_reports",
]
