"""The schedule is rows and the clock: due portals are claimed once, by one replica at a time."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_monitor import db
from portal_monitor.service import claim_due, register_portals
from portal_monitor.workqueue import request_payload, request_subject
from tests.portal_monitor.helpers import T0, make_plan


async def test_concurrent_claims_never_share_a_portal(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    plan = make_plan(communes=12)
    units = [u.code for u in plan.portal_units()]
    await register_portals(sessions, plan, T0)
    lease = timedelta(minutes=15)
    claims = await asyncio.gather(
        *(claim_due(sessions, units, T0, lease, limit=5) for _ in range(4))
    )
    claimed = [unit for claim in claims for unit, _due in claim]
    assert len(claimed) == len(set(claimed)) == min(len(units), 20)
    rest = await claim_due(sessions, units, T0, lease)
    assert {u for u, _ in rest}.isdisjoint(claimed)
    assert len(claimed) + len(rest) == len(units)
    # Leased: nothing is due again until the lease runs out or a probe sets the next instant.
    assert await claim_due(sessions, units, T0 + timedelta(minutes=5), lease) == []
    again = await claim_due(sessions, units, T0 + lease, lease)
    assert len(again) == len(units)


async def test_next_probe_comes_from_stored_state(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    plan = make_plan(communes=1)
    units = [u.code for u in plan.portal_units()]
    await register_portals(sessions, plan, T0)
    async with sessions() as session, session.begin():
        await session.execute(
            update(db.portal_state)
            .where(db.portal_state.c.unit_code == units[0])
            .values(next_probe_at=T0 + timedelta(hours=1))
        )
    due_now = await claim_due(sessions, units, T0, timedelta(hours=2))
    assert [u for u, _ in due_now] == [units[1]]
    later = await claim_due(sessions, units, T0 + timedelta(hours=1), timedelta(minutes=15))
    assert [u for u, _ in later] == [units[0]]
    body = json.loads(request_payload(units[0], later[0][1]))
    assert body == {"unit_code": units[0], "due_at": later[0][1].isoformat()}
    assert request_subject(units[0]).endswith("." + units[0])
