"""The service's queries (the GET pages, the form's pre-fill): what units filed, their reports and
versions, their evidence, where each period stands, read through `intake.store.reads` on one
pooled connection (`PgUnitOfWork.read`: no transaction, no events). The caller may read its own
unit; the focal unit may read every unit's."""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import cast

from intake import messages as msg
from intake.auth import Caller
from intake.domain import FiledReport, IntakeRules, Reporter
from intake.domain.receipts import evidence_receipt
from intake.errors import IntakeError
from intake.models import (
    EvidenceReceipt,
    PeriodStatus,
    ReportDetail,
    ReportSummary,
    ReportVersionOut,
    TaskOut,
    TaskReportOut,
    UnitOut,
    UnitStatus,
)
from intake.store import reads as repo
from intake.store.reads import VersionRow
from minhbach.clock import Clock
from minhbach.db.pg import Connection, PgUnitOfWork
from minhbach.events.catalogue import EvidenceRef, Period, TaskStatus
from minhbach.plan import Task

__all__ = ["Reads", "VersionRow"]


class Reads:
    def __init__(self, unit: PgUnitOfWork, clock: Clock, rules: IntakeRules) -> None:
        self.unit = unit
        self.clock = clock
        self.rules = rules

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
        listings = await self.unit.read(
            lambda connection: repo.list_reports(connection, unit_code, plan_year)
        )
        return [self._summary(listing) for listing in listings]

    async def report_detail(self, caller: Caller, report_id: uuid.UUID) -> ReportDetail:
        async def read(connection: Connection) -> tuple[repo.ReportRow, list[repo.VersionRow]]:
            report = await repo.report_by_id(connection, report_id)
            if report is None:
                raise IntakeError.single(404, "report_id", msg.NOT_FOUND, "not_found")
            self._may_read(caller, report.unit_code)
            return report, await repo.versions_of(connection, report_id)

        report, versions = await self.unit.read(read)
        listing = repo.ReportListing(report, versions[0].on_time, versions[-1])
        summary = self._summary(listing)
        return ReportDetail(
            **summary.model_dump(), versions=[_version_out(version) for version in versions]
        )

    async def current_version(
        self, caller: Caller, plan_year: int, period: Period, reporter: Reporter
    ) -> repo.VersionRow | None:
        """The latest version the caller filed for a period, if any (the form pre-fills it)."""

        async def read(connection: Connection) -> repo.VersionRow | None:
            report = await repo.report_for_period(
                connection, caller.unit_code, plan_year, period, reporter
            )
            if report is None:
                return None
            return (await repo.versions_of(connection, report.report_id))[-1]

        return await self.unit.read(read)

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
        listings = await self.unit.read(
            lambda connection: repo.list_reports(connection, unit_code, plan_year)
        )
        filed = {
            (cast(Reporter, listing.report.reporter), cast(Period, listing.report.period)): (
                _filed(listing)
            )
            for listing in listings
        }
        now = self.clock.now().astimezone(UTC)
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
        rows = await self.unit.read(
            lambda connection: repo.list_evidence(connection, unit_code, plan_year)
        )
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


def _evidence_out(row: repo.EvidenceRow) -> EvidenceReceipt:
    evidence = EvidenceRef(
        url=row.url, document_number=row.document_number, issued_on=row.issued_on, title=row.title
    )
    return evidence_receipt(row, evidence)


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
