"""The write path of reports and evidence, on asyncpg directly (reads go through SQLAlchemy).

Filing is intake's hot path: a report version and its outbox event are written by ONE statement
(data-modifying CTEs; atomic without BEGIN/COMMIT round trips); with an Idempotency-Key the
stored answer joins them in a transaction. Through a SQLAlchemy session the same work cost
several times more CPU (pool pre-ping, unit-of-work bookkeeping, more round trips), which the
load benchmark showed; see docs/decisions (intake write path). The outbox row is still defined
once (`OutboxRow`), and `Outbox.committed()` wakes the relay after each commit.

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
from minhbach.db.session import CONNECT_TIMEOUT_SECONDS, async_url
from minhbach.events.base import Event
from minhbach.events.catalogue import ReportSubmitted
from minhbach.messaging.outbox import OUTBOX_COLUMNS, Outbox, OutboxRow
from minhbach.observability.logging import get_logger

log = get_logger(__name__)

_REPORT_COLUMNS = (
    "report_id, unit_code, plan_year, period, reporter, rule_code, due_at, first_submitted_at, "
    "latest_version"
)

# A first report, its version 1 and its event in ONE statement (one round trip, atomic on its
# own). Nothing is written when the unit already reported that period (the unique key).
FILE_FIRST = f"""
WITH claimed AS (
  INSERT INTO {SCHEMA}.reports ({_REPORT_COLUMNS})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)
  ON CONFLICT ON CONSTRAINT uq_reports_period DO NOTHING
  RETURNING report_id
), version AS (
  INSERT INTO {SCHEMA}.report_versions
    (report_id, version_no, submitted_at, on_time, event_id, tasks, analysis)
  SELECT report_id, 1, $8, $9, $10, $12::jsonb -> 'tasks', $13 FROM claimed
), outbox AS (
  INSERT INTO {SCHEMA}.outbox ({OUTBOX_COLUMNS}) SELECT $10, $11, $12 FROM claimed
)
SELECT count(*) FROM claimed
"""

# An amendment in ONE statement: take the next version number (the row lock queues concurrent
# amendments of one report), store the version and the event. The event was built in Python;
# what only the database knows (version number, first submission, due instant) is merged in.
# Nothing is written unless the report exists, is the unit's and is for that period.
AMEND = f"""
WITH bumped AS (
  UPDATE {SCHEMA}.reports SET latest_version = latest_version + 1
  WHERE report_id = $1 AND unit_code = $2 AND plan_year = $3 AND period = $4 AND reporter = $5
  RETURNING report_id, latest_version, due_at, first_submitted_at, rule_code,
            $6::timestamptz < due_at AS on_time
), version AS (
  INSERT INTO {SCHEMA}.report_versions
    (report_id, version_no, submitted_at, on_time, event_id, tasks, analysis)
  SELECT report_id, latest_version, $6, on_time, $7, $9::jsonb -> 'tasks', $10 FROM bumped
), outbox AS (
  INSERT INTO {SCHEMA}.outbox ({OUTBOX_COLUMNS})
  SELECT $7, $8, ($9::jsonb || jsonb_build_object(
      'version_no', latest_version, 'first_submitted_at', first_submitted_at,
      'due_at', due_at, 'on_time', on_time, 'rule_code', rule_code))::text
  FROM bumped
)
SELECT latest_version, first_submitted_at, due_at, on_time, rule_code FROM bumped
"""

FIND_BY_ID = f"SELECT {_REPORT_COLUMNS} FROM {SCHEMA}.reports WHERE report_id = $1"

FIND_BY_PERIOD = f"""
SELECT {_REPORT_COLUMNS} FROM {SCHEMA}.reports
WHERE unit_code = $1 AND plan_year = $2 AND period = $3 AND reporter = $4
"""

ADD_EVIDENCE_AND_EVENT = f"""
WITH evidence AS (
  INSERT INTO {SCHEMA}.evidence
    (evidence_id, unit_code, task_code, plan_year, submitted_at, url, document_number,
     issued_on, title, note, event_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
)
INSERT INTO {SCHEMA}.outbox ({OUTBOX_COLUMNS}) VALUES ($11, $12, $13)
"""

STORE_RESPONSE = f"""
INSERT INTO {SCHEMA}.idempotency_keys (unit_code, idem_key, fingerprint, status_code, response)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING
RETURNING idem_key
"""


@dataclass(frozen=True)
class Amended:
    """What the database decided for an amendment."""

    version_no: int
    first_submitted_at: datetime
    due_at: datetime
    on_time: bool
    rule_code: str


class WriteStore:
    """An asyncpg pool opened with the app (a runtime resource, see `app.py`) and the write
    transactions on it; the relay is woken after each one through `outbox`."""

    def __init__(self, database_url: str, outbox: Outbox, max_size: int = 50) -> None:
        self._dsn = async_url(database_url).replace("postgresql+asyncpg://", "postgresql://", 1)
        self._outbox = outbox
        self._max_size = max_size
        self._pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        async with self._lock:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    self._dsn,
                    # No connection at startup: a service restarted while PostgreSQL is down
                    # starts anyway, answers 503 meanwhile and connects when it is back
                    # (found by the chaos run: intake restarted in an outage exited for good).
                    min_size=0,
                    max_size=self._max_size,
                    reset=_keep_session,
                    timeout=CONNECT_TIMEOUT_SECONDS,
                )

    async def close(self, timeout: float = 10.0) -> None:
        """Close gracefully; a connection still checked out after `timeout` is cut (shutdown
        must not hang on a request that never finishes)."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        try:
            async with asyncio.timeout(timeout):
                await pool.close()
        except TimeoutError:
            log.warning("write pool did not close in time; terminating", timeout=timeout)
            pool.terminate()

    @asynccontextmanager
    async def writer(self, *, transaction: bool) -> AsyncIterator[Writer]:
        """A connection for writing. Each statement of `Writer` is atomic by itself; ask for a
        `transaction` when several must commit together (e.g. with an Idempotency-Key)."""
        if self._pool is None:
            await self.open()
        assert self._pool is not None
        async with self._pool.acquire() as connection:
            if transaction:
                async with connection.transaction():
                    yield Writer(connection)
            else:
                yield Writer(connection)
        self._outbox.committed()


class Writer:
    """The write statements, on one connection."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    async def file_first(self, event: ReportSubmitted) -> bool:
        """Store a first report (version 1) and its event; False if the period was reported."""
        claimed = await self._connection.fetchval(
            FILE_FIRST,
            event.report_id,
            event.unit_code,
            event.plan_year,
            event.period,
            event.reporter,
            event.rule_code,
            event.due_at,
            event.submitted_at,
            event.on_time,
            *OutboxRow.of(event),
            event.analysis,
        )
        return bool(claimed)

    async def amend(self, event: ReportSubmitted) -> Amended | None:
        """Store the next version of `event.report_id`; None unless that report exists, is
        `event.unit_code`'s and is for the event's plan year, period and reporter."""
        row = await self._connection.fetchrow(
            AMEND,
            event.report_id,
            event.unit_code,
            event.plan_year,
            event.period,
            event.reporter,
            event.submitted_at,
            *OutboxRow.of(event),
            event.analysis,
        )
        return None if row is None else Amended(*row)

    async def find_by_id(self, report_id: UUID) -> ReportRow | None:
        return _report(await self._connection.fetchrow(FIND_BY_ID, report_id))

    async def find_by_period(
        self, unit_code: str, plan_year: int, period: str, reporter: str
    ) -> ReportRow | None:
        where = (unit_code, plan_year, period, reporter)
        return _report(await self._connection.fetchrow(FIND_BY_PERIOD, *where))

    async def add_evidence(self, values: tuple[Any, ...], event: Event) -> None:
        """`values` end with the event id, which `OutboxRow` repeats for the outbox row."""
        row = OutboxRow.of(event)
        await self._connection.execute(ADD_EVIDENCE_AND_EVENT, *values, row.subject, row.payload)

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
