"""One JetStream stream per producer, and the subject -> event class lookup."""

from __future__ import annotations

from dataclasses import dataclass

from minhbach.events.base import Event
from minhbach.events.catalogue.intake import EvidenceSubmitted, ReportSubmitted
from minhbach.events.catalogue.notifier import EscalationRaised, NoticeSent
from minhbach.events.catalogue.portal import DocumentChanged, DocumentFound, ProbeFinished
from minhbach.events.catalogue.reporting import DraftReady
from minhbach.events.catalogue.scoring import IndicatorChanged, ObligationChanged


@dataclass(frozen=True)
class StreamSpec:
    name: str
    subjects: tuple[str, ...]
    description: str


STREAMS: tuple[StreamSpec, ...] = (
    StreamSpec("INTAKE", ("intake.>",), "Reports and evidence filed by units"),
    StreamSpec("PORTAL", ("portal.>",), "Documents and checks found on portals"),
    StreamSpec("SCORING", ("scoring.>",), "Readiness figures and obligations"),
    StreamSpec("NOTIFIER", ("notifier.>",), "Notices sent and escalations raised"),
    StreamSpec("REPORTING", ("reporting.>",), "The focal unit's drafted documents"),
)

EVENT_TYPES: tuple[type[Event], ...] = (
    ReportSubmitted,
    EvidenceSubmitted,
    DocumentFound,
    DocumentChanged,
    ProbeFinished,
    IndicatorChanged,
    ObligationChanged,
    NoticeSent,
    EscalationRaised,
    DraftReady,
)

EVENT_BY_SUBJECT: dict[str, type[Event]] = {cls.subject: cls for cls in EVENT_TYPES}


def stream_for(subject: str) -> StreamSpec:
    family = subject.split(".", 1)[0]
    for spec in STREAMS:
        if any(s.split(".", 1)[0] == family for s in spec.subjects):
            return spec
    raise KeyError(f"no stream declared for subject {subject!r}")


def parse_event(subject: str, data: bytes) -> Event:
    return EVENT_BY_SUBJECT[subject].model_validate_json(data)
