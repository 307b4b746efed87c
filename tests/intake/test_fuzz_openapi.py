"""Schemathesis fuzzes intake's OpenAPI document against the running server: never a 5xx.

Cases come from the published /openapi.json, valid ones (positive) and broken ones (negative),
sent over real HTTP, authenticated twice: as a unit that leads tasks and as the focal unit (who
may read every unit), so requests get past the token and reach validation, the calendar and the
database. More than 1,000 cases per run. The fuzzing runs in a worker thread: the server lives on
the test's event loop. The slowest requests are printed (`pytest -s`), not asserted: speed is
measured by `make bench`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

from tests.intake.builders import COMMUNES
from tests.intake.conftest import RunningIntake

EXAMPLES_PER_MODE = 40  # 9 operations x 2 modes x 40, per token: about 600 requests

pytestmark = pytest.mark.slow


@dataclass
class FuzzRun:
    sent: int = 0
    timings: list[tuple[float, str]] = field(default_factory=list)

    def slowest(self, n: int = 5) -> list[tuple[float, str]]:
        return sorted(self.timings, reverse=True)[:n]


def fuzz(openapi: dict[str, object], base_url: str, token: str) -> FuzzRun:
    import schemathesis
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_dict(openapi)
    run = FuzzRun()
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
                started = time.perf_counter()
                response = case.call(
                    base_url=base_url, headers={"Authorization": f"Bearer {token}"}
                )
                elapsed = time.perf_counter() - started
                run.sent += 1
                run.timings.append((elapsed, f"{case.method} {case.formatted_path}"))
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:500]}\nbody: {case.body!r}"
                )

            try:
                no_server_error()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to break, e.g. GET /me
    return run


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
        run = await asyncio.to_thread(fuzz, openapi, intake_server.url, token)
        print(f"as {caller}: {run.sent} cases; slowest: {run.slowest()}")
        assert run.sent >= 500, caller
        total += run.sent
    assert total >= 1000
