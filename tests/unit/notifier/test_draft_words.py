"""A draft's e-mail subject names the plan's chairman unit, not a level written in code."""

from __future__ import annotations

from minhbach.plan import load_plan
from minhbach.settings import REPO_ROOT
from notifier.messages import draft_subject


def test_the_subject_names_the_plans_chairman() -> None:
    for name, chairman in (("luc-nam-2024", "Chủ tịch UBND huyện"), ("bac-ninh-2026", None)):
        plan = load_plan(REPO_ROOT / "shared" / "plans" / f"{name}.yaml")
        subject = draft_subject("consolidated_report", 2, plan.chairman.name)
        assert subject == (
            f"[Minh Bạch] Dự thảo báo cáo tổng hợp gửi {plan.chairman.name} (phiên bản 2)"
        )
        if chairman is not None:
            assert chairman in subject
        else:
            assert "huyện" not in subject and "Chủ tịch UBND tỉnh" in subject
    notice = draft_subject("inspection_notice", 1, "Chủ tịch UBND xã")
    assert notice == "[Minh Bạch] Dự thảo thông báo kết quả kiểm tra Cổng TTĐT (phiên bản 1)"
