"""Operations metrics every service exposes without writing code: HTTP latency and consumer lag.

`create_service_app` installs the middleware and the lag loop; dashboards and alerts in deploy/
read `minhbach_http_request_duration_seconds` and `minhbach_consumer_pending_messages`.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from nats.js import JetStreamContext
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from minhbach.events.catalogue import STREAMS
from minhbach.observability.logging import get_logger
from minhbach.observability.metrics import (
    CONSUMER_ACK_PENDING,
    CONSUMER_PENDING,
    HTTP_REQUEST_SECONDS,
)

if TYPE_CHECKING:
    from minhbach.runtime import Runtime

log = get_logger(__name__)

# Prometheus itself polls these; counting them would drown the requests people make.
UNTIMED_PATHS = frozenset({"/metrics"})


class HttpMetricsMiddleware:
    """Times each HTTP request; labels by the route template, never the raw path (cardinality)."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in UNTIMED_PATHS:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception escaping the app is a server error

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            HTTP_REQUEST_SECONDS.labels(
                self.service, scope.get("method", "?"), _route_template(scope), str(status)
            ).observe(time.perf_counter() - started)


def _route_template(scope: Scope) -> str:
    route: Any = scope.get("route")
    return str(getattr(route, "path", None) or "unmatched")


async def refresh_consumer_lag(js: JetStreamContext, service: str) -> None:
    """Read the service's durable consumers (`<service>--...`) from JetStream into gauges."""
    prefix = f"{service}--"
    for stream in STREAMS:
        for info in await js.consumers_info(stream.name):
            name = info.name or ""
            if name.startswith(prefix):
                CONSUMER_PENDING.labels(service, name).set(info.num_pending or 0)
                CONSUMER_ACK_PENDING.labels(service, name).set(info.num_ack_pending or 0)


async def consumer_lag_loop(runtime: Runtime) -> None:
    """Background loop: refresh the lag gauges every `consumer_lag_poll_seconds`."""
    js = runtime.broker.config.broker_config.connection_state.stream
    while True:
        try:
            await refresh_consumer_lag(js, runtime.spec.name)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # NATS briefly away: the gauges keep their last value
            log.warning("consumer lag not refreshed", error=repr(exc))
        await asyncio.sleep(runtime.settings.consumer_lag_poll_seconds)
