"""Every event of Minh Bạch, its subject and its stream: the one place they are declared:
one module per producer (`intake`, `portal`, `scoring`, `notifier`, `reporting`), the streams
in `streams`; import them from here.

One subject family (and one JetStream stream) per producer. Consumers name the classes, never raw
subject strings; `minhbach asyncapi` documents this module.
"""

from __future__ import annotations

from minhbach.events.catalogue.intake import (
    EvidenceRef,
    EvidenceSubmitted,
    Period,
    ReportSubmitted,
    TaskReport,
    TaskStatus,
)
from minhbach.events.catalogue.notifier import (
    EscalationRaised,
    NoticeSent,
)
from minhbach.events.catalogue.portal import (
    ABSENT_ATTACHMENT_STATUSES,
    AttachmentEvidence,
    AttachmentStatus,
    CheckResult,
    DocumentChanged,
    DocumentFound,
    DocumentKind,
    PortalDocument,
    ProbeFinished,
    ProbeOutcome,
)
from minhbach.events.catalogue.reporting import (
    DraftKind,
    DraftReady,
)
from minhbach.events.catalogue.scoring import (
    IndicatorChanged,
    ObligationChanged,
    ObligationKind,
    ObligationStatus,
    Signal,
)
from minhbach.events.catalogue.streams import (
    EVENT_BY_SUBJECT,
    EVENT_TYPES,
    STREAMS,
    StreamSpec,
    parse_event,
    stream_for,
)

__all__ = [
    "ABSENT_ATTACHMENT_STATUSES",
    "EVENT_BY_SUBJECT",
    "EVENT_TYPES",
    "STREAMS",
    "AttachmentEvidence",
    "AttachmentStatus",
    "CheckResult",
    "DocumentChanged",
    "DocumentFound",
    "DocumentKind",
    "DraftKind",
    "DraftReady",
    "EscalationRaised",
    "EvidenceRef",
    "EvidenceSubmitted",
    "IndicatorChanged",
    "NoticeSent",
    "ObligationChanged",
    "ObligationKind",
    "ObligationStatus",
    "Period",
    "PortalDocument",
    "ProbeFinished",
    "ProbeOutcome",
    "ReportSubmitted",
    "Signal",
    "StreamSpec",
    "TaskReport",
    "TaskStatus",
    "parse_event",
    "stream_for",
]
