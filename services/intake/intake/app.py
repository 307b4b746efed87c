"""The intake service: units file reports and evidence (JSON API and Vietnamese form)."""

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
from minhbach.runtime import Runtime
from minhbach.services import service

SPEC = service("intake")


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes (JSON API, HTML form), error shapes, the body limit and the idempotency purge
    (`intake_idempotency_ttl_hours`, run with the runtime's retention)."""
    store = WriteStore(runtime.settings.database_url, runtime.outbox)
    intake = Intake(runtime, IntakeRules.of(runtime.plan), store)
    verifier = TokenVerifier(runtime.sessions, runtime.settings.intake_token_cache_seconds)
    app.state.intake = intake
    app.include_router(api_router(intake, verifier))
    app.include_router(form_router(intake, verifier))
    install_error_handlers(app)
    add_body_schemas(app)
    app.add_middleware(IntakeMiddleware, max_body_bytes=runtime.settings.intake_max_body_bytes)

    runtime.purges["idempotency_keys"] = intake.purge_old_responses  # run by the runtime
    runtime.resources.append(store)  # the write pool: opened before the app serves


create_app = service_app(SPEC, messaging, setup)
