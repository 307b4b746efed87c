"""The readiness model and unit records, pure: each signal from its evidence, weights from the
plan, figures in [0, 1], and a ranking."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest

from minhbach.events.base import Event
from minhbach.events.catalogue import DocumentKind, ProbeOutcome
from minhbach.plan import Plan
from scoring import messages
from scoring.domain.derive import derive
from scoring.domain.facts import Facts
from scoring.domain.readiness import IndicatorFigure, ReadinessModel, SignalFigure
from scoring.domain.records import records_from_obligations
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
    vn,
)

NOW = vn(2024, 10, 20, 12)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return small_plan()


@pytest.fixture(scope="module")
def model(plan: Plan) -> ReadinessModel:
    return ReadinessModel(plan)


def figures(model: ReadinessModel, events: Sequence[Event]) -> dict[int, IndicatorFigure]:
    derived = derive(model, Facts.from_events(events), NOW)
    return {f.indicator: f for f in derived.figures}


def signal(figure: IndicatorFigure, code: str) -> SignalFigure:
    return next(s for s in figure.signals if s.code == code)


def test_nothing_shown_is_not_known_and_says_why(model: ReadinessModel, plan: Plan) -> None:
    found_figures = figures(model, [])
    assert set(found_figures) == {i.number for i in plan.indicators}
    for figure in found_figures.values():
        assert figure.readiness == 0 and not figure.has_data
        assert all(not s.has_data and s.missing for s in figure.signals)
        assert all(s.evidence == messages.no_data(s.missing) for s in figure.signals)
    no_docs = signal(found_figures[1], "documents_posted_on_time")
    assert no_docs.missing == messages.MISSING_NO_DOCUMENT
    assert model.overall(tuple(found_figures.values())).readiness == 0


def test_a_signal_without_data_is_left_out_and_the_weights_renormalised(
    model: ReadinessModel, plan: Plan
) -> None:
    """Indicator 6: its portal signals. COMMUNES[1] is never probed: counted nowhere (not as
    failed); a signal no probe looked at has no data and weighs nothing."""
    probes = [
        probe(DISTRICT, NOW - timedelta(hours=2), qa_active=True, legal_links=True),
        probe(COMMUNES[0], NOW - timedelta(hours=1), qa_active=False, legal_links=True),
    ]
    figure = figures(model, probes)[6]
    weights = plan.indicator(6).readiness_weights
    known = {s.code: s.value for s in figure.signals if s.has_data}
    unknown = [s for s in figure.signals if not s.has_data]
    assert unknown, "the seed's indicator 6 has a signal no probe can give"
    expected = sum(known[c] * weights[c] for c in known) / sum(weights[c] for c in known)
    assert figure.readiness == pytest.approx(expected, abs=1e-6)
    assert figure.readiness > sum(known[c] * weights[c] for c in known)  # not weighed as 0
    for missing in unknown:
        assert missing.missing and missing.evidence.startswith(messages.NO_DATA)
    qa = signal(figure, "qa_active")
    assert qa.value == pytest.approx(1 / 2)  # of the two probed portals, not of three
    never = [i for i in qa.items if plan.unit(COMMUNES[1]).name in i.label]
    assert [i.ok for i in never] == [None] and messages.SECTION_NO_PROBE in never[0].label


def test_tasks_reported_done_counts_task_and_lead_unit_pairs(
    model: ReadinessModel, plan: Plan
) -> None:
    # Indicator 5: 5.1 led by tu-phap; 5.2 led by the five departments and two communes: 8 pairs.
    pairs = [(t.code, u) for t in plan.tasks_of_indicator(5) for u in plan.lead_unit_codes(t.code)]
    assert len(pairs) == 8
    events = [
        report(plan, "tu-phap", "Q3", vn(2024, 10, 1), done={"5.1", "5.2"}),
        report(plan, "ktht", "Q3", vn(2024, 10, 1), done={"5.2"}),
        # The latest report counts: ktht said done in Q3 but not any more in this amendment.
        report(plan, COMMUNES[0], "Q3", vn(2024, 10, 1), done={"5.2"}),
        report(plan, COMMUNES[0], "Q3", vn(2024, 10, 2), done=set()),
    ]
    figure = figures(model, events)[5]
    done = signal(figure, "tasks_reported_done")
    assert done.value == pytest.approx(3 / 8)
    assert done.evidence.startswith("3/8")
    # The indicator's other signals have no data yet: the readiness is this signal's share.
    assert all(not s.has_data for s in figure.signals if s.code != "tasks_reported_done")
    assert figure.readiness == pytest.approx(3 / 8)


def test_documents_posted_on_time_reads_the_ledger(model: ReadinessModel) -> None:
    on_time = portal_document(DISTRICT, vn(2024, 6, 5))
    late_copy = portal_document(COMMUNES[0], vn(2024, 6, 20))
    figure = figures(model, [found(on_time), found(late_copy)])[1]
    posted = signal(figure, "documents_posted_on_time")
    # The district's own posting and its copy on COMMUNES[0] (late): the commune's own posting
    # of the copy (late) and the copy missing on COMMUNES[1] (overdue): 1 of 4.
    assert posted.value == pytest.approx(1 / 4)
    assert "1 đăng muộn" not in posted.evidence
    assert "2 đăng muộn, 1 quá hạn" in posted.evidence
    assert len(posted.items) == 4


def test_sections_present_and_fresh_from_the_latest_probe_that_reached_the_portal(
    model: ReadinessModel, plan: Plan
) -> None:
    earlier = probe(DISTRICT, NOW - timedelta(days=2), sections_ok=["planning"])
    down = probe(DISTRICT, NOW - timedelta(days=1), outcome=ProbeOutcome.UNREACHABLE)
    commune = probe(COMMUNES[0], NOW - timedelta(days=1), sections_missing=["planning"])
    figure = figures(model, [earlier, down, commune])[1]
    sections = signal(figure, "sections_present_fresh")
    # COMMUNES[1] never probed: listed "chưa kiểm tra", counted in neither term.
    assert sections.value == pytest.approx(1 / 2)
    labels = {i.label: i.ok for i in sections.items}
    assert any(messages.SECTION_MISSING in label for label in labels)
    assert [ok for label, ok in labels.items() if messages.SECTION_NO_PROBE in label] == [None]


def test_portal_availability_over_the_last_week(model: ReadinessModel) -> None:
    probes = [
        probe(DISTRICT, NOW - timedelta(days=1)),
        probe(DISTRICT, NOW - timedelta(days=2), outcome=ProbeOutcome.UNREACHABLE),
        probe(DISTRICT, NOW - timedelta(days=10), outcome=ProbeOutcome.UNREACHABLE),
        probe(COMMUNES[0], NOW - timedelta(hours=1), outcome=ProbeOutcome.PARTIAL),
    ]
    figure = figures(model, probes)[6]
    available = signal(figure, "portal_available")
    # District 1 of 2 within the week, COMMUNES[0] 1 of 1, COMMUNES[1] never probed (not
    # counted: not known to be down): (0.5+1)/2.
    assert available.value == pytest.approx(0.75)


def test_qa_and_legal_links(model: ReadinessModel) -> None:
    probes = [
        probe(DISTRICT, NOW, qa_active=True, legal_links=True),
        probe(COMMUNES[0], NOW, qa_active=False, legal_links=True),
    ]
    result = figures(model, probes)
    assert signal(result[6], "qa_active").value == pytest.approx(1 / 2)
    assert signal(result[5], "legal_links_present").value == pytest.approx(1)


def test_directive_section_clean(model: ReadinessModel) -> None:
    directive = DocumentKind.DIRECTIVE
    docs = [
        portal_document(DISTRICT, NOW, number="1/CT-UBND", kind=directive, section="directives"),
        portal_document(
            DISTRICT, NOW, number="2/CT-UBND", full_text=False, kind=directive, section="directives"
        ),
        portal_document(
            DISTRICT, NOW, number="3/TB-UBND", kind=DocumentKind.OTHER, section="directives"
        ),
    ]
    clean = signal(figures(model, [found(d) for d in docs])[4], "directive_section_clean")
    assert clean.value == pytest.approx(1 / 3)


def test_fixed_deadline_met(model: ReadinessModel, plan: Plan) -> None:
    before = signal(figures(model, [])[7], "fixed_deadline_met")
    assert before.value == 0 and before.has_data is (before.missing == "")
    after = figures(model, [evidence(plan, FOCAL, "7.2", vn(2024, 10, 1))])[7]
    met = signal(after, "fixed_deadline_met")
    assert met.value == 1 and met.has_data
    known = [s for s in after.signals if s.has_data]
    assert after.readiness == pytest.approx(
        sum(s.value * s.weight for s in known) / sum(s.weight for s in known)
    )


def test_overall_readiness_next_to_the_target(model: ReadinessModel, plan: Plan) -> None:
    derived = derive(
        model,
        Facts.from_events([evidence(plan, FOCAL, "7.2", vn(2024, 10, 1))]),
        NOW,
    )
    overall = model.overall(derived.figures)
    known = [f.readiness for f in derived.figures if f.has_data]
    assert known and len(known) < len(derived.figures)  # the others are not zeros
    assert overall.readiness == pytest.approx(sum(known) / len(known))
    assert overall.target_share == pytest.approx(0.7)
    assert overall.meets_target_share is None  # not to be said while indicators are unknown


def test_records_rank_units_by_what_fell_due(plan: Plan, model: ReadinessModel) -> None:
    events = [
        report(plan, "ktht", "Q2", vn(2024, 7, 1)),
        report(plan, "ktht", "Q3", vn(2024, 10, 1)),
        report(plan, "tckh", "Q2", vn(2024, 7, 1)),
        report(plan, "tckh", "Q3", vn(2024, 10, 5)),  # late
        report(plan, "tu-phap", "Q2", vn(2024, 7, 5)),  # late; Q3 missed
        probe(DISTRICT, NOW, sections_ok=["planning"], sections_missing=["qa"]),
    ]
    facts = Facts.from_events(events)
    derived = derive(model, facts, NOW)
    ranked = records_from_obligations(plan, derived.obligations, facts.probes, NOW)
    records = {r.unit_code: r for r in ranked}
    assert records["ktht"].score == 1.0 and records["ktht"].rank == 1
    assert records["tckh"].score == pytest.approx(0.75) and records["tckh"].rank == 2
    assert records["tu-phap"].score == pytest.approx(0.25)
    assert records["tu-phap"].counts.overdue == 1
    assert records["tu-phap"].counts.fulfilled_late == 1
    # The district's portal: 2 checks passed of 3 (planning present and fresh, qa missing).
    assert (records[DISTRICT].checks_passed, records[DISTRICT].checks_total) == (2, 3)
    assert records[DISTRICT].score == pytest.approx(2 / 3)
    assert "chu-tich" not in records  # owes nothing, runs no portal
    ranks = [r.rank for r in records.values() if r.rank is not None]
    assert sorted(ranks)[0] == 1
