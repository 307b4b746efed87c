"""The intake service: units file reports and evidence (JSON API and Vietnamese form)."""

from fastapi import FastAPI

from intake.db import messaging
from minhbach.runtime import Runtime, create_service_app
from minhbach.services import service

SPEC = service("intake")


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes and subscribers of the service."""


def create_app() -> FastAPI:
    return create_service_app(SPEC, messaging, setup, title="Minh Bạch: intake")
