"""Who may open the coordinator's page and the drafts: the plan's readers (the focal unit and
leadership), each with a token issued by `minhbach reporting issue-token` and stored hashed
(`minhbach.tokens`, the model intake uses). A browser sends it once through the login form and
then carries it in an HttpOnly, SameSite=Strict cookie; scripts send `Authorization: Bearer`.

Order of refusals: no token -> 401, unknown or revoked token -> 401, a unit that is not a reader
-> 403; nothing about the request is looked at before that. The notifier fetches drafts to attach
with the service token configured on both (`MINHBACH_REPORTING_SERVICE_TOKEN`): files only.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import Request

from minhbach import tokens
from minhbach.db.session import Sessions
from minhbach.plan import Plan
from minhbach.tokens import TokenVerifier
from reporting import messages as msg
from reporting.db import reader_tokens

COOKIE = "minhbach_doc"


async def issue_reader_token(
    sessions: Sessions, unit_code: str, *, keep_others: bool = False
) -> str:
    """A new page token for a reader's unit; its earlier ones are revoked unless `keep_others`."""
    return await tokens.issue_token(sessions, reader_tokens, unit_code, keep_others=keep_others)


async def revoke_reader_tokens(sessions: Sessions, unit_code: str) -> int:
    return await tokens.revoke_tokens(sessions, reader_tokens, unit_code)


class AccessDenied(Exception):
    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


@dataclass(frozen=True)
class Reader:
    unit_code: str | None  # None: the notifier's service token
    is_service: bool = False


@dataclass
class Access:
    plan: Plan
    verifier: TokenVerifier
    service_token: str

    def token_of(self, request: Request) -> str:
        header = request.headers.get("authorization", "")
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            return credentials.strip()
        return request.cookies.get(COOKIE, "")

    async def reader(self, request: Request, *, service_allowed: bool = False) -> Reader:
        return await self.check(self.token_of(request), service_allowed=service_allowed)

    async def check(self, token: str, *, service_allowed: bool = False) -> Reader:
        if not token:
            raise AccessDenied(401, msg.TOKEN_MISSING)
        if self.service_token and hmac.compare_digest(token, self.service_token):
            if service_allowed:
                return Reader(None, is_service=True)
            raise AccessDenied(403, self._not_a_reader())
        unit_code = await self.verifier.unit_for(token)
        if unit_code is None:
            raise AccessDenied(401, msg.TOKEN_INVALID)
        readers = self.plan.drafting.readers if self.plan.drafting else ()
        if unit_code not in readers:
            raise AccessDenied(403, self._not_a_reader())
        return Reader(unit_code)

    def _not_a_reader(self) -> str:
        return msg.NOT_A_READER.format(leadership=self.plan.words.leadership)
