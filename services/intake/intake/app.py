"""The intake service: units file reports and evidence (JSON API and Vietnamese form)."""

import asyncio

from fastapi import FastAPI

from intake.api import add_body_schemas, api_router, install_error_handlers
from intake.auth import TokenVerifier
from intake.db import messaging
from intake.domain import IntakeRules
from intake.form import form_router
from intake.middleware import IntakeMiddleware
from intake.service import Intake
from intake.store import WriteStore
from minhbach.app import service_app
from minhbach.observability.logging import get_logger
from minhbach.runtime import Runtime
from minhbach.services import service

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
    runtime.resources.append(store)  # the write pool: opened before the app serves


create_app = service_app(SPEC, messaging, setup)
