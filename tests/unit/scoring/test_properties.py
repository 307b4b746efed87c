"""Properties of the pure derivation (hypothesis): figures and scores stay in [0, 1], and the
order events arrive in, or an event arriving twice, never changes the result."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minhbach.events.base import Event
from minhbach.events.catalogue import DocumentKind, ProbeOutcome
from minhbach.plan import Plan
from scoring.domain.derive import derive
from scoring.domain.facts import Facts
from scoring.domain.readiness import ReadinessModel
from scoring.domain.records import records_from_obligations
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

PLAN: Plan = small_plan()
MODEL = ReadinessModel(PLAN)
START = vn(2024, 5, 1, 0)
NOW = vn(2024, 12, 15, 12)
LEADS = PLAN.lead_unit_codes_all()
PORTALS = (DISTRICT, *COMMUNES)
TASKS = tuple(t.code for t in PLAN.tasks)

instants = st.integers(min_value=0, max_value=260 * 24).map(lambda h: START + timedelta(hours=h))
recent = st.integers(min_value=0, max_value=14 * 24).map(lambda h: NOW - timedelta(hours=h))


@st.composite
def reports(draw: st.DrawFn) -> list[Event]:
    unit = draw(st.sampled_from(LEADS))
    led = [t.code for t in PLAN.tasks_led_by(unit)]
    first = report(
        PLAN,
        unit,
        draw(st.sampled_from(["Q2", "Q3", "Q4", "year"])),
        draw(instants),
        done=draw(st.sets(st.sampled_from(led))),
        reporter=draw(st.sampled_from(["lead_units", "focal_unit"])),
    )
    if not draw(st.booleans()):
        return [first]
    amended = report(
        PLAN,
        unit,
        first.period,
        first.submitted_at + timedelta(hours=draw(st.integers(1, 500))),
        done=draw(st.sets(st.sampled_from(led))),
        version_no=2,
        report_id=first.report_id,
        reporter=first.reporter,
    )
    return [first, amended]


@st.composite
def evidences(draw: st.DrawFn) -> list[Event]:
    unit = draw(st.sampled_from(LEADS))
    return [evidence(PLAN, unit, draw(st.sampled_from(TASKS)), draw(instants))]


@st.composite
def documents(draw: st.DrawFn) -> list[Event]:
    doc = portal_document(
        draw(st.sampled_from(PORTALS)),
        draw(instants),
        kind=draw(st.sampled_from(list(DocumentKind))),
        section=draw(st.sampled_from(["planning", "directives", "legal_documents"])),
        number=draw(st.sampled_from([None, "1/KH-UBND", "2/QĐ-UBND"])),
        title=draw(st.sampled_from(["Kế hoạch A", "Quyết định B"])),
        issued_on=draw(st.one_of(st.none(), st.dates(date(2024, 4, 1), date(2024, 12, 31)))),
        full_text=draw(st.booleans()),
    )
    events: list[Event] = [found(doc)]
    if draw(st.booleans()):
        later = doc.model_copy(
            update={
                "title": draw(st.sampled_from(["Kế hoạch A", "Kế hoạch C"])),
                "issued_on": draw(
                    st.one_of(st.none(), st.dates(date(2024, 5, 1), date(2024, 12, 1)))
                ),
            }
        )
        when = doc.first_seen_at + timedelta(hours=draw(st.integers(0, 100)))
        events.append(changed(later, when, ("title",)))
    return events


@st.composite
def probes(draw: st.DrawFn) -> list[Event]:
    sections = st.sets(st.sampled_from([s.code for s in PLAN.portal_sections]))
    return [
        probe(
            draw(st.sampled_from(PORTALS)),
            draw(recent),
            outcome=draw(st.sampled_from(list(ProbeOutcome))),
            sections_ok=draw(sections),
            sections_missing=draw(sections),
            qa_active=draw(st.one_of(st.none(), st.booleans())),
            legal_links=draw(st.one_of(st.none(), st.booleans())),
        )
    ]


histories = st.lists(st.one_of(reports(), evidences(), documents(), probes()), max_size=25).map(
    lambda groups: [event for group in groups for event in group]
)

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(events=histories, now=st.one_of(st.just(NOW), instants))
def test_figures_and_scores_stay_between_zero_and_one(events: list[Event], now: datetime) -> None:
    facts = Facts.from_events(events)
    derived = derive(MODEL, facts, now)
    for figure in derived.figures:
        assert 0.0 <= figure.readiness <= 1.0
        assert all(0.0 <= s.value <= 1.0 for s in figure.signals)
        assert abs(sum(s.weight for s in figure.signals) - 1.0) < 1e-9
    overall = MODEL.overall(derived.figures)
    assert 0.0 <= overall.readiness <= 1.0
    for record in records_from_obligations(PLAN, derived.obligations, facts.probes, now):
        assert record.score is None or 0.0 <= record.score <= 1.0


@PROPERTY
@given(data=st.data(), events=histories)
def test_order_and_duplicates_do_not_change_the_result(
    data: st.DataObject, events: list[Event]
) -> None:
    reordered = data.draw(st.permutations(events))
    repeated = data.draw(st.lists(st.sampled_from(events), max_size=10)) if events else []
    at_once = derive(MODEL, Facts.from_events(events), NOW)
    shuffled = derive(MODEL, Facts.from_events([*reordered, *repeated]), NOW)
    assert shuffled == at_once


def test_a_changed_document_keeps_its_first_sighting() -> None:
    doc = portal_document(DISTRICT, vn(2024, 6, 4))
    later = doc.model_copy(update={"title": "Kế hoạch đã sửa", "first_seen_at": vn(2024, 6, 9)})
    events: list[Event] = [changed(later, vn(2024, 6, 9), ("title",)), found(doc)]
    (fact,) = Facts.from_events(events).documents
    assert fact.title == "Kế hoạch đã sửa"
    assert fact.first_seen_at == vn(2024, 6, 4)
    assert fact.document_id == doc.document_id
    assert isinstance(fact.document_id, uuid.UUID)
