"""A notifier in a child process that dies (os._exit) at one crash point of a sending round.

`python -m tests.notifier.crash_child POINT` with the settings in the environment
(MINHBACH_DATABASE_URL, MINHBACH_SMTP_PORT, MINHBACH_PLAN_FILE, MINHBACH_CLOCK_START ...).
POINT is after_record, after_claim or after_accept (die there, exit code 70, at the first notice
of this plan), or `none`: run rounds until every notice of this plan is settled (exit 0).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable

from sqlalchemy import select

from minhbach.clock import clock_from_settings
from minhbach.db.session import make_engine, make_sessionmaker
from minhbach.messaging.outbox import Outbox
from minhbach.plan import load_plan
from minhbach.settings import get_settings
from notifier.db import messaging, notices
from notifier.hooks import DeliveryHooks
from notifier.service import Notifier

CRASH_EXIT = 70
SETTLED = {"sent", "dead", "uncertain", "cancelled"}


async def main(point: str) -> int:
    settings = get_settings()
    plan = load_plan(settings.plan_file)
    engine = make_engine(settings.database_url, pool_size=2)
    sessions = make_sessionmaker(engine)
    units = [u.code for u in plan.units]

    ours: set[str] = set()

    def dies_at(name: str) -> Callable[[str], None]:
        def die_if_ours(key: str) -> None:
            if name == point and key in ours:
                os._exit(CRASH_EXIT)  # no cleanup, no commit: as a kill -9 would leave it

        return die_if_ours

    hooks = DeliveryHooks(
        after_record=lambda key: _remember_then(ours, key, dies_at("after_record")),
        after_claim=dies_at("after_claim"),
        after_accept=dies_at("after_accept"),
    )
    notifier = Notifier(
        sessions=sessions,
        emit=Outbox(messaging).emit,
        plan=plan,
        settings=settings,
        clock=clock_from_settings(settings.clock_start, 1.0),
        hooks=hooks,
    )
    # A restarted process knows nothing of its predecessor's keys: learn them from the table.
    async with sessions() as session:
        rows = await session.execute(
            select(notices.c.notice_key).where(notices.c.recipient_unit.in_(units))
        )
        ours.update(r.notice_key for r in rows)
    for _ in range(200):
        await notifier.run_round()
        async with sessions() as session:
            states = list(
                await session.scalars(
                    select(notices.c.state).where(notices.c.recipient_unit.in_(units))
                )
            )
        if states and set(states) <= SETTLED:
            await engine.dispose()
            return 0
        await asyncio.sleep(0.1)
    await engine.dispose()
    return 1  # never settled


def _remember_then(ours: set[str], key: str, then: Callable[[str], None]) -> None:
    ours.add(key)
    then(key)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1])))
