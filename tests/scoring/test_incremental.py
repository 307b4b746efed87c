"""The incremental path on real PostgreSQL ends where a rebuild ends: random histories applied
event by event, in shuffled orders and with repeats, leave the same ledger, task states and
figures as the pure derivation from the projections."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.events.base import Event
from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    DocumentKind,
    EvidenceSubmitted,
    ProbeFinished,
    ProbeOutcome,
    ReportSubmitted,
)
from minhbach.plan import Plan
from scoring import db
from scoring.scorer import Scorer
from tests.scoring.helpers import (
    COMMUNES,
    DISTRICT,
    changed,
    evidence,
    found,
    portal_document,
    probe,
    report,
    small_plan,
    vn,
)

START = vn(2024, 5, 1, 0)
NOW = vn(2024, 11, 5, 12)


def random_history(plan: Plan, rng: random.Random, size: int) -> list[Event]:
    leads = plan.lead_unit_codes_all()
    portals = [DISTRICT, *COMMUNES]
    tasks = [t.code for t in plan.tasks]

    def instant() -> object:
        return START + timedelta(hours=rng.randrange(0, 200 * 24))

    events: list[Event] = []
    for _ in range(size):
        pick = rng.random()
        if pick < 0.35:
            unit = rng.choice(leads)
            led = [t.code for t in plan.tasks_led_by(unit)]
            first = report(
                plan,
                unit,
                rng.choice(["Q2", "Q3", "Q4", "year"]),
                instant(),  # type: ignore[arg-type]
                done=rng.sample(led, rng.randrange(0, len(led) + 1)),
                reporter=rng.choice(["lead_units", "focal_unit"]),
            )
            events.append(first)
            if rng.random() < 0.3:
                events.append(
                    report(
                        plan,
                        unit,
                        first.period,
                        first.submitted_at + timedelta(days=rng.randrange(1, 20)),
                        done=rng.sample(led, rng.randrange(0, len(led) + 1)),
                        version_no=2,
                        report_id=first.report_id,
                        reporter=first.reporter,
                    )
                )
        elif pick < 0.5:
            events.append(evidence(plan, rng.choice(leads), rng.choice(tasks), instant()))  # type: ignore[arg-type]
        elif pick < 0.8:
            doc = portal_document(
                rng.choice(portals),
                instant(),  # type: ignore[arg-type]
                kind=rng.choice(list(DocumentKind)),
                section=rng.choice(["planning", "directives", "legal_documents"]),
                number=rng.choice([None, "1/KH-UBND", "2/QĐ-UBND", "3/CT-UBND"]),
                title=rng.choice(["Kế hoạch A", "Quyết định B"]),
                issued_on=rng.choice([None, date(2024, 5, 20), date(2024, 6, 3), date(2024, 9, 9)]),
                full_text=rng.random() < 0.7,
            )
            events.append(found(doc))
            if rng.random() < 0.3:
                later = doc.model_copy(
                    update={
                        "document_number": rng.choice([None, "1/KH-UBND", "4/KH-UBND"]),
                        "issued_on": rng.choice([None, date(2024, 6, 3), date(2024, 7, 1)]),
                    }
                )
                when = doc.first_seen_at + timedelta(hours=rng.randrange(0, 300))
                events.append(changed(later, when, ("document_number",)))
        else:
            sections = [s.code for s in plan.portal_sections]
            events.append(
                probe(
                    rng.choice(portals),
                    NOW - timedelta(hours=rng.randrange(0, 300)),
                    outcome=rng.choice(list(ProbeOutcome)),
                    sections_ok=rng.sample(sections, rng.randrange(0, 4)),
                    sections_missing=rng.sample(sections, rng.randrange(0, 3)),
                    qa_active=rng.choice([None, True, False]),
                    legal_links=rng.choice([None, True, False]),
                )
            )
    return events


async def apply(scorer: Scorer, session: AsyncSession, event: Event) -> None:
    if isinstance(event, ReportSubmitted):
        await scorer.on_report(session, event, NOW)
    elif isinstance(event, EvidenceSubmitted):
        await scorer.on_evidence(session, event, NOW)
    elif isinstance(event, DocumentFound | DocumentChanged):
        await scorer.on_document(session, event, NOW)
    elif isinstance(event, ProbeFinished):
        await scorer.on_probe(session, event, NOW)


@pytest.mark.parametrize("seed", range(6))
async def test_any_order_with_repeats_ends_where_a_rebuild_ends(
    seed: int, scoring_sessions: async_sessionmaker[AsyncSession]
) -> None:
    rng = random.Random(seed)
    plan = small_plan()
    scorer = Scorer(plan)
    history = random_history(plan, rng, 30)
    delivered = [*history, *rng.choices(history, k=len(history) // 3)]
    rng.shuffle(delivered)
    async with scoring_sessions() as session, session.begin():
        for table in (*db.PROJECTIONS, *db.DERIVED):
            await session.execute(table.delete())
        await scorer.tick(session, NOW)
    async with scoring_sessions() as session, session.begin():
        await scorer.refresh_figures(session, NOW)
    for event in delivered:
        async with scoring_sessions() as session, session.begin():
            await apply(scorer, session, event)
        if rng.random() < 0.3:  # figures are flushed after some events, as bursts end
            async with scoring_sessions() as session, session.begin():
                await scorer.flush_figures(session, NOW)
    async with scoring_sessions() as session, session.begin():
        await scorer.flush_figures(session, NOW)
    async with scoring_sessions() as session:
        assert await scorer.differences(session, NOW) == []
        derived = await scorer.derive_from_projections(session, NOW)
    assert any(f.readiness > 0 for f in derived.figures)
    assert any(ob.fulfilled_at for ob in derived.obligations)
