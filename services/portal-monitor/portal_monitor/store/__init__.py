"""The portal-monitor's tables, read and written through a session (the caller owns the
transaction). Writes of one probe are a handful of statements (arrays, not a row per statement);
functions that store documents return the events to emit and their counts."""

from portal_monitor.store.attachments import (
    attachment_checks,
    attachment_events,
    attachments_due,
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
    Judge,
    Portal,
    PostingJudgement,
    StoredDocuments,
    store_documents,
    stored_details,
)
from portal_monitor.store.probes import (
    PortalState,
    ProbeRecord,
    SectionRecord,
    StoredSection,
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
    "Judge",
    "Portal",
    "PortalState",
    "PostingJudgement",
    "ProbeRecord",
    "SectionRecord",
    "StoredDocuments",
    "StoredSection",
    "UnknownDocument",
    "attachment_checks",
    "attachment_events",
    "attachments_due",
    "claim_due",
    "correct_kind",
    "due_backlog",
    "kind_corrections",
    "labelled_examples",
    "last_outcomes",
    "latency_samples",
    "portal_schedule",
    "portal_state",
    "record_probe",
    "register_portals",
    "save_attachment_checks",
    "source_documents_seen_by",
    "store_documents",
    "stored_details",
]
