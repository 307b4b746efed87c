"""Filing requests on asyncpg directly: the report or evidence with its event, and the
Idempotency-Key's stored answer (read and written), all on ONE pooled connection per request.
GET pages read through SQLAlchemy (`repository.py`, `reads.py`).

Filing is intake's hot path: a report version and its outbox event are written by ONE statement
(data-modifying CTEs; atomic without BEGIN/COMMIT round trips); with an Idempotency-Key the
stored answer joins them in a transaction. Each statement also returns what the service needs
to decide: FILE_FIRST the report already filed for the period, AMEND why nothing was amended,
so no query follows only to learn why. Through a SQLAlchemy session the same work cost
several times more CPU (pool pre-ping, unit-of-work bookkeeping, more round trips), which the
load benchmark showed; see docs/decisions/0009. The outbox row is still defined once
(`OutboxRow`), and `Outbox.committed()` wakes the relay after a write.

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
# own). When the unit already reported that period (the unique key) nothing new is written and
# the existing report comes back instead: the no-op DO UPDATE locks and returns it even when
# another transaction committed it after this statement began (DO NOTHING would return nothing
# and a SELECT in the same snapshot might not see it). Ours is new iff its id is ours ($1).
FILE_FIRST = f"""
WITH claimed AS (
  INSERT INTO {SCHEMA}.reports AS r ({_REPORT_COLUMNS})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)
  ON CONFLICT ON CONSTRAINT uq_reports_period DO UPDATE SET latest_version = r.latest_version
  RETURNING report_id, latest_version
), fresh AS (
  SELECT report_id FROM claimed WHERE report_id = $1
), version AS (
  INSERT INTO {SCHEMA}.report_versions
    (report_id, version_no, submitted_at, on_time, event_id, tasks, analysis)
  SELECT report_id, 1, $8, $9, $10, $12::jsonb -> 'tasks', $13 FROM fresh
), outbox AS (
  INSERT INTO {SCHEMA}.outbox ({OUTBOX_COLUMNS}) SELECT $10, $11, $12 FROM fresh
)
SELECT report_id, latest_version FROM claimed
"""

# An amendment in ONE statement: take the next version number (the row lock queues concurrent
# amendments of one report), store the version and the event. The event was built in Python;
# what only the database knows (version number, first submission, due instant) is merged in.
# Nothing is written unless the report exists, is the unit's and is for that period; then the
# second branch says why in the same round trip: the named report's unit, year and period, or
# no row at all when there is no such report (reports are never deleted, and its id was known
# before this statement began, so this statement's snapshot sees it).
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
SELECT true AS amended, latest_version, first_submitted_at, due_at, on_time, rule_code,
       NULL::text AS unit_code, NULL::integer AS plan_year, NULL::text AS period
FROM bumped
UNION ALL
SELECT false, NULL, NULL, NULL, NULL, NULL, unit_code, plan_year, period
FROM {SCHEMA}.reports WHERE report_id = $1 AND NOT EXISTS (SELECT FROM bumped)
"""

STORED_RESPONSE = f"""
SELECT fingerprint, status_code, response FROM {SCHEMA}.idempotency_keys
WHERE unit_code = $1 AND idem_key = $2
"""

PURGE_RESPONSES = f"DELETE FROM {SCHEMA}.idempotency_keys WHERE created_at < $1"

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
class StoredResponse:
    """The answer stored under an Idempotency-Key."""

    fingerprint: str
    status_code: int
    response: str


@dataclass(frozen=True)
class Amended:
    """What the database decided for an amendment."""

    version_no: int
    first_submitted_at: datetime
    due_at: datetime
    on_time: bool
    rule_code: str


@dataclass(frozen=True)
class AlreadyFiled:
    """The period's report, which FILE_FIRST found instead of storing a new one."""

    report_id: UUID
    latest_version: int


@dataclass(frozen=True)
class NotAmended:
    """Why AMEND stored nothing: the report it named (its unit, plan year and period), or
    `found=False` when there is no such report."""

    found: bool
    unit_code: str = ""
    plan_year: int = 0
    period: str = ""


class WriteStore:
    """An asyncpg pool opened with the app (a runtime resource, see `app.py`): every database
    statement of a filing request (the Idempotency-Key's stored answer, the report or evidence,
    the answer to store) runs on ONE connection of it. The relay is woken after a write through
    `outbox`."""

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
    async def writer(self) -> AsyncIterator[Writer]:
        """One connection for a whole request. Each statement of `Writer` is atomic by itself;
        `Writer.transaction` groups several that must commit together (e.g. with an
        Idempotency-Key). The relay is woken when the request wrote an event."""
        if self._pool is None:
            await self.open()
        assert self._pool is not None
        async with self._pool.acquire() as connection:
            writer = Writer(connection)
            try:
                yield writer
            finally:
                if writer.wrote:  # a rolled-back write wakes the relay for nothing: harmless
                    self._outbox.committed()

    async def purge_responses(self, older_than: datetime) -> int:
        """Forget the Idempotency-Key answers stored before `older_than`."""
        async with self.writer() as writer:
            return await writer.purge_responses(older_than)


class Writer:
    """The statements of a filing request, on one connection."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection
        self.wrote = False  # an event went to the outbox (committed unless rolled back)

    @asynccontextmanager
    async def transaction(self, enabled: bool = True) -> AsyncIterator[None]:
        """A transaction around the block if `enabled` (else each statement commits alone)."""
        if not enabled:
            yield
            return
        async with self._connection.transaction():
            yield

    async def file_first(self, event: ReportSubmitted) -> AlreadyFiled | None:
        """Store a first report (version 1) and its event; None when stored, else the report
        the unit already filed for that period (nothing written)."""
        report_id, latest_version = await self._connection.fetchrow(
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
        if report_id == event.report_id:
            self.wrote = True
            return None
        return AlreadyFiled(report_id, latest_version)

    async def amend(self, event: ReportSubmitted) -> Amended | NotAmended:
        """Store the next version of `event.report_id` if that report exists, is
        `event.unit_code`'s and is for the event's plan year, period and reporter; else say
        why not (same statement)."""
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
        if row is None:
            return NotAmended(found=False)
        if not row["amended"]:
            return NotAmended(True, row["unit_code"], row["plan_year"], row["period"])
        self.wrote = True
        return Amended(*tuple(row)[1:6])

    async def add_evidence(self, values: tuple[Any, ...], event: Event) -> None:
        """`values` end with the event id, which `OutboxRow` repeats for the outbox row."""
        row = OutboxRow.of(event)
        await self._connection.execute(ADD_EVIDENCE_AND_EVENT, *values, row.subject, row.payload)
        self.wrote = True

    async def stored_response(self, unit_code: str, key: str) -> StoredResponse | None:
        """The answer stored under the unit's Idempotency-Key, if any."""
        row = await self._connection.fetchrow(STORED_RESPONSE, unit_code, key)
        return None if row is None else StoredResponse(*row)

    async def store_response(self, unit_code: str, key: str, stored: StoredResponse) -> bool:
        """False when another request stored an answer for this key first."""
        inserted = await self._connection.fetchval(
            STORE_RESPONSE, unit_code, key, stored.fingerprint, stored.status_code, stored.response
        )
        return inserted is not None

    async def purge_responses(self, older_than: datetime) -> int:
        status = await self._connection.execute(PURGE_RESPONSES, older_than)
        return int(status.rsplit(" ", 1)[-1])  # "DELETE n"


async def _keep_session(connection: Any) -> None:
    """Skip asyncpg's reset query on release (a round trip per request): these transactions
    change no session state (no SET, LISTEN, advisory lock or cursor outlives them)."""
