"""A document kind the plan adds is classified, stored and emitted (decision 0013: the event
carries the plan's code; before, portal-monitor raised ValueError on a kind it did not know)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.clock import FixedClock
from minhbach.events.catalogue import DocumentFound
from minhbach.plan import Plan
from portal_monitor import db
from portal_monitor.service import probe_portal
from tests.portal_monitor.helpers import T0, make_plan, probe_deps, simulated, unit_code

KIND = "budget_disclosure"


def plan_with_a_new_kind() -> Plan:
    data = make_plan(communes=1).model_dump(mode="json")
    data["document_kinds"].append({"code": KIND, "name": "Công khai ngân sách"})
    data["portal_monitoring"]["classification_rules"].insert(
        0, {"code": "budget-in-planning", "kind": KIND, "sections": ["planning"]}
    )
    return Plan.model_validate(data)


async def test_a_kind_the_plan_adds_is_classified_stored_and_emitted(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    plan = plan_with_a_new_kind()
    district = unit_code(plan, "huyen")
    async with simulated(plan) as world, probe_deps(world, sessions, FixedClock(T0)) as deps:
        report = await probe_portal(deps, district)
    found = [e.document for e in report.events if isinstance(e, DocumentFound)]
    planning = [d for d in found if d.section == "planning"]
    assert planning and {d.kind for d in planning} == {KIND}
    assert {d.matched_rule for d in planning} == {"budget-in-planning"}
    # Stored as first seen here: a document the suite's other tests stored first (the same
    # title and date, matched as a copy) keeps the kind it was first stored with.
    async with sessions() as session:
        stored = list(
            (
                await session.execute(
                    select(db.documents.c.kind).where(
                        db.documents.c.document_id.in_([d.document_id for d in planning]),
                        db.documents.c.first_unit_code == district,
                    )
                )
            ).scalars()
        )
        assert stored and set(stored) == {KIND}
