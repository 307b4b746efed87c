"""The FastAPI app of one service: health, metrics and the messaging runtime around its setup.

Each service's `app.py` says only what is its own:

    create_app = service_app(SPEC, messaging, setup)

`setup(runtime, app)` registers the service's subscribers, routes, background loops
(`runtime.background`) and resources opened with the app (`runtime.resources`). `create_app` is
uvicorn's factory; tests call it with their own settings, a settable clock and a plan.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Protocol

from fastapi import FastAPI

from minhbach.api_errors import install_api_errors
from minhbach.clock import Clock
from minhbach.db.messaging_tables import MessagingTables
from minhbach.observability.health import health_router
from minhbach.observability.operations import install_operations
from minhbach.plan import Plan
from minhbach.runtime import Runtime, build_runtime, running
from minhbach.services import ServiceSpec
from minhbach.settings import Settings

Setup = Callable[[Runtime, FastAPI], None]


class AppFactory(Protocol):
    def __call__(
        self, settings: Settings | None = None, clock: Clock | None = None, plan: Plan | None = None
    ) -> FastAPI: ...


def create_service_app(
    spec: ServiceSpec,
    tables: MessagingTables,
    setup: Setup,
    *,
    settings: Settings | None = None,
    clock: Clock | None = None,
    plan: Plan | None = None,
) -> FastAPI:
    """The app of one service; its lifespan is `running(runtime)`."""
    runtime = build_runtime(spec, tables, settings, clock, plan)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running(runtime):
            yield

    app = FastAPI(title=f"Minh Bạch: {spec.name}", lifespan=lifespan)
    app.state.runtime = runtime
    install_operations(app, spec.name)
    install_api_errors(app)
    app.include_router(health_router(runtime.readiness_checks))
    setup(runtime, app)
    return app


def service_app(spec: ServiceSpec, tables: MessagingTables, setup: Setup) -> AppFactory:
    """The `create_app` of a service (`ServiceSpec.app_factory` names it)."""

    def create_app(
        settings: Settings | None = None, clock: Clock | None = None, plan: Plan | None = None
    ) -> FastAPI:
        return create_service_app(spec, tables, setup, settings=settings, clock=clock, plan=plan)

    return create_app
