"""Across services, on real NATS JetStream and PostgreSQL: a report filed through the real intake
and a district document found by the real portal-monitor (on the portal simulator) move the right
indicator and fulfil the right obligations in scoring."""

from __future__ import annotations

import uuid
from contextlib import AsyncExitStack
from datetime import date, timedelta

import httpx
import pytest
from nats.aio.client import Client as NatsClient
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from intake.app import create_app as create_intake
from intake.auth import issue_token
from minhbach.clock import FixedClock
from minhbach.events.catalogue import (
    DocumentFound,
    IndicatorChanged,
    ObligationStatus,
    ReportSubmitted,
    parse_event,
)
from minhbach.settings import Settings
from minhbach_dev.portal_simulator import PortalSimulator, portals_from_plan
from minhbach_dev.portal_simulator.content import TEMPLATES, item_from
from minhbach_dev.portal_simulator.scenario import portal_origin
from portal_monitor import db as pm_db
from portal_monitor.app import create_app as create_portal_monitor
from tests.intake.builders import report_body
from tests.scoring.conftest import Published, running_scoring
from tests.scoring.helpers import COMMUNES, DISTRICT, small_plan, unique_suffix, vn
from tests.support.servers import eventually, serving

NOW = vn(2024, 10, 1, 9)  # Tuesday: Q3 reports are due before 02/10, so this one is on time
ISSUED = date(2024, 9, 30)


@pytest.mark.slow
async def test_intake_report_and_portal_document_move_indicators_and_fulfil_obligations(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    scoring_url: str,
    published: Published,
    nats_client: NatsClient,
) -> None:
    sfx = unique_suffix()
    plan = small_plan(sfx)
    clock = FixedClock(NOW)
    district, (commune_with, commune_without) = f"{DISTRICT}{sfx}", [f"{c}{sfx}" for c in COMMUNES]
    lead = f"ktht{sfx}"  # leads 1.2 (indicator 1) among others

    # The simulator: every portal of the plan; a new district planning document (issued
    # yesterday) that one commune reposts and the other does not.
    portals = portals_from_plan(plan, NOW.date(), items_per_section=1)
    by_code = {p.code: p for p in portals}
    title_t, number_t = TEMPLATES["planning"][0]
    number = 700 + uuid.uuid4().int % 200
    original = item_from(90001, title_t, number_t, number, ISSUED, plan.unit(district).name)
    copy = item_from(90002, title_t, number_t, number, ISSUED, plan.unit(district).name)
    for code, item in ((district, original), (commune_with, copy)):
        next(s for s in by_code[code].sections if s.code == "planning").items.insert(0, item)
    simulator = await PortalSimulator(portals, elapsed=lambda: 0.0).start()
    address_map = {
        portal_origin(u.portal): simulator.origin(u.code)
        for u in plan.portal_units()
        if u.portal is not None
    }
    monitor_settings = settings.model_copy(
        update={
            "portal_address_map": address_map,
            "portal_min_delay_seconds": 0.0,
            "portal_schedule_tick_seconds": 0.2,
            "portal_fetch_retry_seconds": 0.05,
            "portal_request_timeout_seconds": 3.0,
        }
    )
    reports: list[ReportSubmitted] = []
    documents: list[DocumentFound] = []

    async def keep_inputs(msg: object) -> None:
        event = parse_event(msg.subject, msg.data)  # type: ignore[attr-defined]
        if isinstance(event, ReportSubmitted) and event.unit_code == lead:
            reports.append(event)
        if isinstance(event, DocumentFound) and event.document.portal_unit_code.endswith(sfx):
            documents.append(event)

    js = nats_client.jetstream()
    subs = [
        await js.subscribe(subject, cb=keep_inputs, ordered_consumer=True)
        for subject in (ReportSubmitted.subject, DocumentFound.subject)
    ]
    token = await issue_token(sessions, lead, keep_others=True)
    # Monitoring of these portals began a week ago (a deployment already running): documents
    # issued since have a knowable posting time (issue 12: not those issued before).
    async with sessions() as session, session.begin():
        await session.execute(
            pg_insert(pm_db.portal_state).values(
                [
                    {
                        "unit_code": u.code,
                        "portal_url": u.portal,
                        "next_probe_at": NOW,
                        "failed_attempts": 0,
                        "monitoring_since": NOW - timedelta(days=7),
                    }
                    for u in plan.portal_units()
                ]
            )
        )

    async with AsyncExitStack() as stack:
        stack.push_async_callback(simulator.stop)
        for sub in subs:
            stack.push_async_callback(sub.unsubscribe)
        svc = await stack.enter_async_context(running_scoring(settings, scoring_url, plan, clock))
        intake_url = await stack.enter_async_context(
            serving(create_intake(settings=settings, clock=clock, plan=plan))
        )
        await stack.enter_async_context(
            serving(create_portal_monitor(settings=monitor_settings, clock=clock, plan=plan))
        )

        # 1. The district document, found by portal-monitor, owed on both commune portals:
        # carried on time by one, not (yet) by the other: due soon at once, since the posting
        # window (5 working days) is shorter than the first reminder offset (7).
        def the_original() -> DocumentFound | None:
            return next(
                (
                    d
                    for d in documents
                    if d.document.portal_unit_code == district
                    and d.document.document_number == f"{number}/KH-UBND"
                ),
                None,
            )

        found = await eventually(the_original, timeout=90)
        assert found.document.kind == "planning" and found.document.issued_on == ISSUED
        source = found.document.document_id
        carried = f"copy:{source}:{commune_with}"
        await eventually(lambda: any(e.fulfilled_at for e in published.about(carried)), timeout=90)
        assert published.about(carried)[-1].status == ObligationStatus.FULFILLED_ON_TIME
        not_carried = await eventually(
            lambda: published.about(f"copy:{source}:{commune_without}"), timeout=30
        )
        assert not_carried[-1].status == ObligationStatus.DUE_SOON
        assert not_carried[-1].fulfilled_at is None
        own = await eventually(lambda: published.about(f"post:{source}"), timeout=30)
        assert own[-1].status == ObligationStatus.FULFILLED_ON_TIME
        assert own[-1].unit_code == district and own[-1].caused_by == found.event_id

        # Indicator 1 (planning documents posted on time) moved because of a found document.
        def moved_by_documents() -> list[IndicatorChanged]:
            ids = {d.event_id for d in documents}
            return [
                e
                for e in published.events
                if isinstance(e, IndicatorChanged)
                and e.indicator == 1
                and ids & set(e.caused_by_events)
            ]

        assert await eventually(moved_by_documents, timeout=60)
        indicator = await svc.get("/api/v1/indicators/1")
        posted = next(s for s in indicator["signals"] if s["code"] == "documents_posted_on_time")
        assert any(
            item["ok"]
            and f"{number}/KH-UBND" in item["label"]
            and plan.unit(commune_with).name in item["label"]
            for item in posted["items"]
        )

        # 2. A report filed through intake fulfils the unit's Q3 report and moves indicator 1.
        async with httpx.AsyncClient(
            base_url=intake_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            response = await client.post("/api/v1/reports", json=report_body(plan, lead, "Q3"))
        assert response.status_code == 201, response.text
        (filed,) = await eventually(lambda: reports, timeout=60)
        oid = f"report:lead-quarterly:{lead}:2024:Q3"
        await eventually(lambda: any(e.fulfilled_at for e in published.about(oid)), 60)
        done = published.about(oid)[-1]
        assert done.status == ObligationStatus.FULFILLED_ON_TIME
        assert done.caused_by == filed.event_id
        by_report = await eventually(lambda: published.indicators(filed.event_id), 60)
        assert 1 in {e.indicator for e in by_report}
        one = next(e for e in by_report if e.indicator == 1)
        tasks = next(s for s in one.signals if s.name == "tasks_reported_done")
        assert tasks.value > 0 and tasks.has_data
        # The figure is the weighted mean of the signals with data (decision 0014): a first
        # report may pull it down from signals that were all met so far; that is news too.
        known = [s for s in one.signals if s.has_data]
        share = sum(s.value * s.weight for s in known) / sum(s.weight for s in known)
        assert one.readiness == pytest.approx(share, abs=1e-6) and one.previous is not None
        page = await svc.get("/api/v1/obligations", unit=lead, period="Q3")
        assert [i["status"] for i in page["items"]] == ["fulfilled_on_time"]
