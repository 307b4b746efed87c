"""Schemathesis fuzzes intake's OpenAPI document against the running server: never a 5xx.

Cases come from the published /openapi.json, valid ones (positive) and broken ones (negative),
sent over real HTTP, authenticated twice: as a unit that leads tasks and as the focal unit (who
may read every unit), so requests get past the token and reach validation, the calendar and the
database. More than 1,000 cases per run. The fuzzing runs in a worker thread: the server lives on
the test's event loop. The slowest requests are printed (`pytest -s`), not asserted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest

from tests.intake.builders import COMMUNES
from tests.intake.conftest import RunningIntake
from tests.support.fuzzing import fuzz

EXAMPLES_PER_MODE = 40  # 9 operations x 2 modes x 40, per token: about 700 requests

pytestmark = pytest.mark.slow


async def test_fuzzing_as_a_unit_and_as_the_focal_unit_never_yields_a_server_error(
    intake_server: RunningIntake, issue: Callable[[str], Awaitable[str]]
) -> None:
    async with httpx.AsyncClient(base_url=intake_server.url) as client:
        openapi = (await client.get("/openapi.json")).json()
    assert "/api/v1/reports" in openapi["paths"]
    callers = {
        "unit": await issue(COMMUNES.take()),
        "focal unit": await issue(intake_server.plan.roles.focal_unit),
    }
    total = 0
    for caller, token in callers.items():
        headers = {"Authorization": f"Bearer {token}"}
        run = await asyncio.to_thread(fuzz, openapi, intake_server.url, EXAMPLES_PER_MODE, headers)
        print(f"as {caller}: {run.sent} cases; slowest: {run.slowest()}")
        assert run.sent >= 500, caller
        total += run.sent
    assert total >= 1000
