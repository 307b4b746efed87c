"""An inspection round every portal was probed in is drafted once it has ended, even while
document events are still in flight: on a busy bus the documents are never all applied at one
instant, and a round that waited for that moment was never drafted (found by the chaos run,
tests/chaos: round 2024-W37 had all 26 probes and no notice)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.db.session import make_engine, make_sessionmaker
from minhbach.events.base import Event
from minhbach.events.catalogue import ProbeFinished, ProbeOutcome
from minhbach.plan import Plan
from reporting import store
from reporting.domain.projections import probe_row
from reporting.domain.schedule import inspection_round
from reporting.drafting import Drafter
from tests.reporting.conftest import fresh_database, vn

pytestmark = pytest.mark.slow

ROUND_MONDAY = vn(2024, 9, 9, 8)


def _probe(plan: Plan, unit: str) -> ProbeFinished:
    return ProbeFinished(
        probe_id=uuid.uuid4(),
        portal_unit_code=unit,
        portal_url=plan.unit(unit).portal or "",
        started_at=ROUND_MONDAY,
        finished_at=ROUND_MONDAY,
        outcome=ProbeOutcome.OK,
        checks=(),
    )


async def _never_all_applied() -> bool:
    return False


async def _no_emit(session: AsyncSession, *events: Event) -> None:
    raise AssertionError("due_drafts only plans; nothing is emitted")


async def test_a_complete_round_is_drafted_once_ended_though_documents_are_in_flight(
    database_url: str, seed: Plan
) -> None:
    engine = make_engine(await fresh_database(database_url, "reporting"))
    sessions = make_sessionmaker(engine)
    assert seed.drafting is not None
    round_ = inspection_round(seed.drafting.inspection_round, ROUND_MONDAY)
    try:
        async with sessions() as session, session.begin():
            for unit in seed.portal_units():
                await store.save_probe(session, probe_row(_probe(seed, unit.code), round_.key))
        drafter = Drafter(
            seed,
            sessions,
            emit=_no_emit,
            soffice=None,
            pdf_timeout_seconds=10,
            documents_applied=_never_all_applied,
        )
        async with sessions() as session:
            during = await drafter.due_drafts(session, round_.ends - timedelta(hours=1))
            after = await drafter.due_drafts(session, round_.ends + timedelta(hours=1))
    finally:
        await engine.dispose()
    assert [d.period_key for d in during if d.kind == "inspection_notice"] == []
    assert [d.period_key for d in after if d.kind == "inspection_notice"] == [round_.key]
