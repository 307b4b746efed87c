"""What an Idempotency-Key allows, decided on what is stored under it: a retried POST with the
same key and the same body gets the first answer back, never a second report; the same key
with another body is refused (422); a malformed key too. Refusals store nothing, so a corrected
retry may reuse its key."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Final
from uuid import UUID

from pydantic import BaseModel

from intake import messages as msg
from intake.errors import IntakeError

_KEY: Final = re.compile(r"^[\x21-\x7e]{1,200}$")


@dataclass(frozen=True)
class Outcome:
    """An answer ready to send: status, JSON text, and whether it is a stored replay."""

    status_code: int
    body: str
    replayed: bool = False


@dataclass(frozen=True)
class StoredResponse:
    """The answer stored under an Idempotency-Key."""

    fingerprint: str
    status_code: int
    response: str


class KeyTaken(Exception):
    """Another request stored an answer under the same Idempotency-Key while we worked."""


def fingerprint(
    key: str | None, operation: str, unit_code: str, target: UUID | None, body: BaseModel
) -> str:
    """What a retried request must repeat to get the first answer back; "" without a key
    (nothing to compare, and hashing a large report is not free)."""
    if key is None:
        return ""
    canonical = f"{operation}\n{unit_code}\n{target}\n{body.model_dump_json()}"
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> None:
    if not _KEY.match(key):
        raise IntakeError.single(
            422, "Idempotency-Key", msg.IDEMPOTENCY_KEY_INVALID, "idempotency_key"
        )


def replay(stored: StoredResponse | None, fingerprint: str) -> Outcome | None:
    """The stored answer if there is one for this very request; 422 if the key was used for
    another request."""
    if stored is None:
        return None
    if stored.fingerprint != fingerprint:
        raise IntakeError.single(
            422, "Idempotency-Key", msg.IDEMPOTENCY_KEY_REUSED, "idempotency_key"
        )
    return replayed(stored)


def replayed(stored: StoredResponse) -> Outcome:
    return Outcome(stored.status_code, stored.response, replayed=True)
