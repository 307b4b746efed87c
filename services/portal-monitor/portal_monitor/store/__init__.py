"""The portal-monitor's tables, read and written through a session (the caller owns the
transaction). Writes of one probe are a handful of statements (arrays, not a row per statement);
functions return rows, ids and counts, never events (`domain/events.py` builds those)."""

from portal_monitor.store.attachments import (
    attachment_checks,
    attachments_due,
    postings_with_files,
    save_attachment_checks,
)
from portal_monitor.store.copies import source_documents_seen_by
from portal_monitor.store.corrections import (
    UnknownDocument,
    correct_kind,
    kind_corrections,
    labelled_examples,
)
from portal_monitor.store.documents import (
    insert_postings,
    stored_details,
    stored_documents,
    update_document,
    update_verdicts,
)
from portal_monitor.store.probes import (
    PortalState,
    latency_samples,
    portal_state,
    record_probe,
)
from portal_monitor.store.schedule import (
    claim_due,
    due_backlog,
    last_outcomes,
    portal_schedule,
    register_portals,
)

__all__ = [
    "PortalState",
    "UnknownDocument",
    "attachment_checks",
    "attachments_due",
    "claim_due",
    "correct_kind",
    "due_backlog",
    "insert_postings",
    "kind_corrections",
    "labelled_examples",
    "last_outcomes",
    "latency_samples",
    "portal_schedule",
    "portal_state",
    "postings_with_files",
    "record_probe",
    "register_portals",
    "save_attachment_checks",
    "source_documents_seen_by",
    "stored_details",
    "stored_documents",
    "update_document",
    "update_verdicts",
]
