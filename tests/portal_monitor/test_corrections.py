"""A person corrects a document's kind (issue 19): the correction wins over the rules on every
re-probe, task 4.1 follows it, the change leaves as `portal.document.changed` (what scoring
consumes), and the corrections export as labelled examples for the classifier's next version."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
import nats.errors
from nats.aio.client import Client as NatsClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.clock import FixedClock
from minhbach.events.catalogue import DocumentChanged, DocumentFound, ProbeFinished
from minhbach.settings import Settings
from minhbach_dev.portal_simulator.content import SimItem
from portal_monitor import db, store
from portal_monitor.app import create_app
from portal_monitor.service import ProbeReport, probe_portal
from tests.portal_monitor.helpers import (
    T0,
    fast_settings,
    make_plan,
    probe_deps,
    simulated,
    unit_code,
)
from tests.support.servers import eventually, serving


def _directive_check(report: ProbeReport | None) -> tuple[bool, str, tuple[str, ...]]:
    assert report is not None
    (finished,) = [e for e in report.events if isinstance(e, ProbeFinished)]
    found = [c for c in finished.checks if c.check == "directive_section_clean"]
    assert len(found) == 1, [(c.check, c.section, c.passed, c.detail) for c in finished.checks]
    (check,) = found
    return check.passed, check.detail, check.items


async def test_a_corrected_kind_wins_on_every_reprobe_and_is_exported(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    plan = make_plan(communes=1)
    clock = FixedClock(T0)
    title = f"Triển khai nhiệm vụ trọng tâm sau Tết Nguyên đán, đợt {uuid.uuid4().hex[:6]}"
    item_id = 8_000_000 + uuid.uuid4().int % 900_000
    async with simulated(plan) as world, probe_deps(world, sessions, clock) as deps:
        unit = unit_code(plan, "xa-1")
        section = world.portal("xa-1").section("directives")
        section.items.insert(0, SimItem(item_id, title, None, T0.date(), "Trích yếu", "UBND xã"))
        world.simulator.changed()

        # The rules guess (no type, no rule: "other"): listed for review, not accused.
        first = await probe_portal(deps, unit)
        passed, detail, items = _directive_check(first)
        assert title not in items and "Cần xem xét" in detail and title in detail
        assert first is not None
        (found,) = [
            e.document
            for e in first.events
            if isinstance(e, DocumentFound) and e.document.title == title
        ]
        assert (found.kind, found.matched_rule) == ("other", "other")

        # The focal unit says it is a directive.
        async with sessions() as session, session.begin():
            units = await store.correct_kind(
                session, found.document_id, "directive", "Văn phòng UBND huyện", None, clock.now()
            )
        assert units == [unit]
        async with sessions() as session:
            due = await session.scalar(
                select(db.portal_state.c.next_probe_at).where(db.portal_state.c.unit_code == unit)
            )
        assert due == clock.now(), "the portal posting it is probed next"

        clock.advance(timedelta(minutes=5))
        second = await probe_portal(deps, unit)
        assert second is not None
        changes = [
            e
            for e in second.events
            if isinstance(e, DocumentChanged) and e.document.document_id == found.document_id
        ]
        (changed,) = [e for e in changes if "kind" in e.changed_fields]
        assert (changed.document.kind, changed.document.matched_rule) == ("directive", "correction")
        # The posting's task 4.1 verdict follows (unknown before: an item to review), so scoring
        # and reporting, which read it, follow the correction too.
        (verdict,) = [e for e in changes if e.changed_fields == ("not_directive",)]
        assert found.in_directive_section_not_directive is None
        assert verdict.document.in_directive_section_not_directive is False
        assert verdict.document.kind == "directive"
        assert verdict.document.first_seen_at == found.first_seen_at
        passed, detail, items = _directive_check(second)
        assert passed and title not in items and title not in detail, detail

        # Kept across re-probes: nothing changes again.
        section.items.insert(
            0,
            SimItem(
                item_id + 1, "Chỉ thị về cải cách hành chính", "07/CT-UBND", T0.date(), "", "UBND"
            ),
        )
        world.simulator.changed()
        clock.advance(timedelta(hours=2))
        third = await probe_portal(deps, unit)
        assert third is not None
        assert not [
            e
            for e in third.events
            if isinstance(e, DocumentChanged) and e.document.document_id == found.document_id
        ]

        async with sessions() as session:
            lines = await store.labelled_examples(session)
        mine = [line.split("\t") for line in lines if line.startswith(title)]
        assert mine == [[title, "directives", "directive", "", found.url]]


async def test_the_correction_route_over_http_reaches_jetstream(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], nats_client: NatsClient
) -> None:
    """The service itself: a person posts the correction; the portal is probed again at once
    and `portal.document.changed` with the corrected kind leaves on JetStream."""
    plan = make_plan(communes=1)
    clock = FixedClock(T0)
    unit = unit_code(plan, "xa-1")
    title = f"Triển khai nhiệm vụ sau Tết, đợt {uuid.uuid4().hex[:6]}"
    async with simulated(plan) as world:
        world.portal("xa-1").section("directives").items.insert(
            0, SimItem(8_990_000 + uuid.uuid4().int % 9_000, title, None, T0.date(), "", "UBND")
        )
        world.simulator.changed()
        config = fast_settings(settings, world)
        async with serving(create_app(settings=config, clock=clock, plan=plan)) as base:
            document_id = await eventually(lambda: _document_id(sessions, title), timeout=60)
            async with httpx.AsyncClient() as client:
                wrong = await client.post(
                    f"{base}/documents/{document_id}/kind",
                    json={"kind": "zoning", "corrected_by": "Văn phòng"},
                )
                unknown = await client.post(
                    f"{base}/documents/{uuid.uuid4()}/kind",
                    json={"kind": "directive", "corrected_by": "Văn phòng"},
                )
                done = await client.post(
                    f"{base}/documents/{document_id}/kind",
                    json={"kind": "directive", "corrected_by": "Văn phòng", "note": "Kế hoạch"},
                )
            assert wrong.status_code == 422 and "zoning" in wrong.text
            assert unknown.status_code == 404
            assert done.status_code == 200 and done.json()["reprobed"] == [unit]
            changed = await eventually(
                lambda: _changed_on_jetstream(nats_client, document_id), timeout=60
            )
            assert (changed["kind"], changed["matched_rule"]) == ("directive", "correction")
            async with httpx.AsyncClient() as client:
                exported = (await client.get(f"{base}/corrections.tsv")).text
            assert f"{title}\tdirectives\tdirective\t\t" in exported


async def _document_id(sessions: async_sessionmaker[AsyncSession], title: str) -> str | None:
    async with sessions() as session:
        found = await session.scalar(
            select(db.documents.c.document_id).where(db.documents.c.title == title)
        )
    return None if found is None else str(found)


async def _changed_on_jetstream(nats_client: NatsClient, document_id: str) -> dict[str, Any] | None:
    js = nats_client.jetstream()
    sub = await js.subscribe("portal.document.changed", ordered_consumer=True)
    try:
        while True:
            try:
                msg = await sub.next_msg(timeout=1.0)
            except nats.errors.TimeoutError:
                return None
            document: dict[str, Any] = json.loads(msg.data)["document"]
            if document["document_id"] == document_id and document["kind"] == "directive":
                return document
    finally:
        await sub.unsubscribe()
