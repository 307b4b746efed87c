"""The scoring service against real NATS JetStream and PostgreSQL: events in, projections kept,
obligations and figures out, exactly once, the same as a rebuild."""

from __future__ import annotations

from datetime import timedelta

from nats.aio.client import Client as NatsClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.clock import FixedClock
from minhbach.events.catalogue import ObligationKind, ObligationStatus
from minhbach.settings import Settings
from scoring import db
from scoring.store import locks
from tests.scoring.conftest import Published, publish, running_scoring
from tests.scoring.helpers import (
    COMMUNES,
    DISTRICT,
    FOCAL,
    evidence,
    found,
    portal_document,
    probe,
    report,
    small_plan,
    unique_suffix,
    vn,
)
from tests.support.servers import eventually


async def test_obligations_appear_from_the_plan_with_no_events(
    settings: Settings, scoring_url: str, published: Published
) -> None:
    sfx = unique_suffix()
    plan = small_plan(sfx)
    clock = FixedClock(vn(2024, 9, 25, 10))
    async with running_scoring(settings, scoring_url, plan, clock) as svc:
        unit = f"ktht{sfx}"

        async def ledger() -> list[dict[str, object]] | None:
            page = await svc.get("/api/v1/obligations", unit=unit)
            return page["items"] if page["total"] == 4 else None

        items = await eventually(ledger, timeout=30)
        status = {i["period"]: i["status"] for i in items}
        assert status == {
            "Q2": ObligationStatus.OVERDUE,
            "Q3": ObligationStatus.DUE_SOON,
            "Q4": ObligationStatus.PENDING,
            "year": ObligationStatus.PENDING,
        }
        # Each obligation announced once, with its Vietnamese title and due instant.
        await eventually(lambda: len(published.obligations(sfx)) >= len(plan_ledger(plan)), 30)
        announced = published.obligations(sfx)
        assert len({e.obligation_id for e in announced}) == len(announced)
        q3 = next(e for e in announced if e.obligation_id.endswith(f"{unit}:2024:Q3"))
        assert q3.kind == ObligationKind.QUARTERLY_REPORT
        assert q3.due_at == vn(2024, 10, 2, 0)
        assert q3.status == ObligationStatus.DUE_SOON
        assert "Báo cáo quý III năm 2024" in q3.title
        indicators = await svc.get("/api/v1/indicators")
        assert [i["number"] for i in indicators] == list(range(1, 9))
        assert all(i["readiness"] == 0 for i in indicators)
        # Nothing filed or probed yet: not known, said so, never a failure (decision 0014).
        assert not any(i["has_data"] for i in indicators)
        no_probe = indicators[5]["signals"][0]
        assert no_probe["has_data"] is False and no_probe["missing"]
        assert no_probe["evidence"].startswith("Chưa có dữ liệu (")
        overall = await svc.get("/api/v1/readiness")
        assert (overall["readiness"], overall["target_share"]) == (0, 0.7)
        assert overall["meets_target_share"] is None  # cannot be said yet
        assert overall["indicators_without_data"] == list(range(1, 9))
        assert "không phải câu trả lời của doanh nghiệp" in overall["note"]
        missing = await svc.http.get("/api/v1/indicators/9")
        assert missing.status_code == 404 and "chỉ tiêu số 9" in missing.json()["detail"]


def plan_ledger(plan: object) -> list[str]:
    from scoring.domain.obligations import ObligationRules

    rules = ObligationRules(plan)  # type: ignore[arg-type]
    return [
        ob.obligation_id for u in rules.plan_units() for ob in rules.unit_obligations(u, (), ())
    ]


async def test_a_report_fulfils_its_obligation_and_moves_its_indicator_once(
    settings: Settings,
    scoring_url: str,
    scoring_sessions: async_sessionmaker[AsyncSession],
    published: Published,
    nats_client: NatsClient,
) -> None:
    sfx = unique_suffix()
    plan = small_plan(sfx)
    clock = FixedClock(vn(2024, 10, 3, 10))
    unit = f"ktht{sfx}"
    async with running_scoring(settings, scoring_url, plan, clock) as svc:
        await eventually(lambda: published.obligations(sfx), 30)
        late = report(plan, unit, "Q3", vn(2024, 10, 2, 8), done={"1.2"})
        await publish(nats_client, late)
        await eventually(lambda: published.indicators(late.event_id), 30)
        announced = published.indicators(late.event_id)
        moved = next(e for e in announced if e.indicator == 1)
        assert moved.readiness > 0 and moved.previous == 0
        # The other indicators of the unit's tasks are announced because their task signal
        # gained data (all in progress: still 0), not because their figure moved (0014).
        for other in announced:
            tasks = next(s for s in other.signals if s.name == "tasks_reported_done")
            assert tasks.has_data and (other is moved or other.readiness == 0)
        done = next(s for s in moved.signals if s.name == "tasks_reported_done")
        assert done.value > 0 and "hoàn thành" in done.evidence
        oid = f"report:lead-quarterly:{unit}:2024:Q3"
        (fulfilled,) = [e for e in published.about(oid) if e.fulfilled_at is not None]
        assert fulfilled.status == ObligationStatus.FULFILLED_LATE
        assert fulfilled.previous_status == ObligationStatus.OVERDUE
        assert fulfilled.caused_by == late.event_id

        # Redelivered (the same event under another message id, past JetStream's dedup): the
        # inbox drops it. A marker event behind it on the same consumer shows it was handled.
        await publish(nats_client, late, msg_id=f"again-{late.event_id}")
        marker = report(plan, f"tckh{sfx}", "Q3", vn(2024, 10, 1), done={"8.1"})
        await publish(nats_client, marker)
        await eventually(lambda: published.caused_by(marker.event_id), 30)
        assert len([e for e in published.about(oid) if e.fulfilled_at is not None]) == 1
        assert len(published.indicators(late.event_id)) == len(announced)
        async with scoring_sessions() as session:
            stored = await session.scalar(
                select(func.count()).select_from(db.reports).where(db.reports.c.unit_code == unit)
            )
        assert stored == 1

        indicator = await svc.get("/api/v1/indicators/1")
        signal = next(s for s in indicator["signals"] if s["code"] == "tasks_reported_done")
        (done_item,) = [item for item in signal["items"] if item["ok"]]
        assert done_item["label"] == "Nhiệm vụ 1.2 – Phòng Kinh tế và Hạ tầng: đã hoàn thành"
        assert done_item["ref"] == f"report:{late.report_id}"
        history = await svc.get("/api/v1/indicators/1/history")
        assert [point["caused_by"] for point in history][-1] == str(late.event_id)
        assert history[-1]["signals"]["tasks_reported_done"] == done.value
        page = await svc.get("/api/v1/obligations", status="fulfilled_late", unit=unit)
        assert [i["obligation_id"] for i in page["items"]] == [oid]


async def test_evidence_and_documents_fulfil_and_the_ledger_follows(
    settings: Settings,
    scoring_url: str,
    published: Published,
    nats_client: NatsClient,
) -> None:
    sfx = unique_suffix()
    plan = small_plan(sfx)
    clock = FixedClock(vn(2024, 6, 12, 10))
    focal, district = f"{FOCAL}{sfx}", f"{DISTRICT}{sfx}"
    communes = [f"{c}{sfx}" for c in COMMUNES]
    async with running_scoring(settings, scoring_url, plan, clock) as svc:
        await eventually(lambda: published.obligations(sfx), 30)

        proof = evidence(plan, focal, "7.2", vn(2024, 6, 11))
        await publish(nats_client, proof)
        await eventually(lambda: published.indicators(proof.event_id), 30)
        (task,) = published.about(f"task:7.2:{focal}:2024")[-1:]
        assert task.status == ObligationStatus.FULFILLED_ON_TIME
        assert published.indicators(proof.event_id)[0].indicator == 7

        # A planning document on the district portal: owed there (found in time) and on both
        # commune portals (not there yet: overdue now, 12/06, since due before 11/06).
        source = portal_document(district, vn(2024, 6, 5))
        event = found(source)
        await publish(nats_client, event)
        await eventually(lambda: len(published.caused_by(event.event_id)) >= 3, 30)
        copies = {
            e.unit_code: e
            for e in published.caused_by(event.event_id)
            if getattr(e, "obligation_id", "").startswith("copy:")
        }
        assert set(copies) == set(communes)
        assert all(c.status == ObligationStatus.OVERDUE for c in copies.values())
        assert all(c.document_url == source.url for c in copies.values())
        assert all(c.kind == ObligationKind.DOCUMENT_POSTING for c in copies.values())

        # One commune posts it (same number): that copy is fulfilled, late.
        copy = portal_document(communes[0], vn(2024, 6, 12, 9))
        copy_event = found(copy)
        await publish(nats_client, copy_event)
        oid = f"copy:{source.document_id}:{communes[0]}"
        await eventually(lambda: any(e.fulfilled_at for e in published.about(oid)), 30)
        assert published.about(oid)[-1].status == ObligationStatus.FULFILLED_LATE
        page = await svc.get("/api/v1/obligations", kind="document_posting", status="overdue")
        assert [i["unit_code"] for i in page["items"]] == [communes[1]]

        # Probes move the portal signals; the units' records rank.
        checked = probe(district, clock.now(), sections_ok=["planning"], qa_active=True)
        await publish(nats_client, checked)
        await eventually(lambda: published.indicators(checked.event_id), 30)
        units = await svc.get("/api/v1/units")
        district_record = next(u for u in units if u["unit_code"] == district)
        assert district_record["portal_checks_passed"] == 3
        assert [u["rank"] for u in units if u["rank"] is not None] == sorted(
            u["rank"] for u in units if u["rank"] is not None
        )
        metrics = (await svc.http.get("/metrics")).text
        assert "minhbach_scoring_indicator_readiness" in metrics
        assert f'minhbach_scoring_unit_overdue{{unit="{communes[1]}"}}' in metrics


async def test_time_passing_announces_due_soon_and_overdue(
    settings: Settings, scoring_url: str, published: Published
) -> None:
    sfx = unique_suffix()
    plan = small_plan(sfx)
    clock = FixedClock(vn(2024, 9, 10, 10))
    oid = f"report:lead-quarterly:ktht{sfx}:2024:Q3"
    async with running_scoring(settings, scoring_url, plan, clock):
        await eventually(lambda: published.about(oid), 30)
        assert published.about(oid)[-1].status == ObligationStatus.PENDING
        clock.set(vn(2024, 9, 20, 8))
        await eventually(lambda: published.about(oid)[-1].status == ObligationStatus.DUE_SOON, 30)
        clock.set(vn(2024, 10, 2, 0))
        await eventually(lambda: published.about(oid)[-1].status == ObligationStatus.OVERDUE, 30)
        statuses = [e.status for e in published.about(oid)]
        assert statuses == [
            ObligationStatus.PENDING,
            ObligationStatus.DUE_SOON,
            ObligationStatus.OVERDUE,
        ]
        assert published.about(oid)[-1].previous_status == ObligationStatus.DUE_SOON
        assert published.about(oid)[-1].caused_by is None
        clock.advance(timedelta(days=1))


async def test_the_incremental_ledger_and_figures_equal_a_rebuild(
    settings: Settings,
    scoring_url: str,
    scoring_sessions: async_sessionmaker[AsyncSession],
    published: Published,
    nats_client: NatsClient,
) -> None:
    sfx = unique_suffix()
    plan = small_plan(sfx)
    clock = FixedClock(vn(2024, 10, 20, 10))
    district, communes = f"{DISTRICT}{sfx}", [f"{c}{sfx}" for c in COMMUNES]
    source = portal_document(district, vn(2024, 6, 5))
    events = [
        report(plan, f"ktht{sfx}", "Q2", vn(2024, 7, 1), done={"1.2", "8.1"}),
        report(plan, f"ktht{sfx}", "Q3", vn(2024, 10, 5), done={"1.2"}),
        report(plan, communes[0], "Q3", vn(2024, 9, 30), done={"1.1", "2.1", "6.1"}),
        report(plan, f"{FOCAL}{sfx}", "Q3", vn(2024, 10, 9), reporter="focal_unit"),
        evidence(plan, f"{FOCAL}{sfx}", "7.2", vn(2024, 10, 1)),
        found(portal_document(communes[1], vn(2024, 6, 20))),  # the copy, arriving first
        found(source),
        found(portal_document(district, vn(2024, 9, 3), kind="directive", section="directives")),  # type: ignore[arg-type]
        probe(district, vn(2024, 10, 19), sections_ok=["planning", "qa"], qa_active=True),
        probe(communes[0], vn(2024, 10, 18), sections_missing=["planning"], legal_links=False),
    ]
    async with running_scoring(settings, scoring_url, plan, clock) as svc:
        for event in events:
            await publish(nats_client, event)
        for event in events:  # and each again, redelivered
            await publish(nats_client, event, msg_id=f"again-{event.event_id}")
        last = events[-1]
        await eventually(lambda: published.indicators(last.event_id), 30)

        async def settled() -> bool:
            async with scoring_sessions() as session:
                rows = await session.scalar(select(func.count()).select_from(db.probes))
                return rows == 2 and not await svc.scorer.differences(session, clock.now())

        await eventually(settled, 30)
        async with scoring_sessions() as session, session.begin():
            summary = await svc.scorer.rebuild(session, clock.now())
        assert (summary.obligations_changed, summary.figures_changed) == (0, 0)

        # Lose the derived state: a rebuild from the projections brings it back, announcing
        # every obligation again (a notifier treats a repeat as the same obligation).
        async with scoring_sessions() as session, session.begin():
            await locks.lock(session)  # the running service must not refill them meanwhile
            await locks.lock_figures(session)
            await session.execute(db.obligations.delete())
            await session.execute(db.task_states.delete())
            await session.execute(db.figures.delete())
            summary = await svc.scorer.rebuild(session, clock.now())
        assert summary.obligations_changed > 0 and summary.figures_changed == 8
        async with scoring_sessions() as session:
            assert await svc.scorer.differences(session, clock.now()) == []
