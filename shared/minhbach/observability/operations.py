"""Operations metrics every service exposes without writing code (the runtime installs the
middleware and runs `refresh_operations` in its operations loop):

- `minhbach_http_request_duration_seconds`: HTTP latency by route template;
- `minhbach_consumer_pending_messages` / `..._ack_pending_messages`: lag of the service's durable
  consumers, read from JetStream;
- `minhbach_dead_letters`: re-read from the database, so it survives a restart and falls back
  to zero once an operator replays (`minhbach deadletters replay`);
- `minhbach_dependency_up`: database and NATS reachable, as `/readyz` sees them;
- `minhbach_plan_seconds_until_report_due`: time left until each reporting rule's next due
  instant, on the service's clock (the readiness-near-a-report alert reads it).

Dashboards and alerts in deploy/ read them; docs/operating.md explains each alert.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from nats.js import JetStreamContext
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from minhbach.calendar import has_official_table
from minhbach.db.messaging_tables import MessagingTables
from minhbach.events.catalogue import STREAMS
from minhbach.observability.health import ReadinessCheck
from minhbach.observability.metrics import (
    CALENDAR_OFFICIAL_TABLE,
    CONSUMER_ACK_PENDING,
    CONSUMER_PENDING,
    DEAD_LETTERS,
    DEPENDENCY_UP,
    HTTP_REQUEST_SECONDS,
    REPORT_DUE_IN,
)
from minhbach.plan import Plan

DEPENDENCIES = ("database", "nats")

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


async def refresh_dead_letters(
    sessions: async_sessionmaker[AsyncSession], tables: MessagingTables, service: str
) -> None:
    """Set the gauge to the dead letters not yet replayed (the consumer only ever adds one)."""
    table = tables.dead_letters
    async with sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(table).where(table.c.replayed_at.is_(None))
        )
    DEAD_LETTERS.labels(service).set(count or 0)


def next_report_dues(plan: Plan, now: datetime) -> dict[str, datetime]:
    """Per reporting rule, the first due instant of the plan's year still ahead of `now`."""
    calendar = plan.working_calendar()
    ahead: dict[str, datetime] = {}
    for rule in plan.reporting_rules:
        dues = (rule.due(calendar, plan.year, period) for period in rule.periods)
        future = [due for due in dues if due > now]
        if future:
            ahead[rule.code] = min(future)
    return ahead


def refresh_calendar_tables(plan: Plan) -> None:
    """Which of the plan's years have a table of official swapped days (the plan's year and the
    next, where its last deadlines fall)."""
    for year in (plan.meta.year, plan.meta.year + 1):
        CALENDAR_OFFICIAL_TABLE.labels(str(year)).set(1 if has_official_table(year) else 0)


def refresh_report_dues(plan: Plan, now: datetime) -> None:
    refresh_calendar_tables(plan)
    ahead = next_report_dues(plan, now)
    for rule in plan.reporting_rules:
        due = ahead.get(rule.code)
        if due is not None:
            REPORT_DUE_IN.labels(rule.code).set((due - now).total_seconds())
        else:  # the plan year's last report of this rule is behind us
            with contextlib.suppress(KeyError):
                REPORT_DUE_IN.remove(rule.code)


def install_operations(app: FastAPI, service: str) -> None:
    """HTTP timing; dependencies read 'down' until checked (the runtime's operations loop starts
    once NATS first answers, so a replica that never reaches it shows 0)."""
    app.add_middleware(HttpMetricsMiddleware, service=service)
    for dependency in DEPENDENCIES:
        DEPENDENCY_UP.labels(service, dependency).set(0)


async def refresh_dependencies(service: str, checks: Mapping[str, ReadinessCheck]) -> None:
    """What `/readyz` checks, as gauges: Prometheus sees a replica cut off from NATS or the
    database even though its /metrics still answers."""
    for name, check in checks.items():
        try:
            async with asyncio.timeout(5.0):  # not wait_for: see minhbach.runtime.stop_tasks
                ok = await check()
        except Exception:  # unreachable is an answer here, not an error
            ok = False
        DEPENDENCY_UP.labels(service, name).set(1 if ok else 0)
