"""The focal unit's consolidated reports under several rules: each tier its own draft, key and
deadline (a second focal rule once silently replaced the first), and the data cut-off shown."""

from __future__ import annotations

from datetime import date, datetime

from minhbach.calendar import TZ
from minhbach.plan import default_plan_path, load_plan, parse_plan
from reporting.domain.consolidated import consolidated_report
from reporting.domain.schedule import report_periods
from reporting.render.document import Paragraph
from reporting.report_document import consolidated_document
from tests.support.tiers import seed_with_rules, two_focal_tiers


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def test_the_seed_keeps_one_draft_per_period_under_its_plain_key() -> None:
    plan = load_plan(default_plan_path())
    periods = report_periods(plan, plan.working_calendar())
    assert [p.key for p in periods] == ["2024-Q2", "2024-Q3", "2024-Q4", "2024-year"]
    assert {p.rule_code for p in periods} == {"focal-quarterly", "focal-yearly"}


def test_a_second_focal_rule_adds_its_own_drafts_and_keeps_the_first_rules_deadline() -> None:
    plan = two_focal_tiers()
    periods = report_periods(plan, plan.working_calendar())
    q3 = [p for p in periods if p.period == "Q3"]
    assert [(p.rule_code, p.key) for p in q3] == [
        ("focal-quarterly", "2024-Q3"),
        ("focal-quarterly-pci", "2024-Q3-focal-quarterly-pci"),
    ]
    chairman, pci = q3
    assert chairman.focal_due_at == vn(2024, 10, 10)  # the seed's deadline, not moved
    assert pci.focal_due_at == vn(2024, 10, 4)
    assert chairman.recipients == ("chu-tich",) and pci.recipients == ("tckh",)
    # Each drafts two working days before its own last day: Mon 07/10 and Tue 01/10.
    assert chairman.draft_from == vn(2024, 10, 7)
    assert pci.draft_from == vn(2024, 10, 1)
    assert len({p.key for p in periods}) == len(periods)


def test_the_data_cut_off_is_shown_in_the_consolidated_report() -> None:
    text = seed_with_rules("").replace(
        "    due_before_day: 10\n    due_before_month: null\n    recipient: chu-tich\n",
        "    due_before_day: 10\n    due_before_month: null\n    data_cutoff_day: 14\n"
        "    recipient: chu-tich\n",
    )
    plan = parse_plan(text)
    q3 = next(p for p in report_periods(plan, plan.working_calendar()) if p.period == "Q3")
    assert q3.data_span == (date(2024, 6, 15), date(2024, 9, 14))
    content = consolidated_report(plan, q3, [], {}, [], vn(2024, 10, 7, 9), "deadline")
    document = consolidated_document(plan, content, 1)
    texts = [block.text for block in document.blocks if isinstance(block, Paragraph)]
    assert "Số liệu báo cáo tính từ ngày 15/06/2024 đến ngày 14/09/2024." in texts
    assert "quý III năm 2024" in document.summary
