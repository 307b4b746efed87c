"""Intake's use cases, shared by the JSON API and the HTML form.

Each accepted report or evidence is stored and put in the outbox in ONE transaction; the relay
publishes it after the commit (also when NATS is down at the time: it retries). A POST with an
`Idempotency-Key` stores its answer in that same transaction, so a retry gets the first answer
and never a second report. Rejections roll everything back, so a corrected retry may reuse the key.

A filing request holds ONE connection of the asyncpg write pool (`WriteStore.writer`) from the
Idempotency-Key lookup to the commit, and each statement returns what the next decision needs
(the report already filed for a period, why an amendment was refused): no query is made only
to learn why.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from prometheus_client import Counter

from intake import messages as msg
from intake.auth import Caller
from intake.domain import Accepted, IntakeRules, Rejected, is_on_time, local_today
from intake.errors import IntakeError
from intake.idempotency import Idempotency, KeyTaken, Outcome
from intake.metrics import EVIDENCE_ACCEPTED, EVIDENCE_REJECTED, REPORTS_ACCEPTED, REPORTS_REJECTED
from intake.models import EvidenceFilingIn, ReportIn, ReportReceipt
from intake.reads import evidence_receipt
from intake.store import NotAmended, Writer, WriteStore
from minhbach.clock import Clock
from minhbach.events.catalogue import EvidenceSubmitted, ReportSubmitted, TaskStatus
from minhbach.observability.logging import get_logger

log = get_logger(__name__)


class Intake:
    def __init__(
        self,
        clock: Clock,
        rules: IntakeRules,
        store: WriteStore,
        idempotency: Idempotency,
    ) -> None:
        self.clock = clock
        self.rules = rules
        self.store = store
        self.idempotency = idempotency

    def _now(self) -> datetime:
        """The clock's instant in UTC (stored and sent as such whatever zone a clock uses)."""
        return self.clock.now().astimezone(UTC)

    # --- filing reports ---

    async def file_report(
        self,
        caller: Caller,
        report: ReportIn,
        *,
        amend_report_id: uuid.UUID | None = None,
        amend_if_filed: bool = False,
        idempotency_key: str | None = None,
    ) -> Outcome:
        """File a report (201), or a new version of `amend_report_id` / of the period's report.

        Without `amend_if_filed`, filing a period that already has a report is refused (409):
        the API makes amendments explicit; the HTML form amends whatever was filed before.
        A unit that may not file such a report is told so first; a retry with a stored answer
        gets it back before the report's own errors are reported.
        """
        try:
            now = self._now()
            decision = self.rules.accept(caller.unit_code, report, now)
            if isinstance(decision, Rejected) and decision.forbidden:
                raise IntakeError(403, decision.errors)
            fingerprint = self.idempotency.fingerprint(
                idempotency_key, "report", caller.unit_code, amend_report_id, report
            )
            async with self.store.writer() as writer:  # the request's one connection
                replay = await self.idempotency.replay(
                    writer, caller.unit_code, idempotency_key, fingerprint
                )
                if replay:
                    return replay
                if isinstance(decision, Rejected):
                    raise IntakeError(422, decision.errors)
                return await self._store_report(
                    writer,
                    caller,
                    report,
                    decision,
                    now,
                    amend_report_id,
                    amend_if_filed,
                    idempotency_key,
                    fingerprint,
                )
        except IntakeError as error:
            _count_rejection(REPORTS_REJECTED, error)
            raise

    async def _store_report(
        self,
        writer: Writer,
        caller: Caller,
        report: ReportIn,
        accepted: Accepted,
        now: datetime,
        amend_report_id: uuid.UUID | None,
        amend_if_filed: bool,
        key: str | None,
        fingerprint: str,
    ) -> Outcome:
        report_id = amend_report_id or uuid.uuid4()
        event = _report_event(report_id, caller.unit_code, report, now, accepted)
        try:
            async with writer.transaction(key is not None):
                if amend_report_id is None:
                    event = await self._file_first(writer, event, amend_if_filed)
                else:
                    event = await self._amend(writer, event)
                outcome = Outcome(201, _receipt(event).model_dump_json())
                await self.idempotency.remember(writer, caller.unit_code, key, fingerprint, outcome)
        except KeyTaken:
            return await self.idempotency.replay_after_race(writer, caller.unit_code, key)
        except IntakeError as error:
            # A twin with the same key that filed the period first makes ours a 409 (the
            # period's unique key is met before the Idempotency-Key's): its answer, if stored
            # (our transaction has rolled back, so this statement sees it), is ours too.
            if key is None or error.status_code != 409:
                raise
            replay = await self.idempotency.replay(writer, caller.unit_code, key, fingerprint)
            if replay is None:
                raise
            return replay
        REPORTS_ACCEPTED.labels(report.reporter, str(event.on_time).lower()).inc()
        log.info(
            "report accepted",
            unit=caller.unit_code,
            report_id=str(event.report_id),
            version=event.version_no,
            period=report.period,
            on_time=event.on_time,
        )
        return outcome

    async def _file_first(
        self, writer: Writer, event: ReportSubmitted, amend_if_filed: bool
    ) -> ReportSubmitted:
        """Version 1 of the period's report; if the period was reported already, a new version
        of that report (`amend_if_filed`, the form) or a 409 (the API: amend explicitly)."""
        existing = await writer.file_first(event)
        if existing is None:
            return event
        if not amend_if_filed:
            message = msg.REPORT_EXISTS.format(
                report_id=existing.report_id, version=existing.latest_version
            )
            raise IntakeError.single(409, "period", message, "already_filed")
        return await self._amend(writer, event.model_copy(update={"report_id": existing.report_id}))

    async def _amend(self, writer: Writer, event: ReportSubmitted) -> ReportSubmitted:
        """The next version of `event.report_id`, with what the database knows merged in."""
        amended = await writer.amend(event)
        if isinstance(amended, NotAmended):
            raise _refusal(amended, event.unit_code)
        return event.model_copy(
            update={
                "version_no": amended.version_no,
                "first_submitted_at": amended.first_submitted_at,
                "due_at": amended.due_at,
                "on_time": amended.on_time,
                "rule_code": amended.rule_code,
            }
        )

    # --- filing evidence ---

    async def file_evidence(
        self, caller: Caller, filing: EvidenceFilingIn, *, idempotency_key: str | None = None
    ) -> Outcome:
        try:
            fingerprint = self.idempotency.fingerprint(
                idempotency_key, "evidence", caller.unit_code, None, filing
            )
            async with self.store.writer() as writer:  # the request's one connection
                replay = await self.idempotency.replay(
                    writer, caller.unit_code, idempotency_key, fingerprint
                )
                if replay:
                    return replay
                return await self._store_evidence(
                    writer, caller, filing, idempotency_key, fingerprint
                )
        except IntakeError as error:
            _count_rejection(EVIDENCE_REJECTED, error)
            raise

    async def _store_evidence(
        self,
        writer: Writer,
        caller: Caller,
        filing: EvidenceFilingIn,
        key: str | None,
        fingerprint: str,
    ) -> Outcome:
        now = self._now()
        errors = self.rules.check_evidence_filing(caller.unit_code, filing, local_today(now))
        if errors:
            raise IntakeError(422, tuple(errors))
        event = EvidenceSubmitted(
            evidence_id=uuid.uuid4(),
            unit_code=caller.unit_code,
            task_code=filing.task_code,
            plan_year=filing.plan_year,
            submitted_at=now,
            evidence=filing.evidence,
            note=filing.note,
        )
        try:
            async with writer.transaction(key is not None):
                await writer.add_evidence(_evidence_values(event), event)
                receipt = evidence_receipt(event, filing.evidence)
                outcome = Outcome(201, receipt.model_dump_json())
                await self.idempotency.remember(writer, caller.unit_code, key, fingerprint, outcome)
        except KeyTaken:
            return await self.idempotency.replay_after_race(writer, caller.unit_code, key)
        EVIDENCE_ACCEPTED.inc()
        log.info("evidence accepted", unit=caller.unit_code, task=filing.task_code)
        return outcome


# --- helpers ----------------------------------------------------------------------------------


def _count_rejection(counter: Counter, error: IntakeError) -> None:
    for reason in sorted({field_error.reason for field_error in error.errors}):
        counter.labels(reason).inc()
    error.counted = True


def _refusal(refused: NotAmended, unit_code: str) -> IntakeError:
    """Why nothing was amended: no such report, another unit's, or another period."""
    if not refused.found:
        return IntakeError.single(404, "report_id", msg.NOT_FOUND, "not_found")
    if refused.unit_code != unit_code:
        return IntakeError.single(403, "report_id", msg.OTHER_UNIT_FORBIDDEN, "forbidden")
    label = msg.period_label(refused.period, refused.plan_year)
    message = msg.AMENDMENT_MISMATCH.format(expected=label)
    return IntakeError.single(422, "period", message, "amendment_mismatch")


def _report_event(
    report_id: uuid.UUID,
    unit_code: str,
    report: ReportIn,
    now: datetime,
    accepted: Accepted,
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


def _receipt(event: ReportSubmitted) -> ReportReceipt:
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


def _evidence_values(event: EvidenceSubmitted) -> tuple[object, ...]:
    """The evidence row, in the column order of `store.ADD_EVIDENCE_AND_EVENT`."""
    return (
        event.evidence_id,
        event.unit_code,
        event.task_code,
        event.plan_year,
        event.submitted_at,
        event.evidence.url,
        event.evidence.document_number,
        event.evidence.issued_on,
        event.evidence.title,
        event.note,
        event.event_id,
    )
