"""Schemathesis fuzzes intake's OpenAPI document against the running server: never a 5xx.

Cases come from the published /openapi.json, valid ones (positive) and broken ones (negative),
sent over real HTTP with a real unit's token, so requests reach validation, auth and the database.
The fuzzing runs in a worker thread: the server lives on the test's event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

from tests.intake.conftest import RunningIntake

EXAMPLES_PER_MODE = 20  # about 9 operations x 2 modes x 20: a few hundred requests

pytestmark = pytest.mark.slow


def fuzz(openapi: dict[str, object], base_url: str, token: str) -> int:
    import schemathesis
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_dict(openapi)
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES_PER_MODE,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def no_server_error(case: schemathesis.Case) -> None:
                nonlocal sent
                response = case.call(
                    base_url=base_url, headers={"Authorization": f"Bearer {token}"}
                )
                sent += 1
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:500]}\nbody: {case.body!r}"
                )

            try:
                no_server_error()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to break, e.g. GET /me
    return sent


async def test_fuzzing_the_openapi_document_never_yields_a_server_error(
    intake_server: RunningIntake, issue: Callable[[str], Awaitable[str]]
) -> None:
    token = await issue(intake_server.plan.roles.focal_unit)
    async with httpx.AsyncClient(base_url=intake_server.url) as client:
        openapi = (await client.get("/openapi.json")).json()
    assert "/api/v1/reports" in openapi["paths"]
    sent = await asyncio.to_thread(fuzz, openapi, intake_server.url, token)
    assert sent >= 200
