"""The scoring service: readiness per indicator, records per unit, the obligations ledger."""

from fastapi import FastAPI

from scoring.db import messaging
from minhbach.runtime import Runtime, create_service_app
from minhbach.services import service

SPEC = service("scoring")


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes and subscribers of the service."""


def create_app() -> FastAPI:
    return create_service_app(SPEC, messaging, setup, title="Minh Bạch: scoring")
