"""Grouping what units wrote, and lists of unit names, without I/O: the same difficulty typed
with or without diacritics, pasted in NFD or reworded a little is one line with every unit
after it; different statements stay apart; names share the words their kind shares in the
plan."""

from __future__ import annotations

import unicodedata

from minhbach.plan import Plan, default_plan_path, load_plan
from reporting.domain.grouping import Statement, group_statements, key
from reporting.names import kind_prefixes, name_list, short_name

PLAN: Plan = load_plan(default_plan_path())
STAFF = "Cán bộ phụ trách Cổng TTĐT kiêm nhiệm, chưa cập nhật kịp."


def test_one_difficulty_written_four_ways_is_one_group_with_every_unit() -> None:
    said = [
        Statement(STAFF, "a"),
        Statement(unicodedata.normalize("NFD", STAFF), "b"),
        Statement("can bo phu trach cong ttdt kiem nhiem chua cap nhat kip", "c"),
        Statement("Cán bộ phụ trách Cổng TTĐT kiêm nhiệm nên chưa cập nhật kịp", "d"),
        Statement(STAFF, "a"),  # the same unit again (another task): listed once
    ]
    (group,) = group_statements(said)
    assert group.sources == ("a", "b", "c", "d") and group.count == 5
    assert group.text == STAFF  # the most frequent wording with diacritics, in NFC
    assert unicodedata.is_normalized("NFC", group.text)


def test_different_statements_stay_apart_and_the_widest_shared_comes_first() -> None:
    said = [
        Statement("Đề nghị huyện tập huấn", "x"),
        Statement("Đề nghị tỉnh tập huấn", "y"),
        Statement("de nghi tinh tap huan.", "z"),
        Statement("Chưa bố trí được kinh phí", "w"),
        Statement("   ", "v"),  # nothing said
    ]
    groups = group_statements(said)
    assert [(g.text, g.sources) for g in groups] == [
        ("Đề nghị tỉnh tập huấn", ("y", "z")),
        ("Đề nghị huyện tập huấn", ("x",)),
        ("Chưa bố trí được kinh phí", ("w",)),
    ]


def test_the_key_ignores_case_diacritics_punctuation_and_normal_form() -> None:
    assert key("Đơn vị  ĐÃ  hoàn thành!") == key("don vi da hoan thanh") == "don vi da hoan thanh"
    assert key(unicodedata.normalize("NFD", "Cập nhật")) == key("Cập nhật")


def test_names_of_one_kind_share_the_words_the_plan_gives_them() -> None:
    prefixes = kind_prefixes(PLAN)
    communes = [u.code for u in PLAN.units if u.kind == "commune"][:3]
    assert prefixes["commune"] == "UBND xã"  # from the plan's names, not a word list
    assert "department" not in prefixes  # "Phòng ...", "Thanh tra ...": nothing shared
    names = [PLAN.unit(c).name for c in communes]
    listed = name_list(PLAN, ["vhtt", "tckh", *communes], {"vhtt": " (1.1)"})
    assert listed == (
        f"{PLAN.unit('vhtt').name} (1.1), {PLAN.unit('tckh').name}; "
        + ", ".join([names[0], *(short_name(PLAN, c) for c in communes[1:])])
    )


def test_wording_of_public_reports_groups_what_is_the_same_and_nothing_more() -> None:
    """Difficulties as local reports word them (staffing, IT infrastructure, one-stop shop
    equipment), typed three ways for one of them: only those three join."""
    said = [
        "Nguồn nhân lực chưa đáp ứng được yêu cầu.",
        "nguon nhan luc chua dap ung duoc yeu cau",
        "Nguồn nhân lực chưa đáp ứng yêu cầu",
        "Hạ tầng công nghệ thông tin tại xã còn thiếu, chưa đồng bộ.",
        "Đề nghị đầu tư hạ tầng công nghệ thông tin cho các xã",
        "Thiết bị tại bộ phận một cửa còn thiếu",
    ]
    groups = group_statements(Statement(text, n) for n, text in enumerate(said))
    assert [g.sources for g in groups] == [(0, 1, 2), (3,), (4,), (5,)]
    assert groups[0].text == said[0]
