"""The coordinator's page names the plan's government from the plan: its login, the refusal
and the overview's deadline line (decision 0013)."""

from __future__ import annotations

import pytest

from minhbach.plan import load_plan
from minhbach.settings import REPO_ROOT
from reporting import messages as msg
from reporting.templates import environment

PLANS = ["luc-nam-2024", "bac-ninh-2026", "tan-ky-2026"]


@pytest.mark.parametrize("name", PLANS)
def test_login_and_refusal_name_the_plans_leadership(name: str) -> None:
    plan = load_plan(REPO_ROOT / "shared" / "plans" / f"{name}.yaml")
    html = (
        environment()
        .get_template("login.html")
        .render(prefix="/bao-cao-tong-hop", plan_title=plan.meta.title, words=plan.words, error="")
    )
    assert f"Trang dành cho đơn vị đầu mối và lãnh đạo {plan.meta.issuer}." in html
    refusal = msg.NOT_A_READER.format(leadership=plan.words.leadership)
    assert f"lãnh đạo {plan.meta.issuer};" in refusal
    if plan.meta.level != "district":
        assert "huyện" not in html + refusal
    kinds = {k: t.format(chairman=plan.chairman.name) for k, t in msg.DRAFT_KINDS.items()}
    assert kinds["consolidated_report"] == f"Báo cáo tổng hợp gửi {plan.chairman.name}"
