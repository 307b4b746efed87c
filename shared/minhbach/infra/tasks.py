"""Stopping background tasks for certain, within a bound.

A task cancelled once may go on: on Python 3.11, `asyncio.wait_for` returns the awaited result
instead of raising when the cancellation arrives just as that result does (fixed in 3.12), and
libraries we run (nats-py, FastStream) use it. A loop that lost its cancellation that way never
ends, and a shutdown that waits for it hangs (seen under load: a service's shutdown never
returned). So the stopper cancels again until every task has ended or the grace is spent, and
names what it had to leave behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from typing import Any

from minhbach.observability.logging import get_logger

log = get_logger(__name__)

RECANCEL_SECONDS = 1.0  # room for a task's own clean-up before it is cancelled again


async def stop_tasks(tasks: Collection[asyncio.Task[Any]], grace_seconds: float) -> list[str]:
    """Cancel `tasks` and wait until they end, cancelling again every `RECANCEL_SECONDS`;
    returns the names of those still running after `grace_seconds` (logged as an error)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + grace_seconds
    pending = {task for task in tasks if not task.done()}
    while pending:
        for task in pending:
            task.cancel()
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        _, pending = await asyncio.wait(pending, timeout=min(RECANCEL_SECONDS, remaining))
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: a loop that failed on its way out was logged by it
    left = sorted(task.get_name() for task in pending)
    if left:
        log.error("tasks still running after shutdown grace", tasks=left, grace=grace_seconds)
    return left
