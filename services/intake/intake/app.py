"""The intake service: units file reports and evidence (JSON API and Vietnamese form)."""

from datetime import timedelta

from fastapi import FastAPI

from intake import api, form
from intake.api import add_body_schemas, install_error_handlers
from intake.auth import TokenVerifier
from intake.db import messaging
from intake.domain import IntakeRules
from intake.middleware import IntakeMiddleware
from intake.reads import Reads
from intake.service import Intake
from minhbach.app import service_app
from minhbach.db.pg import PgPool, PgUnitOfWork
from minhbach.runtime import Runtime
from minhbach.services import service

SPEC = service("intake")


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes (JSON API, HTML form), error shapes, the body limit and the idempotency purge
    (`intake_idempotency_ttl_hours`, run with the runtime's retention)."""
    settings, rules = runtime.settings, IntakeRules.of(runtime.plan)
    pool = PgPool(settings.database_url)  # intake's one database stack (decision 0023)
    unit = PgUnitOfWork(pool, messaging, runtime.outbox)
    ttl = timedelta(hours=settings.intake_idempotency_ttl_hours)
    intake = Intake(runtime.clock, rules, unit, ttl)
    reads = Reads(unit, runtime.clock, rules)
    verifier = TokenVerifier(runtime.sessions, settings.intake_token_cache_seconds)
    app.state.intake = intake  # what the routes are given (intake.deps)
    app.state.reads = reads
    app.state.verifier = verifier
    app.include_router(api.router)
    app.include_router(form.router)
    install_error_handlers(app)
    add_body_schemas(app)
    app.add_middleware(IntakeMiddleware, max_body_bytes=runtime.settings.intake_max_body_bytes)

    runtime.purges["idempotency_keys"] = intake.purge_answers  # run by the runtime
    runtime.resources.append(pool)  # opened before the app serves


create_app = service_app(SPEC, messaging, setup)
