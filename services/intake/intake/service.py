"""Intake's use cases, shared by the JSON API and the HTML form.

Each accepted report or evidence is stored and put in the outbox in ONE transaction; the relay
publishes it after the commit (also when NATS is down at the time: it retries). A POST with an
`Idempotency-Key` stores its answer in that same transaction, so a retry gets the first answer
and never a second report. Rejections roll everything back, so a corrected retry may reuse the key.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, cast

from prometheus_client import Counter

from intake import messages as msg
from intake import repository as repo
from intake.auth import Caller
from intake.domain import FiledReport, IntakeRules, is_on_time, local_today
from intake.errors import IntakeError
from intake.metrics import (
    EVIDENCE_ACCEPTED,
    EVIDENCE_REJECTED,
    IDEMPOTENT_REPLAYS,
    REPORTS_ACCEPTED,
    REPORTS_REJECTED,
)
from intake.models import (
    EvidenceFilingIn,
    EvidenceReceipt,
    PeriodStatus,
    ReportDetail,
    Reporter,
    ReportIn,
    ReportReceipt,
    ReportSummary,
    ReportVersionOut,
    TaskOut,
    TaskReportOut,
    UnitOut,
    UnitStatus,
)
from intake.store import Writer, WriteStore
from minhbach.events.catalogue import (
    EvidenceRef,
    EvidenceSubmitted,
    Period,
    ReportSubmitted,
    TaskStatus,
)
from minhbach.observability.logging import get_logger
from minhbach.plan import Task
from minhbach.runtime import Runtime

log = get_logger(__name__)

_IDEMPOTENCY_KEY: Final = re.compile(r"^[\x21-\x7e]{1,200}$")


@dataclass(frozen=True)
class Outcome:
    """An answer ready to send: status, JSON text, and whether it is a stored replay."""

    status_code: int
    body: str
    replayed: bool = False


class _KeyTaken(Exception):
    """Another request stored an answer under the same Idempotency-Key while we worked."""


class Intake:
    def __init__(self, runtime: Runtime, rules: IntakeRules, store: WriteStore) -> None:
        self.runtime = runtime
        self.rules = rules
        self.store = store

    def _now(self) -> datetime:
        """The clock's instant in UTC (stored and sent as such whatever zone a clock uses)."""
        return self.runtime.clock.now().astimezone(UTC)

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
        """
        try:
            refusal = self.rules.filing_refusal(caller.unit_code, report.reporter)
            if refusal:
                raise IntakeError.single(403, "reporter", refusal, "forbidden")
            fingerprint = _fingerprint(
                idempotency_key, "report", caller.unit_code, amend_report_id, report
            )
            replay = await self._replay(caller, idempotency_key, fingerprint)
            if replay:
                return replay
            now = self._now()
            errors = self.rules.check_report(caller.unit_code, report, local_today(now))
            if errors:
                raise IntakeError(422, tuple(errors))
            return await self._store_report(
                caller, report, now, amend_report_id, amend_if_filed, idempotency_key, fingerprint
            )
        except IntakeError as error:
            _count_rejection(REPORTS_REJECTED, error)
            raise

    async def _store_report(
        self,
        caller: Caller,
        report: ReportIn,
        now: datetime,
        amend_report_id: uuid.UUID | None,
        amend_if_filed: bool,
        key: str | None,
        fingerprint: str,
    ) -> Outcome:
        due = self.rules.due(report.reporter, report.period, report.plan_year)
        assert due is not None  # check_report refused periods without a rule
        event = _report_event(
            amend_report_id or uuid.uuid4(),
            caller.unit_code,
            report,
            now,
            due.due_at,
            due.rule.code,
        )
        try:
            async with self.store.writer(transaction=key is not None) as writer:
                if amend_report_id is None:
                    event = await self._file_first(writer, event, amend_if_filed)
                else:
                    event = await self._amend(writer, event)
                outcome = Outcome(201, _receipt(event).model_dump_json())
                await self._remember(writer, caller, key, fingerprint, outcome)
        except _KeyTaken:
            return await self._replay_after_race(caller, key)
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
        if await writer.file_first(event):
            return event
        existing = await writer.find_by_period(
            event.unit_code, event.plan_year, event.period, event.reporter
        )
        assert existing is not None  # the unique key just said it exists
        if not amend_if_filed:
            message = msg.REPORT_EXISTS.format(
                report_id=existing.report_id, version=existing.latest_version
            )
            raise IntakeError.single(409, "period", message, "already_filed")
        return await self._amend(writer, event.model_copy(update={"report_id": existing.report_id}))

    async def _amend(self, writer: Writer, event: ReportSubmitted) -> ReportSubmitted:
        """The next version of `event.report_id`, with what the database knows merged in."""
        amended = await writer.amend(event)
        if amended is None:
            await self._refuse_amendment(writer, event)
        assert amended is not None
        return event.model_copy(
            update={
                "version_no": amended.version_no,
                "first_submitted_at": amended.first_submitted_at,
                "due_at": amended.due_at,
                "on_time": amended.on_time,
                "rule_code": amended.rule_code,
            }
        )

    async def _refuse_amendment(self, writer: Writer, event: ReportSubmitted) -> None:
        """Say why nothing was amended: no such report, another unit's, or another period."""
        current = await writer.find_by_id(event.report_id)
        if current is None:
            raise IntakeError.single(404, "report_id", msg.NOT_FOUND, "not_found")
        if current.unit_code != event.unit_code:
            raise IntakeError.single(403, "report_id", msg.OTHER_UNIT_FORBIDDEN, "forbidden")
        label = msg.period_label(current.period, current.plan_year)
        message = msg.AMENDMENT_MISMATCH.format(expected=label)
        raise IntakeError.single(422, "period", message, "amendment_mismatch")

    # --- filing evidence ---

    async def file_evidence(
        self, caller: Caller, filing: EvidenceFilingIn, *, idempotency_key: str | None = None
    ) -> Outcome:
        try:
            fingerprint = _fingerprint(idempotency_key, "evidence", caller.unit_code, None, filing)
            replay = await self._replay(caller, idempotency_key, fingerprint)
            if replay:
                return replay
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
                async with self.store.writer(transaction=idempotency_key is not None) as writer:
                    await writer.add_evidence(_evidence_values(event), event)
                    receipt = _evidence_receipt(event, filing.evidence)
                    outcome = Outcome(201, receipt.model_dump_json())
                    await self._remember(writer, caller, idempotency_key, fingerprint, outcome)
            except _KeyTaken:
                return await self._replay_after_race(caller, idempotency_key)
        except IntakeError as error:
            _count_rejection(EVIDENCE_REJECTED, error)
            raise
        EVIDENCE_ACCEPTED.inc()
        log.info("evidence accepted", unit=caller.unit_code, task=filing.task_code)
        return outcome

    # --- idempotency ---

    async def _replay(self, caller: Caller, key: str | None, fingerprint: str) -> Outcome | None:
        if key is None:
            return None
        if not _IDEMPOTENCY_KEY.match(key):
            raise IntakeError.single(
                422, "Idempotency-Key", msg.IDEMPOTENCY_KEY_INVALID, "idempotency_key"
            )
        async with self.runtime.sessions() as session:
            stored = await repo.stored_response(session, caller.unit_code, key)
        if stored is None:
            return None
        if stored.fingerprint != fingerprint:
            raise IntakeError.single(
                422, "Idempotency-Key", msg.IDEMPOTENCY_KEY_REUSED, "idempotency_key"
            )
        IDEMPOTENT_REPLAYS.inc()
        return Outcome(stored.status_code, stored.response, replayed=True)

    async def _remember(
        self, writer: Writer, caller: Caller, key: str | None, fingerprint: str, outcome: Outcome
    ) -> None:
        if key is None:
            return
        stored = repo.StoredResponse(fingerprint, outcome.status_code, outcome.body)
        if not await writer.store_response(caller.unit_code, key, stored):
            raise _KeyTaken  # rolls back our report: the first request's one stands

    async def _replay_after_race(self, caller: Caller, key: str | None) -> Outcome:
        assert key is not None
        async with self.runtime.sessions() as session:
            stored = await repo.stored_response(session, caller.unit_code, key)
        assert stored is not None
        IDEMPOTENT_REPLAYS.inc()
        return Outcome(stored.status_code, stored.response, replayed=True)

    async def purge_old_responses(self) -> int:
        ttl = timedelta(hours=self.runtime.settings.intake_idempotency_ttl_hours)
        async with self.runtime.sessions() as session, session.begin():
            return await repo.purge_responses(session, self._now() - ttl)

    # --- reading back ---

    def unit_info(self, caller: Caller) -> UnitOut:
        plan = self.rules.plan
        return UnitOut(
            unit_code=caller.unit_code,
            unit_name=plan.unit(caller.unit_code).name,
            is_focal_unit=caller.is_focal_unit,
            plan_year=plan.year,
            led_tasks=[_task_out(task) for task in plan.tasks_led_by(caller.unit_code)],
            supported_tasks=[_task_out(task) for task in plan.tasks_supported_by(caller.unit_code)],
        )

    async def list_reports(
        self, caller: Caller, unit_code: str | None, plan_year: int | None
    ) -> list[ReportSummary]:
        """The caller's reports; the focal unit may ask for one unit's or (no unit) everyone's."""
        if unit_code is None and not caller.is_focal_unit:
            unit_code = caller.unit_code
        if unit_code is not None:
            self._may_read(caller, unit_code)
        async with self.runtime.sessions() as session:
            listings = await repo.list_reports(session, unit_code, plan_year)
        return [self._summary(listing) for listing in listings]

    async def report_detail(self, caller: Caller, report_id: uuid.UUID) -> ReportDetail:
        async with self.runtime.sessions() as session:
            report = await repo.report_by_id(session, report_id)
            if report is None:
                raise IntakeError.single(404, "report_id", msg.NOT_FOUND, "not_found")
            self._may_read(caller, report.unit_code)
            versions = await repo.versions_of(session, report_id)
        listing = repo.ReportListing(report, versions[0].on_time, versions[-1])
        summary = self._summary(listing)
        return ReportDetail(
            **summary.model_dump(), versions=[_version_out(version) for version in versions]
        )

    async def current_version(
        self, caller: Caller, plan_year: int, period: Period, reporter: Reporter
    ) -> repo.VersionRow | None:
        """The latest version the caller filed for a period, if any (the form pre-fills it)."""
        async with self.runtime.sessions() as session:
            report = await repo.report_for_period(
                session, caller.unit_code, plan_year, period, reporter
            )
            if report is None:
                return None
            versions = await repo.versions_of(session, report.report_id)
        return versions[-1]

    async def report_version(
        self, caller: Caller, report_id: uuid.UUID, version_no: int
    ) -> ReportVersionOut:
        detail = await self.report_detail(caller, report_id)
        for version in detail.versions:
            if version.version_no == version_no:
                return version
        raise IntakeError.single(404, "version_no", msg.NOT_FOUND, "not_found")

    async def unit_status(self, caller: Caller, unit_code: str, plan_year: int) -> UnitStatus:
        self._may_read(caller, unit_code)
        async with self.runtime.sessions() as session:
            listings = await repo.list_reports(session, unit_code, plan_year)
        filed = {
            (cast(Reporter, listing.report.reporter), cast(Period, listing.report.period)): (
                _filed(listing)
            )
            for listing in listings
        }
        now = self._now()
        states = self.rules.period_states(unit_code, plan_year, filed, now)
        periods = []
        for state in states:
            report = state.filed
            periods.append(
                PeriodStatus(
                    period=state.period,
                    reporter=state.reporter,
                    due_at=state.due_at,
                    status=state.status,
                    label=msg.PERIOD_STATUS_LABELS[state.status],
                    report_id=report.report_id if report else None,
                    latest_version=report.latest_version if report else None,
                    not_done_task_codes=list(report.not_done_task_codes) if report else [],
                    missing_task_codes=(
                        self.rules.missing_task_codes(
                            unit_code, state.reporter, report.covered_task_codes
                        )
                        if report
                        else []
                    ),
                )
            )
        return UnitStatus(
            unit_code=unit_code,
            unit_name=self.rules.plan.unit(unit_code).name,
            plan_year=plan_year,
            as_of=now,
            periods=periods,
        )

    async def list_evidence(
        self, caller: Caller, unit_code: str | None, plan_year: int | None
    ) -> list[EvidenceReceipt]:
        if unit_code is None and not caller.is_focal_unit:
            unit_code = caller.unit_code
        if unit_code is not None:
            self._may_read(caller, unit_code)
        async with self.runtime.sessions() as session:
            rows = await repo.list_evidence(session, unit_code, plan_year)
        return [_evidence_out(row) for row in rows]

    def _may_read(self, caller: Caller, unit_code: str) -> None:
        if not caller.may_read(unit_code):
            raise IntakeError.single(403, "unit", msg.OTHER_UNIT_FORBIDDEN, "forbidden")
        if not self.rules.plan.has_unit(unit_code):
            raise IntakeError.single(404, "unit", msg.NOT_FOUND, "not_found")

    def _summary(self, listing: repo.ReportListing) -> ReportSummary:
        report, latest = listing.report, listing.latest
        covered = [task["task_code"] for task in latest.tasks]
        return ReportSummary(
            report_id=report.report_id,
            unit_code=report.unit_code,
            plan_year=report.plan_year,
            period=cast(Period, report.period),
            reporter=cast(Reporter, report.reporter),
            due_at=report.due_at,
            first_submitted_at=report.first_submitted_at,
            first_on_time=listing.first_on_time,
            latest_version=report.latest_version,
            latest_submitted_at=latest.submitted_at,
            latest_on_time=latest.on_time,
            not_done_task_codes=_not_done(latest.tasks),
            missing_task_codes=self.rules.missing_task_codes(
                report.unit_code, cast(Reporter, report.reporter), covered
            ),
        )


# --- helpers ----------------------------------------------------------------------------------


def _fingerprint(
    idempotency_key: str | None,
    operation: str,
    unit_code: str,
    target: uuid.UUID | None,
    body: ReportIn | EvidenceFilingIn,
) -> str:
    """What a retried request must repeat to get the first answer back; "" without a key
    (nothing to compare, and hashing a large report is not free)."""
    if idempotency_key is None:
        return ""
    canonical = f"{operation}\n{unit_code}\n{target}\n{body.model_dump_json()}"
    return hashlib.sha256(canonical.encode()).hexdigest()


def _count_rejection(counter: Counter, error: IntakeError) -> None:
    for reason in sorted({field_error.reason for field_error in error.errors}):
        counter.labels(reason).inc()
    error.counted = True


def _report_event(
    report_id: uuid.UUID,
    unit_code: str,
    report: ReportIn,
    now: datetime,
    due_at: datetime,
    rule_code: str,
) -> ReportSubmitted:
    """The event as for a first report; an amendment gets the database's values merged in."""
    return ReportSubmitted(
        report_id=report_id,
        version_no=1,
        unit_code=unit_code,
        plan_year=report.plan_year,
        period=report.period,
        submitted_at=now,
        due_at=due_at,
        on_time=is_on_time(now, due_at),
        tasks=tuple(report.tasks),  # TaskReportIn is a TaskReport: no copy
        analysis=report.analysis,
        reporter=report.reporter,
        rule_code=rule_code,
        first_submitted_at=now,
    )


def _receipt(event: ReportSubmitted) -> ReportReceipt:
    assert event.first_submitted_at is not None
    not_done = [task.task_code for task in event.tasks if task.status is not TaskStatus.DONE]
    message = (
        f"Đã nhận {msg.REPORTER_LABELS[event.reporter].lower()} "
        f"{msg.period_label(event.period, event.plan_year)}, phiên bản {event.version_no} "
        f"({msg.on_time_label(event.on_time).lower()})."
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


def _evidence_receipt(event: EvidenceSubmitted, evidence: EvidenceRef) -> EvidenceReceipt:
    return EvidenceReceipt(
        evidence_id=event.evidence_id,
        unit_code=event.unit_code,
        task_code=event.task_code,
        plan_year=event.plan_year,
        submitted_at=event.submitted_at,
        evidence=evidence,
        note=event.note,
        message=msg.FORM_EVIDENCE_SAVED.format(code=event.task_code),
    )


def _evidence_out(row: repo.EvidenceRow) -> EvidenceReceipt:
    evidence = EvidenceRef(
        url=row.url, document_number=row.document_number, issued_on=row.issued_on, title=row.title
    )
    return EvidenceReceipt(
        evidence_id=row.evidence_id,
        unit_code=row.unit_code,
        task_code=row.task_code,
        plan_year=row.plan_year,
        submitted_at=row.submitted_at,
        evidence=evidence,
        note=row.note,
        message=msg.FORM_EVIDENCE_SAVED.format(code=row.task_code),
    )


def _not_done(tasks: list[dict[str, object]]) -> list[str]:
    return [str(task["task_code"]) for task in tasks if task["status"] != TaskStatus.DONE.value]


def _filed(listing: repo.ReportListing) -> FiledReport:
    return FiledReport(
        first_on_time=listing.first_on_time,
        latest_version=listing.report.latest_version,
        report_id=listing.report.report_id,
        covered_task_codes=tuple(str(task["task_code"]) for task in listing.latest.tasks),
        not_done_task_codes=tuple(_not_done(listing.latest.tasks)),
    )


def _version_out(version: repo.VersionRow) -> ReportVersionOut:
    return ReportVersionOut(
        report_id=version.report_id,
        version_no=version.version_no,
        submitted_at=version.submitted_at,
        on_time=version.on_time,
        tasks=[TaskReportOut.model_validate(task) for task in version.tasks],
        analysis=version.analysis,
    )


def _task_out(task: Task) -> TaskOut:
    return TaskOut(
        code=task.code, indicator=task.indicator, text=task.text, timing=task.timing.text
    )
