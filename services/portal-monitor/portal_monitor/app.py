"""The portal-monitor service: inspects district and commune portals."""

from fastapi import FastAPI

from portal_monitor.db import messaging
from minhbach.runtime import Runtime, create_service_app
from minhbach.services import service

SPEC = service("portal-monitor")


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes and subscribers of the service."""


def create_app() -> FastAPI:
    return create_service_app(SPEC, messaging, setup, title="Minh Bạch: portal-monitor")
