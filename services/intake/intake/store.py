"""The write path of reports and evidence, on asyncpg directly (reads go through SQLAlchemy).

Filing is intake's hot path: a report version, its outbox event and (with an Idempotency-Key) the
stored answer are written in one transaction of three to five short statements. Through a
SQLAlchemy session the same transaction cost several times more CPU (pool pre-ping, unit-of-work
bookkeeping), which the load benchmark showed; see docs/decisions (intake write path).

The table and column names are those of `intake.db`; `tests/intake` checks both paths agree.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from intake.db import SCHEMA
from intake.repository import ReportRow, StoredResponse
from minhbach.db.session import async_url

_REPORT_COLUMNS = (
    "report_id, unit_code, plan_year, period, reporter, rule_code, due_at, first_submitted_at, "
    "latest_version"
)

CLAIM_NEW = f"""
INSERT INTO {SCHEMA}.reports ({_REPORT_COLUMNS})
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)
ON CONFLICT ON CONSTRAINT uq_reports_period DO NOTHING
RETURNING {_REPORT_COLUMNS}
"""

# Bumping the version number takes the row lock: amendments of one report queue up here.
BUMP_BY_ID = f"""
UPDATE {SCHEMA}.reports SET latest_version = latest_version + 1
WHERE report_id = $1
RETURNING {_REPORT_COLUMNS}
"""

BUMP_BY_PERIOD = f"""
UPDATE {SCHEMA}.reports SET latest_version = latest_version + 1
WHERE unit_code = $1 AND plan_year = $2 AND period = $3 AND reporter = $4
RETURNING {_REPORT_COLUMNS}
"""

FIND_BY_PERIOD = f"""
SELECT {_REPORT_COLUMNS} FROM {SCHEMA}.reports
WHERE unit_code = $1 AND plan_year = $2 AND period = $3 AND reporter = $4
"""

# The version's tasks are taken from the event itself: serialised once, in Python.
ADD_VERSION_AND_EVENT = f"""
WITH version AS (
  INSERT INTO {SCHEMA}.report_versions
    (report_id, version_no, submitted_at, on_time, event_id, tasks, analysis)
  VALUES ($1, $2, $3, $4, $5, $8::jsonb -> 'tasks', $6)
)
INSERT INTO {SCHEMA}.outbox (event_id, subject, payload) VALUES ($5, $7, $8)
"""

ADD_EVIDENCE_AND_EVENT = f"""
WITH evidence AS (
  INSERT INTO {SCHEMA}.evidence
    (evidence_id, unit_code, task_code, plan_year, submitted_at, url, document_number,
     issued_on, title, note, event_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
)
INSERT INTO {SCHEMA}.outbox (event_id, subject, payload) VALUES ($11, $12, $13)
"""

STORE_RESPONSE = f"""
INSERT INTO {SCHEMA}.idempotency_keys (unit_code, idem_key, fingerprint, status_code, response)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING
RETURNING idem_key
"""


@dataclass(frozen=True)
class NewReport:
    report_id: UUID
    unit_code: str
    plan_year: int
    period: str
    reporter: str
    rule_code: str
    due_at: datetime
    submitted_at: datetime


class WriteStore:
    """An asyncpg pool opened with the app (see `app.py`) and the write transactions on it."""

    def __init__(self, database_url: str, max_size: int = 50) -> None:
        self._dsn = async_url(database_url).replace("postgresql+asyncpg://", "postgresql://", 1)
        self._max_size = max_size
        self._pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        async with self._lock:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    self._dsn, min_size=2, max_size=self._max_size, reset=_keep_session
                )

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Writer]:
        if self._pool is None:
            await self.open()
        assert self._pool is not None
        async with self._pool.acquire() as connection, connection.transaction():
            yield Writer(connection)


class Writer:
    """The statements of one write transaction."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    async def claim_new(self, report: NewReport) -> ReportRow | None:
        """Insert the period's report; None when the unit already has one."""
        row = await self._connection.fetchrow(
            CLAIM_NEW,
            report.report_id,
            report.unit_code,
            report.plan_year,
            report.period,
            report.reporter,
            report.rule_code,
            report.due_at,
            report.submitted_at,
        )
        return _report(row)

    async def bump_by_id(self, report_id: UUID) -> ReportRow | None:
        return _report(await self._connection.fetchrow(BUMP_BY_ID, report_id))

    async def bump_by_period(
        self, unit_code: str, plan_year: int, period: str, reporter: str
    ) -> ReportRow | None:
        row = await self._connection.fetchrow(
            BUMP_BY_PERIOD, unit_code, plan_year, period, reporter
        )
        return _report(row)

    async def find_by_period(
        self, unit_code: str, plan_year: int, period: str, reporter: str
    ) -> ReportRow | None:
        row = await self._connection.fetchrow(
            FIND_BY_PERIOD, unit_code, plan_year, period, reporter
        )
        return _report(row)

    async def add_version(
        self,
        *,
        report_id: UUID,
        version_no: int,
        submitted_at: datetime,
        on_time: bool,
        event_id: UUID,
        analysis: str,
        subject: str,
        payload: str,
    ) -> None:
        await self._connection.execute(
            ADD_VERSION_AND_EVENT,
            report_id,
            version_no,
            submitted_at,
            on_time,
            event_id,
            analysis,
            subject,
            payload,
        )

    async def add_evidence(self, values: tuple[Any, ...], subject: str, payload: str) -> None:
        await self._connection.execute(ADD_EVIDENCE_AND_EVENT, *values, subject, payload)

    async def store_response(self, unit_code: str, key: str, stored: StoredResponse) -> bool:
        """False when another request stored an answer for this key first."""
        inserted = await self._connection.fetchval(
            STORE_RESPONSE, unit_code, key, stored.fingerprint, stored.status_code, stored.response
        )
        return inserted is not None


async def _keep_session(connection: Any) -> None:
    """Skip asyncpg's reset query on release (a round trip per request): these transactions
    change no session state (no SET, LISTEN, advisory lock or cursor outlives them)."""


def _report(row: Any) -> ReportRow | None:
    return None if row is None else ReportRow(**dict(row))
