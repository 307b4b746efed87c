"""Filing's statements: each one round trip, returning what the service decides on next (the
report already filed for a period, why an amendment was refused): no query only to learn why.
The event's outbox row is written by the unit of work in the same transaction."""

from __future__ import annotations

from typing import Any

from intake.db import SCHEMA
from intake.domain.filing import AlreadyFiled, Amended, NotAmended
from minhbach.db.pg import Connection

_REPORT_COLUMNS = (
    "report_id, unit_code, plan_year, period, reporter, rule_code, due_at, first_submitted_at, "
    "latest_version"
)

# A first report and its version 1 in ONE statement. When the unit already reported that period
# (the unique key) nothing new is written and the existing report comes back instead: the no-op
# DO UPDATE locks and returns it even when another transaction committed it after this statement
# began (DO NOTHING would return nothing and a SELECT in the same snapshot might not see it).
# Ours is new iff its id is ours ($1).
FILE_FIRST = f"""
WITH claimed AS (
  INSERT INTO {SCHEMA}.reports AS r ({_REPORT_COLUMNS})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)
  ON CONFLICT ON CONSTRAINT uq_reports_period DO UPDATE SET latest_version = r.latest_version
  RETURNING report_id, latest_version
), version AS (
  INSERT INTO {SCHEMA}.report_versions
    (report_id, version_no, submitted_at, on_time, event_id, tasks, analysis)
  SELECT report_id, 1, $8, $9, $10, $11::text::jsonb, $12 FROM claimed WHERE report_id = $1
)
SELECT report_id, latest_version FROM claimed
"""

# An amendment in ONE statement: take the next version number (the row lock queues concurrent
# amendments of one report) and store the version. Nothing is written unless the report exists,
# is the unit's and is for that period; then the second branch says why in the same round trip:
# the named report's unit, year and period, or no row at all when there is no such report
# (reports are never deleted, and its id was known before this statement began, so this
# statement's snapshot sees it).
AMEND = f"""
WITH bumped AS (
  UPDATE {SCHEMA}.reports SET latest_version = latest_version + 1
  WHERE report_id = $1 AND unit_code = $2 AND plan_year = $3 AND period = $4 AND reporter = $5
  RETURNING report_id, latest_version, due_at, first_submitted_at, rule_code,
            $6::timestamptz < due_at AS on_time
), version AS (
  INSERT INTO {SCHEMA}.report_versions
    (report_id, version_no, submitted_at, on_time, event_id, tasks, analysis)
  SELECT report_id, latest_version, $6, on_time, $7, $8::text::jsonb, $9 FROM bumped
)
SELECT true AS amended, latest_version, first_submitted_at, due_at, on_time, rule_code,
       NULL::text AS unit_code, NULL::integer AS plan_year, NULL::text AS period
FROM bumped
UNION ALL
SELECT false, NULL, NULL, NULL, NULL, NULL, unit_code, plan_year, period
FROM {SCHEMA}.reports WHERE report_id = $1 AND NOT EXISTS (SELECT FROM bumped)
"""

ADD_EVIDENCE = f"""
INSERT INTO {SCHEMA}.evidence
  (evidence_id, unit_code, task_code, plan_year, submitted_at, url, document_number,
   issued_on, title, note, event_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
"""


async def file_first(
    connection: Connection,
    report: tuple[Any, ...],
    on_time: bool,
    event_id: Any,
    tasks_json: str,
    analysis: str,
) -> AlreadyFiled | None:
    """Store a first report (`report`: the values of `_REPORT_COLUMNS` but the version) and its
    version 1; None when stored, else the report the unit already filed for that period
    (nothing written)."""
    report_id, latest_version = await connection.fetchrow(
        FILE_FIRST, *report, on_time, event_id, tasks_json, analysis
    )
    if report_id == report[0]:
        return None
    return AlreadyFiled(report_id, latest_version)


async def amend(
    connection: Connection,
    report: tuple[Any, ...],
    submitted_at: Any,
    event_id: Any,
    tasks_json: str,
    analysis: str,
) -> Amended | NotAmended:
    """Store the next version of the report `report` names (its id, unit, plan year, period and
    reporter) if it exists and is that unit's for that period; else say why not."""
    row = await connection.fetchrow(AMEND, *report, submitted_at, event_id, tasks_json, analysis)
    if row is None:
        return NotAmended(found=False)
    if not row["amended"]:
        return NotAmended(True, row["unit_code"], row["plan_year"], row["period"])
    return Amended(*tuple(row)[1:6])


async def add_evidence(connection: Connection, values: tuple[Any, ...]) -> None:
    """`values`: the evidence row in `ADD_EVIDENCE`'s column order."""
    await connection.execute(ADD_EVIDENCE, *values)
