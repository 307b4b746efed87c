"""Schemathesis over a running service's OpenAPI document: valid and broken cases, never a 5xx.

Runs in a worker thread (`asyncio.to_thread`): the server lives on the test's event loop.
Response times are kept so a test can print the slowest; they are not asserted (speed is
measured by `make bench`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable


@dataclass
class FuzzRun:
    sent: int = 0
    timings: list[tuple[float, str]] = field(default_factory=list)

    def slowest(self, n: int = 5) -> list[tuple[float, str]]:
        return sorted(self.timings, reverse=True)[:n]


def fuzz(
    openapi: dict[str, object],
    base_url: str,
    examples_per_mode: int,
    headers: Mapping[str, str] | None = None,
) -> FuzzRun:
    import schemathesis
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_dict(openapi)
    run = FuzzRun()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=examples_per_mode,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def no_server_error(case: schemathesis.Case) -> None:
                started = time.perf_counter()
                response = case.call(base_url=base_url, headers=dict(headers or {}), timeout=60)
                run.sent += 1
                run.timings.append(
                    (time.perf_counter() - started, f"{case.method} {case.formatted_path}")
                )
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:500]}\nbody: {case.body!r}"
                )

            try:
                no_server_error()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to break, e.g. GET /me
    return run
