"""Intake, started for real, on a plan with a half-year rule and a second focal tier: the focal
unit files its "6 tháng đầu năm" report, judged against the earliest rule asking for it; its
status lists every period the plan asks for, in due order."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

import pytest
import yaml

from intake.app import create_app
from minhbach.calendar import TZ
from minhbach.clock import FixedClock
from minhbach.settings import Settings
from tests.intake.builders import report_body
from tests.intake.conftest import RunningIntake
from tests.support.plans import plan_from_seed_data
from tests.support.servers import serving
from tests.support.tiers import SECOND_FOCAL_RULE, seed_with_rules

HALF_YEAR_RULES = """  - code: focal-half-year
    reporter: focal_unit
    period: half_year
    due_before_day: 20
    due_month: last
    recipient: chu-tich
    text: Báo cáo 6 tháng trước ngày 20/6
  - code: focal-half-year-pci
    reporter: focal_unit
    period: half_year
    due_before_day: 25
    due_month: last
    recipient: tckh
"""
NOW = datetime(2024, 6, 19, 15, 0, tzinfo=TZ)  # the last on-time day of the first rule


@pytest.fixture(scope="module")
async def half_year_intake(settings: Settings) -> AsyncIterator[RunningIntake]:
    data = yaml.safe_load(seed_with_rules(SECOND_FOCAL_RULE + HALF_YEAR_RULES))
    plan = plan_from_seed_data(data)
    clock = FixedClock(NOW)
    app = create_app(settings=settings, clock=clock, plan=plan)
    async with serving(app) as url:
        yield RunningIntake(url, app, clock, plan)


async def test_a_half_year_report_is_due_by_the_earliest_rule_asking_for_it(
    half_year_intake: RunningIntake, issue: Callable[[str], Awaitable[str]]
) -> None:
    plan = half_year_intake.plan
    focal = plan.roles.focal_unit
    body = report_body(plan, focal, "H1", reporter="focal_unit")
    async with half_year_intake.client(await issue(focal)) as client:
        response = await client.post("/api/v1/reports", json=body)
        assert response.status_code == 201, response.text
        receipt = response.json()
        assert receipt["period"] == "H1" and receipt["on_time"] is True
        # before 20/06/2024 (the Chairman's rule, earlier than the PCI unit's 25/06)
        assert datetime.fromisoformat(receipt["due_at"]) == datetime(2024, 6, 20, tzinfo=TZ)
        assert "6 tháng đầu năm 2024" in receipt["message"]

        status = (await client.get(f"/api/v1/units/{focal}/status")).json()
    focal_periods = [p for p in status["periods"] if p["reporter"] == "focal_unit"]
    # in due order: H1 before 20/06 comes before Q2 (before 04/07), the year (10/12) before H2
    assert [p["period"] for p in focal_periods] == ["Q1", "H1", "Q2", "Q3", "year", "H2", "Q4"]
    h1 = next(p for p in focal_periods if p["period"] == "H1")
    assert h1["status"] == "on_time" and h1["label"] == "Đã gửi đúng hạn"
    q3 = next(p for p in focal_periods if p["period"] == "Q3")
    # two focal quarterly rules: the PCI unit's "before 04/10" binds
    assert datetime.fromisoformat(q3["due_at"]) == datetime(2024, 10, 4, tzinfo=TZ)


async def test_a_period_no_rule_asks_for_is_refused_in_vietnamese(
    half_year_intake: RunningIntake, issue: Callable[[str], Awaitable[str]]
) -> None:
    plan = half_year_intake.plan
    focal = plan.roles.focal_unit
    body = report_body(plan, focal, "M9", reporter="focal_unit")
    async with half_year_intake.client(await issue(focal)) as client:
        response = await client.post("/api/v1/reports", json=body)
    assert response.status_code == 422, response.text
    assert "Kế hoạch không quy định báo cáo 9 tháng năm 2024" in response.text


async def test_the_form_offers_the_periods_the_plan_asks_for(
    half_year_intake: RunningIntake,
) -> None:
    async with half_year_intake.client() as client:
        page = (await client.get("/bao-cao")).text
    for label in ("Quý III năm 2024", "6 tháng đầu năm 2024", "6 tháng cuối năm 2024", "Năm 2024"):
        assert label in page
    assert "9 tháng năm 2024" not in page  # no rule asks for it
    assert "quý 3" not in page.lower()
