"""The pure readers of one cell, one name, one line: targets, timing, units, coded tasks, text
forms and name matching."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from minhbach.plan_import.appendix_table import find_columns
from minhbach.plan_import.cells import (
    read_target,
    read_timing,
    read_units,
    split_role,
    split_target,
    split_tasks,
)
from minhbach.plan_import.duties import read_duties
from minhbach.plan_import.matching import ACCEPTED, SURE, match_unit, score
from minhbach.plan_import.model import Cell
from minhbach.plan_import.schema import group_phrases, unit_kind
from minhbach.plan_import.text import correct_typos, fold, spaced_hyphens
from minhbach.plan_import.units import DirectoryUnit


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("trên hoặc bằng 3,4", (3.4, "points", ">=")),
        ("trên hoặc bằng 50,6%", (50.6, "percent", ">=")),
        ("≥ 6,5 điểm", (6.5, "points", ">=")),
        ("không quá 20%", (20.0, "percent", "<=")),
        ("chỉ số năm 2024 trên hoặc bằng 7,0", (7.0, "points", ">=")),
    ],
)
def test_targets(words: str, expected: tuple[float, str, str]) -> None:
    target, _ = read_target(words)
    assert target is not None
    assert (target.value, target.unit, target.comparison) == expected


def test_a_title_keeps_its_words_and_loses_only_the_target() -> None:
    title, target, note = split_target("Tiếp cận tài liệu quy hoạch (trên hoặc bằng 3,4)")
    assert title == "Tiếp cận tài liệu quy hoạch" and target is not None
    assert note == "không ghi đơn vị, hiểu là điểm (thang 10)"
    assert split_target("Tỷ lệ DN (khảo sát của VCCI)")[1] is None


@pytest.mark.parametrize(
    ("text", "kind", "deadline", "noted"),
    [
        ("Thường xuyên (Sau khi văn bản ban hành)", "after_issue", None, False),
        ("Thường xuyên (khi có sự thay đổi)", "on_change", None, False),
        ("Thường xuyên", "ongoing", None, False),
        ("Trước 30/11/2024", "fixed_deadline", date(2024, 11, 29), False),
        ("Hoàn thành trước ngày 15/10", "fixed_deadline", date(2024, 10, 14), False),
        ("Chậm nhất ngày 31/12/2024", "fixed_deadline", date(2024, 12, 31), True),
        ("Quý III", "fixed_deadline", date(2024, 9, 30), True),
        ("Tháng 6/2024", "fixed_deadline", date(2024, 6, 30), True),
        ("Theo chỉ đạo", "ongoing", None, True),
    ],
)
def test_timing(text: str, kind: str, deadline: date | None, noted: bool) -> None:
    timing, note = read_timing(text, 2024)
    assert (timing.kind, timing.deadline, note is not None) == (kind, deadline, noted)


def test_units_groups_and_roles_in_a_cell() -> None:
    groups = group_phrases()
    names, role = split_role(
        "Phòng Tài chính-Kế hoạch, Phòng Kinh tế và Hạ tầng đôn đốc, hướng dẫn và kiểm tra"
    )
    assert role == "đôn đốc, hướng dẫn và kiểm tra"
    assert [r.text for r in read_units(names, groups)] == [
        "Phòng Tài chính - Kế hoạch",
        "Phòng Kinh tế và Hạ tầng",
    ]
    refs = read_units("Các cơ quan, đơn vị, UBND các xã, thị trấn", groups)
    assert [r.group for r in refs] == ["all_departments", "all_communes"]
    refs = read_units("Sở Văn hóa, Thể thao và Du lịch; UBND các xã, phường", groups)
    assert [(r.text, r.group) for r in refs] == [
        ("Sở Văn hóa, Thể thao và Du lịch", None),
        ("UBND các xã, phường", "all_communes"),
    ]
    assert split_role("Ủy ban Kiểm tra Huyện ủy")[1] is None  # a capital K names a body


def test_coded_tasks_in_one_cell_split_only_where_the_numbering_goes_on() -> None:
    text = "8.1. Tăng cường. 8.2. Rà soát theo Nghị định 42.2 và mục 8.5. Sau đó 8.3. Đăng tải."
    assert split_tasks(text) == [
        ("8.1", "Tăng cường."),
        ("8.2", "Rà soát theo Nghị định 42.2 và mục 8.5. Sau đó"),
        ("8.3", "Đăng tải."),
    ]
    assert split_tasks("Đăng tải văn bản") == [(None, "Đăng tải văn bản")]


def test_text_forms() -> None:
    nfd = unicodedata.normalize("NFD", "Phòng Văn hoá và Thông tin")
    assert fold(nfd) == fold("Phòng Văn hóa và Thông tin")
    assert spaced_hyphens("Tài chính-Kế hoạch, TT-TT, KH-UBND, 2021-2025") == (
        "Tài chính - Kế hoạch, TT-TT, KH-UBND, 2021-2025"
    )
    fixed, notes = correct_typos("chỉ số “Tín minh bạch”, đơn đốc")
    assert fixed == "chỉ số “Tính minh bạch”, đôn đốc" and len(notes) == 2
    assert unit_kind("Phòng/Sở/Ban") == "department"
    assert unit_kind("Phường") == "ward"
    assert unit_kind("Thuế") == "central_agency"
    assert unit_kind("Hợp tác xã") is None


def _unit(code: str, name: str) -> DirectoryUnit:
    return DirectoryUnit(code, name, "department", "a@b.vn", None, None, None, (), 1)


def test_matching_is_sure_only_of_the_same_name_and_never_of_a_near_other_unit() -> None:
    units = [
        _unit("ttvh", "Trung tâm Văn hóa - Thông tin - Thể thao huyện"),
        _unit("y-te", "Phòng Y tế"),
        _unit("hdn", "Hội các doanh nghiệp huyện Lục Nam"),
    ]
    exact = match_unit("Phòng Y Tế", units)
    assert exact.unit is not None and exact.unit.code == "y-te" and exact.sure
    short = match_unit("Trung tâm Văn hoá TT-TT", units)
    assert short.unit is not None and short.unit.code == "ttvh"
    assert ACCEPTED <= short.score < SURE and not short.sure
    assert match_unit("Hội các doanh nghiệp huyện", units).score == 90
    assert match_unit("Phòng Kinh tế và Hạ tầng", units).unit is None
    assert score("UBND TP Hà Nội", "Ủy ban nhân dân thành phố Hà Nội") == 100


@pytest.mark.parametrize(
    ("header", "roles"),
    [
        (
            [
                "STT",
                "Chỉ tiêu",
                "Nhiệm vụ, giải pháp trọng tâm",
                "Cơ quan chủ trì thực hiện",
                "Cơ quan phối hợp thực hiện",
                "Thời gian thực hiện",
            ],
            ["stt", "indicator", "task", "lead", "supporting", "timing"],
        ),
        (
            [
                "TT",
                "Nội dung công việc",
                "Đơn vị thực hiện",
                "Đơn vị phối hợp thực hiện",
                "Thời hạn hoàn thành",
                "Ghi chú",
            ],
            ["stt", "task", "lead", "supporting", "timing"],
        ),
        (
            [
                "Số thứ tự",
                "Chỉ số thành phần",
                "Mục tiêu phấn đấu",
                "Giải pháp",
                "Tiến độ",
                "Cơ quan, đơn vị thực hiện",
            ],
            ["stt", "indicator", "target", "task", "timing", "lead"],
        ),
    ],
)
def test_columns_are_found_by_their_words_in_any_order(header: list[str], roles: list[str]) -> None:
    found = find_columns([Cell(title) for title in header])
    assert sorted(found, key=found.__getitem__) == roles


def test_reporting_duties_of_the_organisation_section() -> None:
    lines = [
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Các sở, ngành gửi báo cáo định kỳ hằng quý về cơ quan đầu mối (trước ngày 05 của "
        "tháng đầu tiên quý tiếp theo).",
        "2. Giao Sở Tài chính là cơ quan đầu mối tổng hợp, báo cáo kết quả thực hiện về UBND tỉnh "
        "(qua Văn phòng UBND tỉnh) trước ngày 15/12 hằng năm.",
        "Nơi nhận:",
        "- báo cáo trước ngày 01/01 hằng năm (not a duty: after Nơi nhận)",
    ]
    duties, notes = read_duties(lines)
    assert [
        (d.reporter, d.period, d.due_before_day, d.due_before_month, d.recipient) for d in duties
    ] == [
        ("lead_units", "quarter", 5, None, "đơn vị đầu mối"),
        ("focal_unit", "year", 15, 12, "UBND tỉnh"),
    ]
    assert notes == []


def test_repeated_codes_and_a_row_without_its_task_are_noted_not_lost() -> None:
    from minhbach.plan_import.appendix import read_appendix
    from minhbach.plan_import.model import Table

    def row(*texts: str) -> tuple[Cell, ...]:
        return tuple(Cell(t) for t in texts)

    table = Table(
        1,
        (
            row("STT", "Chỉ tiêu", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"),
            row("1", "Chỉ tiêu A (≥ 50%)", "1.1. Việc một", "Phòng A", "", "Thường xuyên"),
            row("", "", "1.1. Việc hai", "Phòng B", "", "Thường xuyên"),
            row("", "", "", "Phòng C", "", "Thường xuyên"),
            row("1", "Chỉ tiêu B", "1.1. Việc ba", "Phòng A", "", "Thường xuyên"),
        ),
    )
    appendix = read_appendix([table], "kh.docx", group_phrases(), 2026)
    assert [t.code for t in appendix.tasks] == ["1.1", "1.2", "2.1"]
    assert [i.number for i in appendix.indicators] == [1, 2]
    notes = [n.text for n in appendix.notes]
    assert "mã nhiệm vụ 1.1 có hai lần trong bảng, lần sau đánh mã 1.2" in notes
    assert "dòng 4 có cơ quan chủ trì nhưng không có nội dung nhiệm vụ: bỏ qua dòng này" in notes
    assert "số thứ tự 1 của chỉ tiêu đã dùng, đánh số 2" in notes
