"""A first sweep over a portal with a year of old documents (issue 12): their posting time is
unknown, so indicator 1's `documents_posted_on_time` owes nothing for them; a document issued
after monitoring began and first seen 8 working days later counts late. The real probe against
the simulator, then scoring's posting rules on the facts its events make."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.clock import FixedClock
from minhbach.events.catalogue import DocumentFound, ObligationStatus
from minhbach_dev.portal_simulator.content import SimItem
from portal_monitor.service import probe_portal
from scoring import messages
from scoring.domain.facts import document_fact
from scoring.domain.obligations.postings import PostingRules
from scoring.domain.readiness import untimed_by_kind
from tests.portal_monitor.helpers import T0, make_plan, probe_deps, simulated, unit_code

NEW_ISSUED = date(2024, 10, 11)  # Friday, the day after monitoring began (T0)
EIGHT_WORKING_DAYS_LATER = datetime(2024, 10, 23, 2, 0, tzinfo=UTC)  # Wednesday 09:00 VN


async def test_old_documents_stay_out_and_a_new_late_one_counts_late(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    plan = make_plan(communes=1)
    district = unit_code(plan, "huyen")
    clock = FixedClock(T0)
    old = [
        SimItem(
            970000 + i,
            f"Kế hoạch số {300 + i}/KH-UBND về nhiệm vụ phát triển kinh tế đợt {i}",
            f"{300 + i}/KH-UBND",
            T0.date() - timedelta(days=15 * (i + 1)),
            "Trích yếu",
            "UBND huyện Thử",
        )
        for i in range(24)  # a year of planning documents, 24 shown over the section's pages
    ]
    async with simulated(plan, items=0) as world, probe_deps(world, sessions, clock) as deps:
        world.portal("huyen").section("planning").items[:] = old
        world.simulator.changed()
        first = await probe_portal(deps, district)
        assert first is not None
        found = [e for e in first.events if isinstance(e, DocumentFound)]
        old_found = [e for e in found if e.document.section == "planning"]
        assert len(old_found) == 24
        assert all(not e.document.posting_time_known for e in old_found)
        assert all(e.document.posted_on_time is None for e in old_found)
        # Without the baseline, these would have been owed (issued since the plan took effect).
        assert sum(e.document.issued_on >= plan.meta.effective_from for e in old_found) >= 10

        late = SimItem(
            979999,
            "Kế hoạch số 999/KH-UBND ngày 11/10/2024 về cải cách hành chính",
            "999/KH-UBND",
            NEW_ISSUED,
            "Trích yếu",
            "UBND huyện Thử",
        )
        world.portal("huyen").section("planning").items.append(late)
        world.simulator.changed()
        clock.set(EIGHT_WORKING_DAYS_LATER)
        second = await probe_portal(deps, district)
        assert second is not None
        (new,) = [e for e in second.events if isinstance(e, DocumentFound)]
        assert new.document.posting_time_known and new.document.posted_on_time is False

    rules = PostingRules(plan, plan.working_calendar(), lambda due: due - timedelta(days=2))
    owed = [ob for e in [*found, new] for ob in rules.document_obligations(document_fact(e))]
    assert {ob.document_id for ob in owed} == {new.document.document_id}  # its own + copies
    (own,) = [ob for ob in owed if ob.unit_code == district]
    assert own.status(EIGHT_WORKING_DAYS_LATER) == ObligationStatus.FULFILLED_LATE
    # ... and the evidence says what was left out, and why.
    untimed = untimed_by_kind(document_fact(e) for e in [*found, new])
    assert untimed.get("planning") == 24
    summary = messages.documents_on_time_summary(0, 1, 0, untimed["planning"])
    assert "không tính 24 văn bản ban hành trước khi bắt đầu giám sát cổng" in summary
