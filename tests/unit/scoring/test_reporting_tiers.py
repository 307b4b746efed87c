"""Several reporting tiers and recipients: each rule its own ledger entries and deadlines (the
focal unit's report to the Chairman and to the PCI focal unit), and periods as plans write them
(the last quarter folded into the annual report, half years)."""

from __future__ import annotations

from minhbach.events.catalogue import ObligationKind, ObligationStatus
from minhbach.plan import parse_plan
from scoring.domain.facts import report_fact
from scoring.domain.obligations import Obligation, ObligationRules
from tests.scoring.helpers import FOCAL, report, vn
from tests.support.tiers import seed_with_rules, two_focal_tiers


def by_id(obligations: list[Obligation]) -> dict[str, Obligation]:
    return {ob.obligation_id: ob for ob in obligations}


def test_two_focal_tiers_owe_two_obligations_each_on_its_own_deadline() -> None:
    plan = two_focal_tiers()
    rules = ObligationRules(plan)
    owed = by_id(rules.report_obligations(FOCAL, []))
    chairman = owed[f"report:focal-quarterly:{FOCAL}:2024:Q3"]
    pci = owed[f"report:focal-quarterly-pci:{FOCAL}:2024:Q3"]
    assert chairman.due_at == vn(2024, 10, 10, 0)  # the seed's deadline, unmoved
    assert pci.due_at == vn(2024, 10, 4, 0)  # before 04/10: by the end of Thu 03/10
    assert "Chủ tịch" in chairman.title
    assert plan.unit("tckh").name in pci.title
    assert pci.kind == chairman.kind == ObligationKind.FOCAL_QUARTERLY_REPORT


def test_one_consolidated_report_answers_both_tiers_each_judged_by_its_deadline() -> None:
    plan = two_focal_tiers()
    rules = ObligationRules(plan)
    filed = report(plan, FOCAL, "Q3", vn(2024, 10, 7), reporter="focal_unit")
    owed = by_id(rules.report_obligations(FOCAL, [report_fact(filed)]))
    later = vn(2024, 12, 1)
    assert owed[f"report:focal-quarterly:{FOCAL}:2024:Q3"].status(later) == (
        ObligationStatus.FULFILLED_ON_TIME
    )
    assert owed[f"report:focal-quarterly-pci:{FOCAL}:2024:Q3"].status(later) == (
        ObligationStatus.FULFILLED_LATE
    )


def test_a_folded_last_quarter_is_owed_only_through_the_annual_report() -> None:
    text = seed_with_rules("").replace(
        "    due_before_day: 10\n    due_before_month: null\n    recipient: chu-tich\n",
        "    due_before_day: 10\n    due_before_month: null\n    fold_last_into_year: true\n"
        "    recipient: chu-tich\n",
    )
    rules = ObligationRules(parse_plan(text))
    periods = {
        ob.period for ob in rules.report_obligations(FOCAL, []) if ob.kind.startswith("focal")
    }
    assert periods == {"Q2", "Q3", "year"}  # Q1 ended before the plan took effect; Q4 folded


def test_half_year_reports_are_periodic_obligations_with_their_name() -> None:
    extra = """  - code: focal-half-year
    reporter: focal_unit
    period: half_year
    due_before_day: 20
    due_month: last
    recipient: chu-tich
"""
    rules = ObligationRules(parse_plan(seed_with_rules(extra)))
    owed = by_id(rules.report_obligations(FOCAL, []))
    h2 = owed[f"report:focal-half-year:{FOCAL}:2024:H2"]
    assert h2.kind == ObligationKind.FOCAL_PERIODIC_REPORT
    assert h2.due_at == vn(2024, 12, 20, 0)  # before 20/12: by the end of Thu 19/12
    assert "6 tháng cuối năm 2024" in h2.title
    assert f"report:focal-half-year:{FOCAL}:2024:H1" in owed  # ends 30/06, after 01/05
