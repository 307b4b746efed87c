"""The intake service: units file reports and evidence (JSON API and Vietnamese form)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI

from intake.api import add_body_schemas, api_router, install_error_handlers
from intake.auth import TokenVerifier
from intake.db import messaging
from intake.domain import IntakeRules
from intake.form import form_router
from intake.middleware import IntakeMiddleware
from intake.service import Intake
from intake.store import WriteStore
from minhbach.clock import Clock
from minhbach.observability.logging import get_logger
from minhbach.plan import Plan
from minhbach.runtime import Runtime, create_service_app
from minhbach.services import service
from minhbach.settings import Settings

SPEC = service("intake")
PURGE_EVERY_SECONDS = 3600.0

log = get_logger(__name__)


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes (JSON API, HTML form), error shapes, the body limit and the idempotency purge."""
    store = WriteStore(runtime.settings.database_url)
    intake = Intake(runtime, IntakeRules.of(runtime.plan), store)
    verifier = TokenVerifier(runtime.sessions, runtime.settings.intake_token_cache_seconds)
    app.state.intake = intake
    app.include_router(api_router(intake, verifier))
    app.include_router(form_router(intake, verifier))
    install_error_handlers(app)
    add_body_schemas(app)
    app.add_middleware(IntakeMiddleware, max_body_bytes=runtime.settings.intake_max_body_bytes)

    async def purge_idempotency_keys(runtime: Runtime) -> None:
        while True:
            purged = await intake.purge_old_responses()
            if purged:
                log.info("purged idempotency keys", count=purged)
            await asyncio.sleep(PURGE_EVERY_SECONDS)

    runtime.background.append(purge_idempotency_keys)
    _open_with_the_app(app, store)


def _open_with_the_app(app: FastAPI, store: WriteStore) -> None:
    """The write pool lives as long as the app: opened before it serves, closed after."""
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        await store.open()
        try:
            async with inner(app) as state:
                yield state
        finally:
            await store.close()

    app.router.lifespan_context = lifespan


def create_app(
    settings: Settings | None = None, clock: Clock | None = None, plan: Plan | None = None
) -> FastAPI:
    """The ASGI app; tests pass their own settings, a settable clock and a plan."""
    return create_service_app(
        SPEC, messaging, setup, settings=settings, clock=clock, plan=plan, title="Minh Bạch: intake"
    )
