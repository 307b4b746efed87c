"""The notifier service: reminders, overdue notices and escalations by e-mail."""

from fastapi import FastAPI

from minhbach.clock import Clock
from minhbach.plan import Plan
from minhbach.runtime import Runtime, create_service_app
from minhbach.services import service
from minhbach.settings import Settings
from notifier.db import messaging

SPEC = service("notifier")


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes and subscribers of the service."""


def create_app(
    settings: Settings | None = None, clock: Clock | None = None, plan: Plan | None = None
) -> FastAPI:
    """The ASGI app; tests pass their own settings, a settable clock and a plan."""
    return create_service_app(
        SPEC,
        messaging,
        setup,
        settings=settings,
        clock=clock,
        plan=plan,
        title="Minh Bạch: notifier",
    )
