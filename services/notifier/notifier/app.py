"""The notifier service: reminders, overdue notices and escalations by e-mail."""

from fastapi import FastAPI

from notifier.db import messaging
from minhbach.runtime import Runtime, create_service_app
from minhbach.services import service

SPEC = service("notifier")


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Routes and subscribers of the service."""


def create_app() -> FastAPI:
    return create_service_app(SPEC, messaging, setup, title="Minh Bạch: notifier")
