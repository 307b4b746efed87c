"""The classifier measured on labelled titles from real portals (`data/real_titles.tsv`), as the
service classifies them: the document's own number read from the title, with and without the
section the title was listed in. The held-out quarter was never used to tune the plan's rules;
its figures and confusion matrices are printed (`pytest -s` or `-rP` shows them)."""

from __future__ import annotations

import pytest

from minhbach.plan import default_plan_path, load_plan
from portal_monitor.domain.classify import Classifier
from tests.support.title_set import KINDS, LabelledTitle, Measure, load, measure

_PLAN = load_plan(default_plan_path())
assert _PLAN.portal_monitoring is not None
_MONITORING = _PLAN.portal_monitoring
CLASSIFIER = Classifier.from_monitoring(_MONITORING)
TITLES = load()
HELD_OUT = [t for t in TITLES if t.held_out]
TUNING = [t for t in TITLES if not t.held_out]


def classify(item: LabelledTitle, with_section: bool) -> tuple[str, bool]:
    found = CLASSIFIER.classify(
        item.title,
        None,
        CLASSIFIER.own_number(item.title),
        item.section if with_section else None,
    )
    return found.kind, found.confident


def test_the_set_is_large_mostly_real_and_well_formed() -> None:
    sections = {s.code for s in _PLAN.portal_sections}
    assert len(TITLES) >= 400
    assert sum(t.real for t in TITLES) >= 400, "issue 19: at least 400 titles copied from portals"
    assert len({t.title for t in TITLES}) == len(TITLES), "a title twice"
    for item in TITLES:
        assert item.expected in KINDS, item
        assert item.alternative in (None, *KINDS), item
        assert item.alternative != item.expected, item
        assert item.section is None or item.section in sections, item
        assert item.real == item.source.startswith("http"), item
    assert 0.2 <= len(HELD_OUT) / len(TITLES) <= 0.3
    assert {t.expected for t in HELD_OUT} == set(KINDS), "every kind is held out too"


def _report(titles: list[LabelledTitle], name: str) -> tuple[Measure, Measure]:
    title_only = measure(titles, classify, with_section=False)
    with_section = measure(titles, classify, with_section=True)
    print()
    print(title_only.report(f"{name}, title only"))
    print(with_section.report(f"{name}, with the section it was listed in"))
    return title_only, with_section


def test_held_out_accuracy() -> None:
    """Measured on the quarter never tuned on (181 titles, 146 of them real), as the service
    classifies (with the section it was listed in), rule set version 4: 94.48 % exact (171/181),
    100 % with the acceptable alternative, every confident classification right (128/128). Title
    only: 90.06 % exact, 97.24 % with the alternative. The issue's target, 95 % exact, is not
    reached (172/181 would be): see `test_held_out_exact_reaches_the_target` and decision 0015.
    `pytest -s` prints the figures and the confusion matrices."""
    title_only, with_section = _report(HELD_OUT, "held out")
    real = [t for t in HELD_OUT if t.real]
    _report(real, "held out, real titles only")
    # exact, as the service classifies (with the section it knows): what this version reaches
    assert with_section.right / with_section.total >= 0.93, "held out, with the section, exact"
    assert with_section.right_lenient / with_section.total >= 0.95
    assert title_only.right_lenient / title_only.total >= 0.90
    for found in (title_only, with_section):
        assert found.confident_right / found.confident >= 0.95, "a confident classification wrong"


@pytest.mark.xfail(
    strict=True,
    reason="issue 19's target (95 % exact on the held-out quarter, with the section) is not "
    "reached: 94.48 % (171/181, rule set version 4); a later version that reaches it turns this "
    "into a failure to remove the mark",
)
def test_held_out_exact_reaches_the_target() -> None:
    with_section = measure(HELD_OUT, classify, with_section=True)
    assert with_section.right / with_section.total >= 0.95


def test_tuning_part_accuracy() -> None:
    title_only, with_section = _report(TUNING, "tuning part")
    assert with_section.right / with_section.total >= 0.95
    assert with_section.right_lenient / with_section.total >= 0.97
    assert title_only.right_lenient / title_only.total >= 0.97


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        # the errors the issue names, each a rule of the plan
        ("Thông báo tuyển dụng công chức cấp xã năm 2025", "other"),
        ("Thông báo Lịch tiếp công dân của Chủ tịch UBND phường tháng 3 năm 2026", "other"),
        ("Thông báo kết quả lựa chọn nhà thầu gói thầu xây lắp nhà văn hóa thôn", "other"),
        ("Quyết định về việc điều động, bổ nhiệm công chức", "other"),
        ("Kế hoạch triển khai công tác phòng, chống thiên tai năm 2026", "directive"),
        (
            "Quyết định 18/2025/QĐ-TTg quy định về trình tự, thủ tục phê duyệt điều chỉnh cục bộ "
            "Quy hoạch đô thị và nông thôn",
            "legal_normative",
        ),
        ("Kế hoạch triển khai thực hiện Nghị quyết 138/NQ-CP trên địa bàn xã", "directive"),
        ("Kế hoạch số 15/KH-UBND triển khai thực hiện Luật 143/2025/QH15", "directive"),
        ("Kiến nghị về việc sửa chữa tuyến đường liên thôn bị xuống cấp", "qa"),
        ("Phản ánh tình trạng đổ rác thải không đúng nơi quy định", "qa"),
        ("Tôi muốn đăng ký hộ kinh doanh thì cần làm những thủ tục gì?", "qa"),
        ("Mời gọi đầu tư dự án khu du lịch sinh thái", "investment_incentive"),
    ],
)
def test_the_named_errors_are_fixed(title: str, kind: str) -> None:
    found = CLASSIFIER.classify(title, None, CLASSIFIER.own_number(title))
    assert (found.kind, found.confident) == (kind, True), found


def test_a_guess_is_not_confident() -> None:
    news = CLASSIFIER.classify("Lễ khánh thành nhà văn hóa thôn Bãi Lát")
    assert (news.kind, news.rule, news.confident) == ("other", "other", False)
