"""What reporting keeps of other services' events, as the rows its store writes (the newest
wins there, so late or repeated events change nothing). Pure."""

from __future__ import annotations

from typing import Any

from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    IndicatorChanged,
    ProbeFinished,
    ReportSubmitted,
)


def report_row(event: ReportSubmitted) -> dict[str, Any]:
    return {
        "report_id": event.report_id,
        "version_no": event.version_no,
        "event_id": event.event_id,
        "unit_code": event.unit_code,
        "plan_year": event.plan_year,
        "period": event.period,
        "reporter": event.reporter,
        "submitted_at": event.submitted_at,
        "first_submitted_at": event.first_submitted_at or event.submitted_at,
        "due_at": event.due_at,
        "tasks": [t.model_dump(mode="json") for t in event.tasks],
        "analysis": event.analysis,
    }


def figure_row(event: IndicatorChanged) -> dict[str, Any]:
    return {
        "indicator": event.indicator,
        "readiness": event.readiness,
        "signals": [s.model_dump(mode="json") for s in event.signals],
        "computed_at": event.computed_at,
        "event_id": event.event_id,
        "event_at": event.occurred_at,
    }


def probe_row(event: ProbeFinished, round_key: str) -> dict[str, Any]:
    return {
        "portal_unit_code": event.portal_unit_code,
        "round_key": round_key,
        "probe_id": event.probe_id,
        "event_id": event.event_id,
        "portal_url": event.portal_url,
        "finished_at": event.finished_at,
        "outcome": str(event.outcome),
        "checks": [c.model_dump(mode="json") for c in event.checks],
    }


def document_row(event: DocumentFound | DocumentChanged) -> dict[str, Any]:
    d = event.document
    return {
        "document_id": d.document_id,
        "event_id": event.event_id,
        "event_at": event.occurred_at,
        "portal_unit_code": d.portal_unit_code,
        "url": d.url,
        "title": d.title,
        "section": d.section,
        "kind": str(d.kind),
        "document_number": d.document_number,
        "issued_on": d.issued_on,
        "first_seen_at": d.first_seen_at,
        "full_text_available": d.full_text_available,
        "no_full_text": d.full_text_absent,
        "posted_on_time": d.posted_on_time,
        "not_directive": d.in_directive_section_not_directive,
    }
