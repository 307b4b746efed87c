"""What every service runs on: settings, clock, plan, database, broker, outbox relay, inbox.

`running(runtime)` connects to NATS in the background (so `/healthz` answers while NATS is down
and `/readyz` says why), declares the streams, opens the service's resources, starts the relay,
the operations loop and the service's background loops, and stops everything in order.
`minhbach.app.create_service_app` wraps it in a FastAPI app.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from faststream.nats import NatsBroker
from nats.js import JetStreamContext

from minhbach import calendar
from minhbach.clock import Clock, clock_from_settings
from minhbach.db.messaging_tables import MessagingTables
from minhbach.db.session import Engine, Sessions, make_engine, make_sessionmaker, ping
from minhbach.events.catalogue import stream_for
from minhbach.infra.tasks import stop_tasks
from minhbach.messaging.consumer import DeliveryPolicy, EventConsumer
from minhbach.messaging.outbox import Emit, Outbox
from minhbach.messaging.relay import OutboxRelay
from minhbach.messaging.retention import Purge, messaging_purges, run_purges
from minhbach.messaging.streams import declare_streams
from minhbach.observability.logging import get_logger
from minhbach.observability.operations import (
    refresh_consumer_lag,
    refresh_dead_letters,
    refresh_dependencies,
    refresh_report_dues,
)
from minhbach.plan import Plan, load_plan
from minhbach.services import ServiceSpec
from minhbach.settings import Settings, get_settings

log = get_logger(__name__)

BackgroundLoop = Callable[["Runtime"], Awaitable[None]]


class Resource(Protocol):
    """Something a service opens before it serves and closes after (e.g. intake's write pool)."""

    async def open(self) -> None: ...

    async def close(self) -> None: ...


@dataclass
class Runtime:
    spec: ServiceSpec
    settings: Settings
    clock: Clock
    plan: Plan
    engine: Engine
    sessions: Sessions
    tables: MessagingTables
    broker: NatsBroker
    relay: OutboxRelay
    outbox: Outbox
    consumer: EventConsumer
    background: list[BackgroundLoop] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    purges: dict[str, Purge] = field(default_factory=dict)  # the service's own retention
    broker_ready: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def emit(self) -> Emit:
        """The one way to emit events: in the caller's transaction, published after commit."""
        return self.outbox.emit

    @property
    def jetstream(self) -> JetStreamContext:
        """The broker's JetStream context (for what FastStream does not wrap: work queues,
        consumer info); valid once the broker connected."""
        js: JetStreamContext = self.broker.config.broker_config.connection_state.stream
        return js

    async def database_ready(self) -> bool:
        await ping(self.engine)
        return True

    async def nats_ready(self) -> bool:
        return self.broker_ready.is_set() and self.broker.connection.is_connected

    @property
    def readiness_checks(self) -> dict[str, Callable[[], Awaitable[bool]]]:
        """What `/readyz` answers and the dependency gauges show."""
        return {"database": self.database_ready, "nats": self.nats_ready}


def build_runtime(
    spec: ServiceSpec,
    tables: MessagingTables,
    settings: Settings | None = None,
    clock: Clock | None = None,
    plan: Plan | None = None,
) -> Runtime:
    settings = settings or get_settings()
    if not settings.database_url or not settings.nats_url:
        raise RuntimeError(
            "MINHBACH_DATABASE_URL and MINHBACH_NATS_URL must be set "
            "(`minhbach run` sets them for the embedded servers)"
        )
    plan = plan or load_plan(settings.plan_file)
    calendar.warm_up(plan.year)
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    broker = NatsBroker(
        settings.nats_url,
        name=f"minhbach-{spec.name}",
        max_reconnect_attempts=-1,  # NATS may be down for a while; never give up
        reconnect_time_wait=1,
        graceful_timeout=10,
    )

    async def publish(subject: str, payload: bytes, msg_id: str) -> None:
        await broker.publish(
            payload,
            subject,
            headers={"Nats-Msg-Id": msg_id, "content-type": "application/json"},
            stream=stream_for(subject).name,
            timeout=5.0,
        )

    relay = OutboxRelay(
        spec.name, sessions, tables, publish, poll_seconds=settings.outbox_poll_seconds
    )
    policy = DeliveryPolicy(
        max_deliveries=settings.max_deliveries,
        backoff_seconds=tuple(settings.redelivery_backoff_seconds),
    )
    return Runtime(
        spec=spec,
        settings=settings,
        clock=clock
        or clock_from_settings(
            settings.clock_start,
            settings.clock_speed,
            settings.clock_anchor,
            settings.clock_anchor_file,
        ),
        plan=plan,
        engine=engine,
        sessions=sessions,
        tables=tables,
        broker=broker,
        relay=relay,
        outbox=Outbox(tables, relay.wake),
        consumer=EventConsumer(spec.name, sessions, tables, policy),
    )


async def _connect_broker(runtime: Runtime) -> None:
    """Start the broker, retrying while NATS is unreachable."""
    delay = 0.5
    while True:
        try:
            await runtime.broker.connect()
            await declare_streams(
                runtime.jetstream,
                runtime.settings.duplicate_window_seconds,
                runtime.settings.stream_replicas,
            )
            await runtime.broker.start()
            runtime.broker_ready.set()
            log.info("connected to nats", url=runtime.settings.nats_url)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("nats not reachable yet", error=repr(exc), retry_in=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)


async def operations_loop(runtime: Runtime) -> None:
    """Refresh the operations gauges (see `observability.operations`) every
    `consumer_lag_poll_seconds`; NATS or the database briefly away leaves them as they were."""
    name = runtime.spec.name
    while True:
        await refresh_dependencies(name, runtime.readiness_checks)
        try:
            await refresh_consumer_lag(runtime.jetstream, name)
            await refresh_dead_letters(runtime.sessions, runtime.tables, name)
            refresh_report_dues(runtime.plan, runtime.clock.now())
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("operations gauges not refreshed", error=repr(exc))
        await asyncio.sleep(runtime.settings.consumer_lag_poll_seconds)


async def retention_loop(runtime: Runtime) -> None:
    """Delete what the guarantees no longer need (minhbach.messaging.retention), now and then."""
    purges = {
        **messaging_purges(runtime.sessions, runtime.tables, runtime.settings),
        **runtime.purges,
    }
    while True:
        await run_purges(purges)
        await asyncio.sleep(runtime.settings.retention_interval_seconds)


@contextlib.asynccontextmanager
async def running(runtime: Runtime) -> AsyncIterator[Runtime]:
    """Open the resources, run the broker, relay and loops for the lifetime of the block; on
    the way out stop the loops, the broker, then close the resources and the database."""
    async with contextlib.AsyncExitStack() as stack:
        for resource in runtime.resources:
            await resource.open()
            stack.push_async_callback(resource.close)
        stack.push_async_callback(runtime.engine.dispose)
        tasks = [
            asyncio.create_task(_connect_broker(runtime), name="broker"),
            asyncio.create_task(runtime.relay.run(), name="outbox-relay"),
        ]
        tasks += [
            asyncio.create_task(_supervised(loop, runtime), name=getattr(loop, "__name__", "loop"))
            for loop in [operations_loop, retention_loop, *runtime.background]
        ]
        try:
            yield runtime
        finally:
            grace = runtime.settings.shutdown_grace_seconds
            await stop_tasks(tasks, grace)
            with contextlib.suppress(Exception):
                async with asyncio.timeout(grace):
                    await runtime.broker.stop()


async def _supervised(loop: BackgroundLoop, runtime: Runtime) -> None:
    """Keep a background loop alive: log and restart it after an unexpected error."""
    while True:
        try:
            await runtime.broker_ready.wait()
            await loop(runtime)
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("background loop failed; restarting", loop=getattr(loop, "__name__", "?"))
            await asyncio.sleep(1.0)
