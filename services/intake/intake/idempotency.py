"""Idempotency-Key: a retried POST gets the first answer back, never a second report.

The stored answer is read (`replay`) and written (`remember`) on the request's own writer, the
asyncpg connection that stores the report: a filing request uses no other pool. The answer is
stored in the transaction that stores the report, so either both are there or neither; a
rejection stores nothing, so a corrected retry may reuse the key. Another request that stored
an answer under the same key first wins: ours rolls back and its answer is replayed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Final
from uuid import UUID

from pydantic import BaseModel

from intake import messages as msg
from intake.errors import IntakeError
from intake.metrics import IDEMPOTENT_REPLAYS
from intake.store import StoredResponse, Writer, WriteStore
from minhbach.clock import Clock

_KEY: Final = re.compile(r"^[\x21-\x7e]{1,200}$")


@dataclass(frozen=True)
class Outcome:
    """An answer ready to send: status, JSON text, and whether it is a stored replay."""

    status_code: int
    body: str
    replayed: bool = False


class KeyTaken(Exception):
    """Another request stored an answer under the same Idempotency-Key while we worked."""


class Idempotency:
    def __init__(self, store: WriteStore, clock: Clock, ttl: timedelta) -> None:
        self.store = store
        self.clock = clock
        self.ttl = ttl

    @staticmethod
    def fingerprint(
        key: str | None, operation: str, unit_code: str, target: UUID | None, body: BaseModel
    ) -> str:
        """What a retried request must repeat to get the first answer back; "" without a key
        (nothing to compare, and hashing a large report is not free)."""
        if key is None:
            return ""
        canonical = f"{operation}\n{unit_code}\n{target}\n{body.model_dump_json()}"
        return hashlib.sha256(canonical.encode()).hexdigest()

    async def replay(
        self, writer: Writer, unit_code: str, key: str | None, fingerprint: str
    ) -> Outcome | None:
        """The stored answer to this key, if any (422 if the key is malformed or was used for
        another request)."""
        if key is None:
            return None
        if not _KEY.match(key):
            raise IntakeError.single(
                422, "Idempotency-Key", msg.IDEMPOTENCY_KEY_INVALID, "idempotency_key"
            )
        stored = await writer.stored_response(unit_code, key)
        if stored is None:
            return None
        if stored.fingerprint != fingerprint:
            raise IntakeError.single(
                422, "Idempotency-Key", msg.IDEMPOTENCY_KEY_REUSED, "idempotency_key"
            )
        return _replayed(stored)

    async def remember(
        self, writer: Writer, unit_code: str, key: str | None, fingerprint: str, outcome: Outcome
    ) -> None:
        """Store the answer with the writer's transaction; `KeyTaken` if another was first."""
        if key is None:
            return
        stored = StoredResponse(fingerprint, outcome.status_code, outcome.body)
        if not await writer.store_response(unit_code, key, stored):
            raise KeyTaken  # rolls back our report: the first request's one stands

    async def replay_after_race(self, writer: Writer, unit_code: str, key: str | None) -> Outcome:
        """The answer of the request that took the key first (after `KeyTaken`, once our
        transaction rolled back)."""
        assert key is not None
        stored = await writer.stored_response(unit_code, key)
        assert stored is not None
        return _replayed(stored)

    async def purge(self) -> int:
        """Forget answers older than the time to live."""
        return await self.store.purge_responses(self.clock.now() - self.ttl)


def _replayed(stored: StoredResponse) -> Outcome:
    IDEMPOTENT_REPLAYS.inc()
    return Outcome(stored.status_code, stored.response, replayed=True)
