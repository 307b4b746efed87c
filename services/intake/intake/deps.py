"""What intake's routes are given (FastAPI dependencies): the use cases, the reads and the token
verifier, set once on `app.state` by `intake.app.setup`, and the unit a request speaks for.

The JSON API names its caller by a bearer token (401 without a valid one); the HTML form by the
token in a hidden field (`None` without a valid one: the form answers with its start page).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from intake import messages as msg
from intake.auth import Caller, TokenVerifier
from intake.errors import IntakeError
from intake.form_fields import form_fields
from intake.reads import Reads
from intake.service import Intake

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="unitToken",
    description="Mã truy cập của đơn vị (`minhbach units issue-token UNIT`).",
)


# Async on purpose: FastAPI runs a plain `def` dependency in its thread pool, a thread hand-off
# per request that cost more CPU than the lookup itself (`make bench`, intake rows).


async def get_intake(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


async def get_reads(request: Request) -> Reads:
    reads: Reads = request.app.state.reads
    return reads


async def get_verifier(request: Request) -> TokenVerifier:
    verifier: TokenVerifier = request.app.state.verifier
    return verifier


IntakeDep = Annotated[Intake, Depends(get_intake)]
ReadsDep = Annotated[Reads, Depends(get_reads)]
VerifierDep = Annotated[TokenVerifier, Depends(get_verifier)]
FormFields = Annotated[dict[str, str], Depends(form_fields)]


async def caller_for(intake: Intake, verifier: TokenVerifier, token: str) -> Caller | None:
    """The unit the token speaks for, or None (no token, or an unknown or revoked one)."""
    unit_code = await verifier.unit_for(token) if token else None
    if unit_code is None:
        return None
    return Caller(unit_code, intake.rules.is_focal_unit(unit_code))


async def current_caller(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    intake: IntakeDep,
    verifier: VerifierDep,
) -> Caller:
    """The API's caller, from `Authorization: Bearer ...`; 401 without a valid token."""
    if credentials is None or not credentials.credentials:
        raise _unauthorized(msg.TOKEN_MISSING)
    caller = await caller_for(intake, verifier, credentials.credentials)
    if caller is None:
        raise _unauthorized(msg.TOKEN_INVALID)
    return caller


async def form_caller(form: FormFields, intake: IntakeDep, verifier: VerifierDep) -> Caller | None:
    """The form's caller, from its `token` field; None without a valid one."""
    return await caller_for(intake, verifier, form.get("token", ""))


CurrentCaller = Annotated[Caller, Depends(current_caller)]
FormCaller = Annotated[Caller | None, Depends(form_caller)]


def _unauthorized(message: str) -> IntakeError:
    error = IntakeError.single(401, "Authorization", message, "unauthorized")
    error.headers = {"WWW-Authenticate": 'Bearer realm="minhbach-intake"'}
    return error
