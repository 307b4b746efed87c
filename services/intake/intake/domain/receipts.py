"""What a unit reads back of what it filed (the answer to the filing too), built from the event
or the stored row alike."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from intake import messages as msg
from intake.models import EvidenceReceipt, ReportReceipt
from minhbach.events.catalogue import EvidenceRef, ReportSubmitted, TaskStatus


def report_receipt(event: ReportSubmitted) -> ReportReceipt:
    assert event.first_submitted_at is not None
    not_done = [task.task_code for task in event.tasks if task.status is not TaskStatus.DONE]
    message = msg.RECEIPT.format(
        report=msg.REPORTER_LABELS[event.reporter].lower(),
        period=msg.period_label(event.period, event.plan_year),
        version=event.version_no,
        timeliness=msg.on_time_label(event.on_time).lower(),
    )
    return ReportReceipt(
        report_id=event.report_id,
        version_no=event.version_no,
        unit_code=event.unit_code,
        plan_year=event.plan_year,
        period=event.period,
        reporter=event.reporter,
        submitted_at=event.submitted_at,
        first_submitted_at=event.first_submitted_at,
        due_at=event.due_at,
        on_time=event.on_time,
        not_done_task_codes=not_done,
        message=message,
    )


class FiledEvidence(Protocol):
    """Evidence as stored (`store.reads.EvidenceRow`) or as announced (`EvidenceSubmitted`)."""

    @property
    def evidence_id(self) -> uuid.UUID: ...
    @property
    def unit_code(self) -> str: ...
    @property
    def task_code(self) -> str: ...
    @property
    def plan_year(self) -> int: ...
    @property
    def submitted_at(self) -> datetime: ...
    @property
    def note(self) -> str: ...


def evidence_receipt(filed: FiledEvidence, evidence: EvidenceRef) -> EvidenceReceipt:
    return EvidenceReceipt(
        evidence_id=filed.evidence_id,
        unit_code=filed.unit_code,
        task_code=filed.task_code,
        plan_year=filed.plan_year,
        submitted_at=filed.submitted_at,
        evidence=evidence,
        note=filed.note,
        message=msg.FORM_EVIDENCE_SAVED.format(code=filed.task_code),
    )
