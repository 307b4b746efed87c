"""The intake service: units file reports and evidence (JSON API and Vietnamese form)."""

from fastapi import FastAPI

from intake.db import messaging
from minhbach.clock import Clock
from minhbach.plan import Plan
from minhbach.runtime import Runtime, create_service_app
from minhbach.services import service
from minhbach.settings import Settings

SPEC = service("intake")


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes and subscribers of the service."""


def create_app(
    settings: Settings | None = None, clock: Clock | None = None, plan: Plan | None = None
) -> FastAPI:
    """The ASGI app; tests pass their own settings, a settable clock and a plan."""
    return create_service_app(
        SPEC, messaging, setup, settings=settings, clock=clock, plan=plan, title="Minh Bạch: intake"
    )
