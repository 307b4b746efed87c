"""Task 4.1 accuses a unit only on a confident classification; a guess is listed "cần xem xét"
for a person, neither accused nor cleared."""

from __future__ import annotations

from datetime import date

import pytest

from minhbach.plan import default_plan_path, load_plan
from portal_monitor.domain.checks import (
    DirectiveItem,
    PortalObservation,
    SectionObservation,
    evaluate,
)
from portal_monitor.domain.classify import Classifier
from portal_monitor.domain.documents import directive_flag, draft_of
from portal_monitor.domain.extract import ListedItem

PLAN = load_plan(default_plan_path())
assert PLAN.portal_monitoring is not None
MONITORING = PLAN.portal_monitoring
CLASSIFIER = Classifier.from_monitoring(MONITORING)


@pytest.mark.parametrize(
    ("title", "not_directive", "review"),
    [
        # a directive type, sorted as no document of the plan by a trusted rule: accused
        ("Thông báo tuyển dụng công chức cấp xã năm 2026", True, False),
        ("Thông báo Lịch tiếp công dân của Chủ tịch UBND xã tháng 3/2026", True, False),
        ("Quyết định về việc điều động, bổ nhiệm công chức", True, False),
        # a known type that is no directive type: accused
        ("Báo cáo tình hình kinh tế - xã hội tháng 2 năm 2026", True, False),
        ("Nghị định 123/2024/NĐ-CP về xử phạt vi phạm hành chính", True, False),
        # no type and no trusted rule: a guess, reviewed by a person
        ("Lễ khánh thành nhà văn hóa thôn Bãi Lát", True, True),
        ("Tiếp tục chỉ đạo quyết liệt công tác phòng cháy rừng", True, True),
        # a notice that only a guessing rule sorted `other`: its type alone does not accuse it
        ("Thông báo về việc chấm dứt hoạt động cửa hàng xăng dầu", True, True),
        # news of what a unit did: no document, a guess
        ("Xã Tân Sơn tổ chức các hoạt động chào mừng 80 năm Quốc khánh 2/9", True, True),
        # a notice that organises work is a directive
        ("Thông báo kết luận của Chủ tịch UBND xã tại buổi làm việc", False, False),
        # directives, whatever they cite
        ("Kế hoạch triển khai thực hiện Nghị quyết 138/NQ-CP trên địa bàn xã", False, False),
        ("Kế hoạch số 15/KH-UBND triển khai thực hiện Luật 143/2025/QH15", False, False),
        ("Công văn 1310/UBND-KT về việc triển khai Quyết định 18/2025/QĐ-TTg", False, False),
    ],
)
def test_not_directive_only_when_certain(title: str, not_directive: bool, review: bool) -> None:
    draft = draft_of(
        ListedItem(url="http://p.test/1", title=title, attachment_url="http://p.test/1.pdf"),
        "directives",
        CLASSIFIER,
    )
    flag = directive_flag(draft, "directives", MONITORING.directive_types)
    assert flag is not None
    assert (flag.not_directive, flag.review) == (not_directive, review), draft


def test_the_document_number_is_its_own_not_the_cited_one() -> None:
    cited = draft_of(
        ListedItem(url="http://p.test/2", title="Kế hoạch thực hiện Luật 143/2025/QH15"),
        "directives",
        CLASSIFIER,
    )
    assert cited.document_number is None and not cited.legal_normative
    own = draft_of(
        ListedItem(url="http://p.test/3", title="Kế hoạch số 15/KH-UBND ngày 05/3/2026 về ..."),
        "directives",
        CLASSIFIER,
    )
    assert own.document_number == "15/KH-UBND"


def _observation(items: tuple[DirectiveItem, ...]) -> PortalObservation:
    directives = SectionObservation(
        "directives", "Văn bản chỉ đạo", "present", "http://p.test/d", item_count=len(items)
    )
    return PortalObservation(
        portal_url="http://p.test",
        home_status=200,
        home_problem=None,
        latency_ms=100.0,
        tls_days_left=None,
        home_links=frozenset(),
        sections=(directives,),
        required_sections=("directives",),
        directive_items=items,
        today=date(2026, 3, 10),
    )


def _directive_check(items: tuple[DirectiveItem, ...]) -> tuple[bool, str, tuple[str, ...]]:
    found = [
        c
        for c in evaluate(_observation(items), MONITORING, PLAN.reference_links)
        if c.check == "directive_section_clean"
    ]
    assert len(found) == 1
    return found[0].passed, found[0].detail, found[0].items


def test_a_guess_is_listed_for_review_and_does_not_fail_the_check() -> None:
    passed, detail, items = _directive_check(
        (
            DirectiveItem("Chỉ thị 01/CT-UBND", False, "yes"),
            DirectiveItem("Lễ khánh thành nhà văn hóa", True, "no", review=True),
        )
    )
    assert passed and items == ()
    assert "Cần xem xét" in detail and "Lễ khánh thành nhà văn hóa" in detail


def test_a_certain_non_directive_still_fails_the_check() -> None:
    passed, detail, items = _directive_check(
        (
            DirectiveItem("Thông báo tuyển dụng công chức", True, "yes"),
            DirectiveItem("Lễ khánh thành nhà văn hóa", True, "no", review=True),
        )
    )
    assert not passed and items == ("Thông báo tuyển dụng công chức",)
    assert "không phải văn bản chỉ đạo" in detail and "Cần xem xét" in detail


@pytest.mark.parametrize(
    ("home_links", "passed"),
    [(frozenset({"https://dichvucong.gov.vn/p/home"}), True), (frozenset(), False)],
)
def test_a_section_kept_on_another_portal_counts_when_linked(
    home_links: frozenset[str], passed: bool
) -> None:
    procedures = SectionObservation(
        "administrative_procedures",
        "Thủ tục hành chính",
        "missing",
        "http://p.test/tthc",
        http_status=404,
        delegated_to="https://dichvucong.gov.vn",
    )
    observation = PortalObservation(
        portal_url="http://p.test",
        home_status=200,
        home_problem=None,
        latency_ms=100.0,
        tls_days_left=None,
        home_links=home_links,
        sections=(procedures,),
        required_sections=("administrative_procedures",),
        today=date(2026, 3, 10),
    )
    checks = {
        c.check: c
        for c in evaluate(observation, MONITORING, PLAN.reference_links)
        if c.section == "administrative_procedures"
    }
    assert checks["section_present"].passed is passed
    assert "section_not_empty" not in checks


def test_copies_without_a_number_match_on_a_long_title_and_date() -> None:
    title = "Kế hoạch phát triển kinh tế - xã hội năm 2026 của tỉnh Bắc Giang"

    def draft(url: str, text: str, issued: date | None) -> str | None:
        item = ListedItem(url=url, title=text, issued_on=issued)
        return draft_of(item, "planning", CLASSIFIER).fingerprint

    province = draft("https://tinh.test/a/1", title, date(2026, 1, 5))
    ward = draft("https://phuong.test/b/9", title.upper(), date(2026, 1, 5))
    assert province is not None and province == ward
    assert draft("https://phuong.test/b/9", title, date(2026, 1, 6)) != province
    assert draft("https://phuong.test/b/9", title, None) is None
    assert draft("https://phuong.test/b/9", "Kế hoạch năm 2026", date(2026, 1, 5)) is None
