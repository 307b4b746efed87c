"""Intake's commands, shared by the JSON API and the HTML form: one function per command, each in
exactly ONE transaction through the unit of work (`minhbach.db.pg.PgUnitOfWork`, asyncpg:
decision 0023), which emits the event the filing returns in that same transaction.

A filing reads the Idempotency-Key's stored answer, stores the report or evidence, and stores its
answer under the key, all in that transaction: a retry gets the first answer, never a second
report; a refusal rolls everything back, so a corrected retry may reuse the key. The relay
publishes the event after the commit (also when NATS is down at the time: it retries). Only a
lost race reads again after the rollback: the answer of the request that took the key first.
The reads (GET pages) are `intake.reads`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from prometheus_client import Counter
from pydantic import BaseModel, TypeAdapter

from intake.auth import Caller
from intake.domain import Accepted, IntakeRules, Rejected, local_today
from intake.domain import filing as decide
from intake.domain import idempotency as keys
from intake.domain.idempotency import KeyTaken, Outcome, StoredResponse
from intake.domain.receipts import evidence_receipt, report_receipt
from intake.errors import IntakeError
from intake.metrics import (
    EVIDENCE_ACCEPTED,
    EVIDENCE_REJECTED,
    IDEMPOTENT_REPLAYS,
    REPORTS_ACCEPTED,
    REPORTS_REJECTED,
)
from intake.models import EvidenceFilingIn, ReportIn
from intake.store import filing
from intake.store import idempotency as answers
from minhbach.clock import Clock
from minhbach.db.pg import Connection, PgUnitOfWork
from minhbach.db.unit_of_work import Outcome as Done
from minhbach.events.base import Event
from minhbach.events.catalogue import EvidenceSubmitted, ReportSubmitted, TaskReport
from minhbach.observability.logging import get_logger

log = get_logger(__name__)
_TASKS = TypeAdapter(tuple[TaskReport, ...])

Filed = tuple[Outcome, Event | None]
"""A filing's answer, and the event it stored (None: a stored answer replayed)."""


@dataclass(frozen=True)
class _Key:
    """A request's Idempotency-Key (None: none given) and what a retry must repeat."""

    unit_code: str
    key: str | None
    fingerprint: str


class Intake:
    def __init__(
        self, clock: Clock, rules: IntakeRules, unit: PgUnitOfWork, answers_ttl: timedelta
    ) -> None:
        self.clock = clock
        self.rules = rules
        self.unit = unit
        self.answers_ttl = answers_ttl

    def _now(self) -> datetime:
        """The clock's instant in UTC (stored and sent as such whatever zone a clock uses)."""
        return self.clock.now().astimezone(UTC)

    # --- filing a report ------------------------------------------------------------------

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
            if isinstance(decision, Rejected) and (decision.forbidden or idempotency_key is None):
                # Refused at once: no stored answer can come first (none, or no key to find it).
                raise IntakeError(403 if decision.forbidden else 422, decision.errors)
            key = _key(caller, idempotency_key, "report", amend_report_id, report)

            async def work(connection: Connection) -> Done[Filed]:
                replay = await _replay(connection, key)
                if replay:
                    return Done((replay, None))
                if isinstance(decision, Rejected):
                    raise IntakeError(422, decision.errors)
                event = await _write_report(
                    connection,
                    _first_event(amend_report_id, caller, report, now, decision),
                    amend_to=amend_report_id is not None,
                    amend_if_filed=amend_if_filed,
                )
                outcome = Outcome(201, report_receipt(event).model_dump_json())
                await _remember(connection, key, outcome)
                return Done((outcome, event), [event])

            outcome, stored = await self._with_key(work, key)
        except IntakeError as error:
            _count_rejection(REPORTS_REJECTED, error)
            raise
        if isinstance(stored, ReportSubmitted):
            REPORTS_ACCEPTED.labels(report.reporter, str(stored.on_time).lower()).inc()
            log.info(
                "report accepted",
                unit=caller.unit_code,
                report_id=str(stored.report_id),
                version=stored.version_no,
                period=report.period,
                on_time=stored.on_time,
            )
        return outcome

    # --- filing evidence ------------------------------------------------------------------

    async def file_evidence(
        self, caller: Caller, filed: EvidenceFilingIn, *, idempotency_key: str | None = None
    ) -> Outcome:
        try:
            key = _key(caller, idempotency_key, "evidence", None, filed)

            async def work(connection: Connection) -> Done[Filed]:
                replay = await _replay(connection, key)
                if replay:
                    return Done((replay, None))
                now = self._now()
                errors = self.rules.check_evidence_filing(caller.unit_code, filed, local_today(now))
                if errors:
                    raise IntakeError(422, tuple(errors))
                event = decide.evidence_event(
                    caller.unit_code,
                    filed.task_code,
                    filed.plan_year,
                    filed.evidence,
                    filed.note,
                    now,
                )
                await filing.add_evidence(connection, _evidence_values(event))
                receipt = evidence_receipt(event, filed.evidence)
                outcome = Outcome(201, receipt.model_dump_json())
                await _remember(connection, key, outcome)
                return Done((outcome, event), [event])

            outcome, stored = await self._with_key(work, key)
        except IntakeError as error:
            _count_rejection(EVIDENCE_REJECTED, error)
            raise
        if stored is not None:
            EVIDENCE_ACCEPTED.inc()
            log.info("evidence accepted", unit=caller.unit_code, task=filed.task_code)
        return outcome

    # --- the answers' retention -------------------------------------------------------------

    async def purge_answers(self, older_than: datetime | None = None) -> int:
        """Forget the Idempotency-Key answers older than their time to live (or `older_than`)."""
        older_than = older_than or self.clock.now() - self.answers_ttl

        async def work(connection: Connection) -> Done[int]:
            return Done(await answers.purge_responses(connection, older_than))

        return await self.unit.run(work)

    # --- one transaction, and the race for a key ----------------------------------------------

    async def _with_key(
        self, work: Callable[[Connection], Awaitable[Done[Filed]]], key: _Key
    ) -> Filed:
        """Run the filing's one transaction. If another request took the same key meanwhile
        (ours rolled back), its answer is ours. A twin with the same key that filed the period
        first makes ours a 409 (the period's unique key is met before the Idempotency-Key's):
        its answer, if stored, is ours too."""
        try:
            return await self.unit.run(work)
        except KeyTaken:
            return await self.unit.read(lambda connection: _first_answer(connection, key)), None
        except IntakeError as error:
            if key.key is None or error.status_code != 409:
                raise
            replay = await self.unit.read(lambda connection: _replay(connection, key))
            if replay is None:
                raise
            return replay, None


# --- the walk of a report: one path ------------------------------------------------------------


async def _write_report(
    connection: Connection, event: ReportSubmitted, *, amend_to: bool, amend_if_filed: bool
) -> ReportSubmitted:
    """Store the report `event` describes; the event of the version stored.

    A first filing claims its period; if the period was reported already, the API refuses (409)
    and the form amends that report. An amendment stores the next version, or says why not."""
    tasks_json = _TASKS.dump_json(event.tasks).decode()
    if not amend_to:
        filed = await filing.file_first(
            connection,
            _report_values(event),
            event.on_time,
            event.event_id,
            tasks_json,
            event.analysis,
        )
        if filed is None:
            return event
        if not amend_if_filed:
            raise decide.already_filed(filed)
        event = decide.of_filed_report(event, filed)
    answer = await filing.amend(
        connection,
        (event.report_id, event.unit_code, event.plan_year, event.period, event.reporter),
        event.submitted_at,
        event.event_id,
        tasks_json,
        event.analysis,
    )
    return decide.amendment(event, answer)


def _first_event(
    amend_report_id: uuid.UUID | None,
    caller: Caller,
    report: ReportIn,
    now: datetime,
    accepted: Accepted,
) -> ReportSubmitted:
    report_id = amend_report_id or uuid.uuid4()
    return decide.report_event(report_id, caller.unit_code, report, now, accepted)


def _report_values(event: ReportSubmitted) -> tuple[object, ...]:
    """The report row, in the column order of `store.filing.FILE_FIRST` (version 1)."""
    return (
        event.report_id,
        event.unit_code,
        event.plan_year,
        event.period,
        event.reporter,
        event.rule_code,
        event.due_at,
        event.submitted_at,
    )


def _evidence_values(event: EvidenceSubmitted) -> tuple[object, ...]:
    """The evidence row, in the column order of `store.filing.ADD_EVIDENCE`."""
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


# --- the Idempotency-Key ----------------------------------------------------------------------


def _key(
    caller: Caller, key: str | None, operation: str, target: uuid.UUID | None, body: BaseModel
) -> _Key:
    fingerprint = keys.fingerprint(key, operation, caller.unit_code, target, body)
    return _Key(caller.unit_code, key, fingerprint)


async def _replay(connection: Connection, key: _Key) -> Outcome | None:
    """The stored answer to this key, if any (422 if the key is malformed or was used for
    another request)."""
    if key.key is None:
        return None
    keys.check_key(key.key)
    stored = await answers.stored_response(connection, key.unit_code, key.key)
    outcome = keys.replay(stored, key.fingerprint)
    if outcome is not None:
        IDEMPOTENT_REPLAYS.inc()
    return outcome


async def _first_answer(connection: Connection, key: _Key) -> Outcome:
    """The answer of the request that took the key first (after `KeyTaken`, once our
    transaction rolled back)."""
    assert key.key is not None
    stored = await answers.stored_response(connection, key.unit_code, key.key)
    assert stored is not None
    IDEMPOTENT_REPLAYS.inc()
    return keys.replayed(stored)


async def _remember(connection: Connection, key: _Key, outcome: Outcome) -> None:
    """Store the answer in the filing's transaction; `KeyTaken` if another was first (which
    rolls back our filing: the first request's one stands)."""
    if key.key is None:
        return
    stored = StoredResponse(key.fingerprint, outcome.status_code, outcome.body)
    if not await answers.store_response(connection, key.unit_code, key.key, stored):
        raise KeyTaken


def _count_rejection(counter: Counter, error: IntakeError) -> None:
    for reason in sorted({field_error.reason for field_error in error.errors}):
        counter.labels(reason).inc()
    error.counted = True
