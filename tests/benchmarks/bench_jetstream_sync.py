"""JetStream with `sync_interval: always` (fsync before every acknowledgement, our setting)
against NATS' default (fsync every 2 minutes), same machine, same run, fresh servers each.

Two publishing shapes: one publish awaited at a time (an intake request's worst case), and
batches of 200 in flight (how the outbox relay publishes).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

import nats
from nats.js import JetStreamContext

from minhbach.infra.embedded import EmbeddedNats, free_port
from minhbach.messaging.streams import declare_streams
from tests.benchmarks.env import BenchEnv
from tests.benchmarks.table import BenchRow

SEQUENTIAL = 1000
PIPELINED = 4000
BATCH = 200
SUBJECT = "intake.evidence.submitted"
PAYLOAD = b'{"bench": "' + b"x" * 400 + b'"}'


async def _sequential(js: JetStreamContext) -> float:
    started = time.perf_counter()
    for _ in range(SEQUENTIAL):
        await js.publish(SUBJECT, PAYLOAD, headers={"Nats-Msg-Id": str(uuid.uuid4())})
    return SEQUENTIAL / (time.perf_counter() - started)


async def _pipelined(js: JetStreamContext) -> float:
    started = time.perf_counter()
    for _ in range(PIPELINED // BATCH):
        await asyncio.gather(
            *(
                js.publish(SUBJECT, PAYLOAD, headers={"Nats-Msg-Id": str(uuid.uuid4())})
                for _ in range(BATCH)
            )
        )
    return PIPELINED / (time.perf_counter() - started)


async def _measure(
    env: BenchEnv, sync_always: bool, shape: Callable[[JetStreamContext], Awaitable[float]]
) -> float:
    name = f"{shape.__name__.strip('_')}-{'always' if sync_always else 'default'}"
    server = EmbeddedNats(env.var_dir / f"nats-{name}", free_port(), sync_always=sync_always)
    server.start()
    try:
        client = await nats.connect(server.url)
        js = client.jetstream()
        await declare_streams(js, env.settings.duplicate_window_seconds)
        rate = await shape(js)
        await client.close()
        return rate
    finally:
        server.stop()


async def run(env: BenchEnv) -> list[BenchRow]:
    rows = []
    for shape, label in ((_sequential, "one at a time"), (_pipelined, f"{BATCH} in flight")):
        default = await _measure(env, False, shape)
        always = await _measure(env, True, shape)
        rows.append(
            BenchRow(
                "jetstream",
                f"publish/s, sync_interval always, {label}",
                always,
                "msg/s",
                default,
                "NATS default sync (every 2 min)",
            )
        )
    return rows
