"""`/healthz` (the process is alive), `/readyz` (database and NATS reachable) and `/metrics`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from minhbach.observability.metrics import render_latest

ReadinessCheck = Callable[[], Awaitable[bool]]


def health_router(checks: dict[str, ReadinessCheck]) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        results = {name: await _safe(check) for name, check in checks.items()}
        ready = all(results.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": results},
            status_code=200 if ready else 503,
        )

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(render_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


async def _safe(check: ReadinessCheck) -> bool:
    try:
        return await check()
    except Exception:
        return False
