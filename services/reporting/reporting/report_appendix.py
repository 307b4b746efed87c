"""The consolidated report's appendix ("Phụ lục", landscape, after the signature; the same
tables are the .xlsx's sheets): every lead unit's filing, every (task, unit) pair with what was
done or why not, the signals behind each indicator with their weights and evidence, and every
portal finding with its evidence."""

from __future__ import annotations

from minhbach.calendar import TZ, format_vn_date_short
from minhbach.events.catalogue import TaskStatus
from minhbach.plan import Plan
from reporting import messages as msg
from reporting.compose import findings_table
from reporting.domain.consolidated import ConsolidatedReport
from reporting.render.document import AppendixTable, Table

APPENDIX_FILING, APPENDIX_TASKS, APPENDIX_BASIS, APPENDIX_PORTALS = 1, 2, 3, 4


def signal_names(plan: Plan) -> dict[str, str]:
    """The plan's Vietnamese name of each readiness signal (documents never show a code)."""
    return {s.code: s.name for s in plan.readiness_signals}


def appendix_tables(plan: Plan, report: ConsolidatedReport) -> tuple[AppendixTable, ...]:
    filing, tasks, basis, portals = msg.SHEETS
    return (
        AppendixTable(msg.APPENDIX_FILING, filing, _filing_table(plan, report)),
        AppendixTable(msg.APPENDIX_TASKS, tasks, _task_table(plan, report)),
        AppendixTable(msg.APPENDIX_BASIS, basis, _basis_table(plan, report)),
        AppendixTable(
            msg.APPENDIX_PORTALS,
            portals,
            findings_table(plan, report.portals, (12, 60, 100, 80)),
        ),
    )


def _filing_table(plan: Plan, report: ConsolidatedReport) -> Table:
    rows = []
    for number, unit in enumerate(report.units, 1):
        if unit.filed_at is None:
            filed_on, state = "", msg.FILING_NONE
        else:
            filed_on = format_vn_date_short(unit.filed_at.astimezone(TZ).date())
            state = msg.FILING_LATE_LABEL if unit.late else msg.FILING_ON_TIME
        rows.append(
            (
                str(number),
                plan.unit(unit.unit_code).name,
                filed_on,
                state,
                str(unit.done),
                str(unit.in_progress),
                str(unit.not_started),
            )
        )
    return Table(msg.FILING_COLUMNS, tuple(rows), (14, 80, 30, 30, 32, 33, 33))


def _task_table(plan: Plan, report: ConsolidatedReport) -> Table:
    rows = []
    for line in report.tasks:
        result = line.work_done if line.status is not None and line.work_done else ""
        if line.status is not None and line.status is not TaskStatus.DONE and line.difficulties:
            result = (result + " " if result else "") + msg.REASON_PREFIX + line.difficulties
        rows.append(
            (line.task_code, plan.unit(line.unit_code).name, msg.STATUS_LABELS[line.status], result)
        )
    return Table(msg.TASK_COLUMNS, tuple(rows), (22, 70, 35, 125))


def _basis_table(plan: Plan, report: ConsolidatedReport) -> Table:
    names = signal_names(plan)
    rows = []
    for line in report.indicators:
        for signal in line.signals:
            rows.append(
                (
                    f"{line.number}. {line.title}",
                    names.get(signal.name, msg.NO_FIGURE),
                    msg.percent(signal.weight),
                    msg.percent(signal.value) if signal.has_data else msg.NO_FIGURE,
                    signal.evidence,
                )
            )
    return Table(msg.BASIS_COLUMNS, tuple(rows), (70, 55, 22, 25, 80))
