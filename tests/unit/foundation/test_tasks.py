"""Stopping background tasks: a task that lost its cancellation (as asyncio.wait_for on Python
3.11 loses one that arrives with the awaited result) is cancelled again; one that will not stop
is named, and the stopper still returns within its grace."""

from __future__ import annotations

import asyncio
import contextlib

from minhbach.infra.tasks import stop_tasks


async def _loses_one_cancellation(stopped: list[str]) -> None:
    # What wait_for's race does: the cancellation is swallowed and the loop goes on.
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.sleep(3600)
    try:
        await asyncio.Event().wait()  # the loop's next wait, forever unless cancelled
    finally:
        stopped.append("loop")


async def _ignores_cancellation_until(released: asyncio.Event) -> None:
    while not released.is_set():
        with contextlib.suppress(asyncio.CancelledError):
            await released.wait()


async def test_a_task_that_lost_its_cancellation_is_cancelled_again() -> None:
    stopped: list[str] = []
    task = asyncio.create_task(_loses_one_cancellation(stopped), name="relay")
    plain = asyncio.create_task(asyncio.sleep(3600), name="plain")
    await asyncio.sleep(0)
    assert await stop_tasks([task, plain], grace_seconds=10) == []
    assert task.cancelled() and plain.cancelled() and stopped == ["loop"]


async def test_a_task_that_never_stops_is_named_and_the_grace_is_kept() -> None:
    released = asyncio.Event()
    stubborn = asyncio.create_task(_ignores_cancellation_until(released), name="stubborn")
    quick = asyncio.create_task(asyncio.sleep(3600), name="quick")
    await asyncio.sleep(0)
    assert await stop_tasks([stubborn, quick], grace_seconds=0.3) == ["stubborn"]
    assert quick.cancelled() and not stubborn.done()
    released.set()
    await stubborn
