"""The unit of work: the events a piece of work returns are emitted inside its transaction, in
order, before the commit; when the work raises, nothing is emitted and the transaction rolls
back. A recording fake stands for the session factory (no database needed for the order)."""

from __future__ import annotations

from types import TracebackType
from typing import Any, ClassVar, cast

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.db.unit_of_work import Outcome, UnitOfWork
from minhbach.events.base import Event


class Said(Event):
    subject: ClassVar[str] = "test.said"
    word: str


class _Recorder:
    """Plays the session factory, the session and its transaction, writing down what happens."""

    def __init__(self) -> None:
        self.log: list[str] = []

    def __call__(self) -> _Recorder:
        return self

    def begin(self) -> _Recorder:
        self.log.append("begin")
        return self

    async def __aenter__(self) -> _Recorder:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, _e: BaseException | None, _t: TracebackType | None
    ) -> None:
        if "begin" in self.log and not self.log[-1].startswith(("commit", "rollback")):
            self.log.append("rollback" if kind else "commit")


def _unit(recorder: _Recorder) -> UnitOfWork:
    async def emit(session: AsyncSession, *events: Event) -> None:
        assert session is cast(Any, recorder)
        recorder.log.extend(f"emit {cast(Said, e).word}" for e in events)

    return UnitOfWork(cast(async_sessionmaker[AsyncSession], recorder), emit)


async def test_the_events_returned_are_emitted_in_the_transaction_before_it_commits() -> None:
    recorder = _Recorder()

    async def work(session: AsyncSession) -> Outcome[int]:
        recorder.log.append("work")
        return Outcome(7, [Said(word="one"), Said(word="two")])

    assert await _unit(recorder).run(work) == 7
    assert recorder.log == ["begin", "work", "emit one", "emit two", "commit"]


async def test_work_that_raises_emits_nothing_and_rolls_back() -> None:
    recorder = _Recorder()

    async def work(session: AsyncSession) -> Outcome[None]:
        recorder.log.append("work")
        raise LookupError("no such report")

    with pytest.raises(LookupError):
        await _unit(recorder).run(work)
    assert recorder.log == ["begin", "work", "rollback"]


async def test_work_without_events_just_commits() -> None:
    recorder = _Recorder()

    async def work(session: AsyncSession) -> Outcome[str]:
        return Outcome("done")

    assert await _unit(recorder).run(work) == "done"
    assert recorder.log == ["begin", "commit"]


async def test_a_tick_answers_and_emits_its_events() -> None:
    recorder = _Recorder()

    async def tick(session: AsyncSession) -> list[Event]:
        return [Said(word="tick")]

    events = await _unit(recorder).emitting(tick)
    assert [cast(Said, e).word for e in events] == ["tick"]
    assert recorder.log == ["begin", "emit tick", "commit"]


async def test_a_consumed_event_joins_the_consumers_transaction() -> None:
    recorder = _Recorder()

    async def handle(session: AsyncSession, event: Said) -> list[Event]:
        return [Said(word=f"heard {event.word}")]

    apply = _unit(recorder).applying(handle)
    await apply(cast(AsyncSession, recorder), Said(word="hello"))
    assert recorder.log == ["emit heard hello"]  # no transaction of its own: the consumer's
