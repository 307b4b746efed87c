"""Unit tokens for intake: the shared token helper (`minhbach.tokens`) bound to intake's table.

Issued by an operator (`minhbach units issue-token`), shown once, stored as SHA-256 hashes; a
verified token is cached for `intake_token_cache_seconds`. The tokens are the core's helper on the
runtime's sessions (shared with reporting's reader tokens); a filing request reaches it only on a
cache miss (decision 0023).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from intake.db import unit_tokens
from minhbach import tokens
from minhbach.db.unit_of_work import Sessions
from minhbach.tokens import TokenInfo, new_token, token_hash

__all__ = [
    "Caller",
    "TokenInfo",
    "TokenVerifier",
    "issue_token",
    "list_tokens",
    "new_token",
    "revoke_tokens",
    "token_hash",
]


@dataclass(frozen=True)
class Caller:
    """The unit a request speaks for."""

    unit_code: str
    is_focal_unit: bool

    def may_read(self, unit_code: str) -> bool:
        return self.is_focal_unit or unit_code == self.unit_code


async def issue_token(sessions: Sessions, unit_code: str, *, keep_others: bool = False) -> str:
    """A new token for the unit; earlier ones are revoked unless `keep_others`."""
    return await tokens.issue_token(sessions, unit_tokens, unit_code, keep_others=keep_others)


async def revoke_tokens(sessions: Sessions, unit_code: str) -> int:
    return await tokens.revoke_tokens(sessions, unit_tokens, unit_code)


async def list_tokens(sessions: Sessions) -> list[TokenInfo]:
    return await tokens.list_tokens(sessions, unit_tokens)


class TokenVerifier(tokens.TokenVerifier):
    """Token -> unit code over intake's `unit_tokens`."""

    def __init__(
        self,
        sessions: Sessions,
        cache_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
        max_entries: int = 10_000,
    ) -> None:
        super().__init__(sessions, unit_tokens, cache_seconds, monotonic, max_entries)
