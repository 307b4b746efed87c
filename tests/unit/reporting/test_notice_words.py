"""The inspection notice speaks the plan's words (decision 0013), for every shipped plan: whose
portals, the plan's inspection task, the issuer and its header, whom it asks to act and the
regulation in force on the round's last day. No level word is written in code."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from minhbach.calendar import TZ
from minhbach.plan import Plan, load_plan
from minhbach.settings import REPO_ROOT
from reporting.compose import inspection_document
from reporting.domain.inspection import inspection_notice
from reporting.domain.schedule import ROUND_ENDED, inspection_round, round_of_key
from reporting.render.document import OfficialDocument, Paragraph

PLANS = sorted((REPO_ROOT / "shared" / "plans").glob("*.yaml"))


def _notice(plan: Plan, moment: datetime) -> OfficialDocument:
    assert plan.drafting is not None
    round_ = inspection_round(plan.drafting.inspection_round, moment)
    portals = [u.code for u in plan.portal_units()]
    notice = inspection_notice(round_, portals, [], [], round_.ends, ROUND_ENDED)
    return inspection_document(plan, notice, 1)


def _text(document: OfficialDocument) -> str:
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    return "\n".join([document.superior_body, document.issuing_body, document.summary, *paragraphs])


def test_every_shipped_plan_is_tested() -> None:
    assert {p.name for p in PLANS} >= {
        "luc-nam-2024.yaml",
        "bac-ninh-2026.yaml",
        "tan-ky-2026.yaml",
    }


@pytest.mark.parametrize("path", PLANS, ids=[p.stem for p in PLANS])
def test_the_notice_names_the_plans_task_portals_issuer_and_regulation(path: Path) -> None:
    plan = load_plan(path)
    assert plan.drafting is not None and plan.portal_monitoring is not None
    document = _notice(plan, datetime(plan.year, 9, 16, 9, tzinfo=TZ))
    text = _text(document)
    kind = plan.drafting.inspection_notice
    assert f"Thực hiện nhiệm vụ {kind.task} tại" in text
    assert f"Cổng thông tin điện tử (TTĐT) của {plan.words.inspected_portals}." in text
    assert f"Đề nghị {plan.words.asked_to_act} nêu trên" in text
    issuer = plan.unit(kind.issuer or plan.roles.focal_unit).name
    assert f", {issuer} đã kiểm tra" in text
    assert document.issuing_body == (kind.issuing_body or plan.drafting.issuing_body).upper()
    if plan.meta.level != "district":
        assert "huyện" not in text.lower() and "thị trấn" not in text


def test_the_seed_notice_reads_as_before() -> None:
    plan = load_plan(REPO_ROOT / "shared" / "plans" / "luc-nam-2024.yaml")
    text = _text(_notice(plan, datetime(2024, 9, 30, 7, tzinfo=TZ)))
    assert (
        "Thực hiện nhiệm vụ 6.4 tại Kế hoạch Nâng cao Chỉ số năng lực cạnh tranh (PCI) đối với "
        "chỉ số thành phần “Tính minh bạch” năm 2024, Phòng Văn hóa và Thông tin đã kiểm tra "
        "việc cung cấp thông tin trên Cổng thông tin điện tử (TTĐT) của huyện và các xã, thị "
        "trấn. Kết quả như sau:"
    ) in text
    assert (
        "Đề nghị các cơ quan, đơn vị, UBND các xã, thị trấn nêu trên khẩn trương khắc phục những "
        "tồn tại, cập nhật đầy đủ, kịp thời, chính xác các thông tin trên Cổng TTĐT theo Nghị "
        "định 42/2022/NĐ-CP, bảo đảm doanh nghiệp luôn tiếp cận được thông tin./."
    ) in text


def test_the_province_notice_cites_the_rule_in_force_on_the_rounds_last_day() -> None:
    plan = load_plan(REPO_ROOT / "shared" / "plans" / "bac-ninh-2026.yaml")
    june = _text(_notice(plan, datetime(2026, 6, 10, 9, tzinfo=TZ)))  # round 06/2026
    july = _text(_notice(plan, datetime(2026, 7, 10, 9, tzinfo=TZ)))  # round 07/2026
    assert "theo Nghị định 42/2022/NĐ-CP," in june
    assert "Luật số 148/2025/QH15" not in june
    assert "theo Luật Chuyển đổi số (Luật số 148/2025/QH15)" in july
    assert "Nghị định 42/2022" not in july
    # The notice is the office's (the portal's editorial board), not the focal department's.
    assert "Văn phòng UBND tỉnh đã kiểm tra" in july
    assert "tỉnh, các sở, ban, ngành và các xã, phường" in july


def test_a_quarterly_round_is_the_calendar_quarter() -> None:
    round_ = inspection_round("quarter", datetime(2026, 8, 20, 9, tzinfo=TZ))
    assert round_.key == "2026-Q3"
    assert (round_.starts, round_.ends) == (
        datetime(2026, 7, 1, tzinfo=TZ),
        datetime(2026, 10, 1, tzinfo=TZ),
    )
    q4 = inspection_round("quarter", datetime(2026, 12, 31, 23, tzinfo=TZ))
    assert q4.key == "2026-Q4" and q4.ends == datetime(2027, 1, 1, tzinfo=TZ)
    assert round_of_key("quarter", "2026-Q3") == round_
