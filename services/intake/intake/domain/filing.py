"""A filing's events and verdicts, decided on what the database answered (no I/O).

A report's walk, one path (`intake.service.Intake._write_report`): a first filing claims its
period (`store.filing.file_first`); if the period was reported already, the API refuses (409:
amend explicitly) and the form amends that report; an amendment (`store.filing.amend`) either
stores the next version, whose event gets what only the database knows merged in, or tells why
not (no such report 404, another unit's 403, another period 422).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from intake import messages as msg
from intake.domain.rules import Accepted, ReportDraft, is_on_time
from intake.errors import IntakeError
from minhbach.events.catalogue import EvidenceRef, EvidenceSubmitted, ReportSubmitted


@dataclass(frozen=True)
class AlreadyFiled:
    """The period's report, found by a first filing instead of storing a new one."""

    report_id: UUID
    latest_version: int


@dataclass(frozen=True)
class Amended:
    """What the database decided for an amendment."""

    version_no: int
    first_submitted_at: datetime
    due_at: datetime
    on_time: bool
    rule_code: str


@dataclass(frozen=True)
class NotAmended:
    """Why an amendment stored nothing: the report it named (its unit, plan year and period),
    or `found=False` when there is no such report."""

    found: bool
    unit_code: str = ""
    plan_year: int = 0
    period: str = ""


def report_event(
    report_id: UUID, unit_code: str, report: ReportDraft, now: datetime, accepted: Accepted
) -> ReportSubmitted:
    """The event as for a first report; an amendment gets the database's values merged in."""
    return ReportSubmitted(
        report_id=report_id,
        version_no=1,
        unit_code=unit_code,
        plan_year=report.plan_year,
        period=report.period,
        submitted_at=now,
        due_at=accepted.due_at,
        on_time=is_on_time(now, accepted.due_at),
        tasks=tuple(report.tasks),  # TaskReportIn is a TaskReport: no copy
        analysis=report.analysis,
        reporter=report.reporter,
        rule_code=accepted.rule.code,
        first_submitted_at=now,
    )


def of_filed_report(event: ReportSubmitted, filed: AlreadyFiled) -> ReportSubmitted:
    """The event retargeted at the period's report, to amend it."""
    return event.model_copy(update={"report_id": filed.report_id})


def already_filed(filed: AlreadyFiled) -> IntakeError:
    message = msg.REPORT_EXISTS.format(report_id=filed.report_id, version=filed.latest_version)
    return IntakeError.single(409, "period", message, "already_filed")


def amendment(event: ReportSubmitted, answer: Amended | NotAmended) -> ReportSubmitted:
    """The amended version's event (the database's version number, first submission, due
    instant, timeliness and rule merged in), or the refusal raised."""
    if isinstance(answer, NotAmended):
        raise _refusal(answer, event.unit_code)
    return event.model_copy(
        update={
            "version_no": answer.version_no,
            "first_submitted_at": answer.first_submitted_at,
            "due_at": answer.due_at,
            "on_time": answer.on_time,
            "rule_code": answer.rule_code,
        }
    )


def _refusal(refused: NotAmended, unit_code: str) -> IntakeError:
    """Why nothing was amended: no such report, another unit's, or another period."""
    if not refused.found:
        return IntakeError.single(404, "report_id", msg.NOT_FOUND, "not_found")
    if refused.unit_code != unit_code:
        return IntakeError.single(403, "report_id", msg.OTHER_UNIT_FORBIDDEN, "forbidden")
    label = msg.period_label(refused.period, refused.plan_year)
    message = msg.AMENDMENT_MISMATCH.format(expected=label)
    return IntakeError.single(422, "period", message, "amendment_mismatch")


def evidence_event(
    unit_code: str, task_code: str, plan_year: int, evidence: EvidenceRef, note: str, now: datetime
) -> EvidenceSubmitted:
    return EvidenceSubmitted(
        evidence_id=uuid.uuid4(),
        unit_code=unit_code,
        task_code=task_code,
        plan_year=plan_year,
        submitted_at=now,
        evidence=evidence,
        note=note,
    )
