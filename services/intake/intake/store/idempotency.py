"""The answers stored under an Idempotency-Key (per unit), read, written and purged."""

from __future__ import annotations

from datetime import datetime

from intake.db import SCHEMA
from intake.domain.idempotency import StoredResponse
from minhbach.db.pg import Connection

STORED_RESPONSE = f"""
SELECT fingerprint, status_code, response FROM {SCHEMA}.idempotency_keys
WHERE unit_code = $1 AND idem_key = $2
"""

STORE_RESPONSE = f"""
INSERT INTO {SCHEMA}.idempotency_keys (unit_code, idem_key, fingerprint, status_code, response)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING
RETURNING idem_key
"""

PURGE_RESPONSES = f"DELETE FROM {SCHEMA}.idempotency_keys WHERE created_at < $1"


async def stored_response(
    connection: Connection, unit_code: str, key: str
) -> StoredResponse | None:
    """The answer stored under the unit's Idempotency-Key, if any."""
    row = await connection.fetchrow(STORED_RESPONSE, unit_code, key)
    return None if row is None else StoredResponse(*row)


async def store_response(
    connection: Connection, unit_code: str, key: str, stored: StoredResponse
) -> bool:
    """False when another request stored an answer for this key first."""
    inserted = await connection.fetchval(
        STORE_RESPONSE, unit_code, key, stored.fingerprint, stored.status_code, stored.response
    )
    return inserted is not None


async def purge_responses(connection: Connection, older_than: datetime) -> int:
    status = await connection.execute(PURGE_RESPONSES, older_than)
    return int(status.rsplit(" ", 1)[-1])  # "DELETE n"
