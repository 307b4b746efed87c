"""Plans laid out in ways the importer was not designed around (written last, then the importer
fixed for what they showed).

The province plan is modelled on the layout of public plans found with the search tool: the
heading table and "Số: 96/KH-UBND | Thái Bình, ngày 03 tháng 6 năm 2024" of Thái Bình's DDCI
plan (thuvienphapluat.vn, 96/KH-UBND), the two-tier units of TP.HCM's 2026 DDCI plan (sở, ban,
ngành; "xã, phường, đặc khu"; "Thuế TPHCM" as a central agency; sggp.org.vn, 11/02/2026). Its
content is invented for the test: no public 2025-2026 transparency appendix was found.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import pytest

from minhbach.plan_import.commands import import_bytes
from minhbach.plan_import.errors import ImportFailure
from minhbach.plan_import.importer import ImportResult
from tests.unit.plan_import.documents import table_docx, units_xlsx

PROVINCE_HEADING = [
    ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("TỈNH HƯNG NAM", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 58/KH-UBND", "Hưng Nam, ngày 16 tháng 3 năm 2026"),
]
PROVINCE_BODY = [
    "KẾ HOẠCH",
    "Cải thiện chỉ số thành phần Tính minh bạch trong Chỉ số PCI tỉnh Hưng Nam năm 2026",
    "Căn cứ Nghị quyết số 02/NQ-CP ngày 08/01/2026 của Chính phủ về những nhiệm vụ, giải "
    "pháp chủ yếu cải thiện môi trường kinh doanh; Kế hoạch số 12/KH-UBND ngày 20/01/2026 của "
    "UBND tỉnh về nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh năm 2026; UBND tỉnh ban hành "
    "Kế hoạch như sau:",
    "I. MỤC TIÊU",
    "Phấn đấu chỉ số thành phần Tính minh bạch năm 2026 đạt tối thiểu 6,8 điểm.",
    "II. NHIỆM VỤ, GIẢI PHÁP",
    "Cơ quan đầu mối: Sở Tài chính. Nhiệm vụ cụ thể tại Phụ lục kèm theo.",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Các sở, ban, ngành, UBND các xã, phường được giao chủ trì nhiệm vụ tổ chức thực hiện, "
    "gửi báo cáo kết quả về cơ quan đầu mối trước ngày 15 của tháng cuối quý và trước ngày "
    "15/11 hằng năm.",
    "2. Giao Sở Tài chính là cơ quan đầu mối theo dõi, đôn đốc; tổng hợp, báo cáo Chủ tịch "
    "UBND tỉnh trước ngày 20 của tháng đầu tiên quý tiếp theo và trước ngày 25/11 hằng năm; "
    "báo cáo 6 tháng gửi trước ngày 20/6.",
    "Nơi nhận:",
    "- Như mục III;",
    "- Lưu: VT, KT.",
    "TM. ỦY BAN NHÂN DÂN",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Trần Văn Minh",
    "Phụ lục",
    "NHIỆM VỤ CẢI THIỆN CHỈ SỐ THÀNH PHẦN TÍNH MINH BẠCH NĂM 2026",
    "(Kèm theo Kế hoạch số 58/KH-UBND ngày 16/3/2026 của UBND tỉnh Hưng Nam)",
]
# TT | task | lead | supporting | deadline | product: no "Chỉ tiêu" column (an indicator is a
# row across the table), tasks numbered in the TT column, the deadline before the units.
PROVINCE_HEADER = [
    "TT",
    "Nhiệm vụ, giải pháp",
    "Thời hạn hoàn thành",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Sản phẩm",
]
PROVINCE_ROWS = [
    ["I. Tiếp cận tài liệu quy hoạch (≥ 6,5 điểm)"],
    [
        "1",
        "Công khai đầy đủ quy hoạch tỉnh và các quy hoạch ngành trên Cổng thông tin điện tử tỉnh",
        "Thường xuyên, sau khi quy hoạch được phê duyệt",
        "Sở Xây dựng",
        "Sở Tài chính, UBND các xã, phường",
        "Tin, bài trên Cổng",
    ],
    [
        "2",
        "Rà soát chuyên mục quy hoạch, kế hoạch trên Trang thông tin điện tử của các xã, phường",
        "Quý II/2026",
        "UBND các xã, phường",
        "Sở Khoa học và Công nghệ (hướng dẫn)",
        "Báo cáo rà soát",
    ],
    ["II. Tỷ lệ doanh nghiệp tiếp cận được văn bản pháp luật của tỉnh (trên hoặc bằng 60%)"],
    [
        "1",
        "Đăng tải văn bản quy phạm pháp luật của HĐND, UBND tỉnh lên Cơ sở dữ liệu quốc gia "
        "về pháp luật",
        "Trước ngày 30/6/2026",
        "Sở Tư pháp",
        "Văn phòng UBND tỉnh",
        "Văn bản được đăng tải",
    ],
    [
        "2",
        "Cập nhật thủ tục hành chính khi có sự thay đổi trên Cổng Dịch vụ công",
        "Khi có sự thay đổi",
        "Các sở, ban, ngành",
        "Văn phòng UBND tỉnh, Thuế tỉnh",
        "Thủ tục được cập nhật",
    ],
    [
        "3",
        "Đào tạo cán bộ về cung cấp thông tin cho doanh nghiệp",
        "Năm 2026",
        "Sở Nội vụ",
        "Các sở, ban, ngành",
        "Lớp đào tạo",
    ],
]
PROVINCE_UNITS: list[dict[str, Any]] = [
    {
        "code": "ubnd-tinh",
        "name": "UBND tỉnh Hưng Nam",
        "kind": "Tỉnh",
        "email": "vanphong@hungnam.example.invalid",
        "portal": "https://hungnam.example.invalid",
    },
    {
        "code": "chu-tich",
        "name": "Chủ tịch UBND tỉnh",
        "kind": "Lãnh đạo",
        "email": "chutich@hungnam.example.invalid",
    },
    {
        "code": "pct",
        "name": "Phó Chủ tịch UBND tỉnh phụ trách kinh tế",
        "kind": "Lãnh đạo",
        "email": "pct@hungnam.example.invalid",
        "person": "Trần Văn Minh",
    },
    {
        "code": "so-tai-chinh",
        "name": "Sở Tài chính",
        "kind": "Sở",
        "email": "stc@hungnam.example.invalid",
    },
    {
        "code": "so-xay-dung",
        "name": "Sở Xây dựng",
        "kind": "Sở",
        "email": "sxd@hungnam.example.invalid",
    },
    {
        "code": "so-tu-phap",
        "name": "Sở Tư pháp",
        "kind": "Sở",
        "email": "stp@hungnam.example.invalid",
    },
    {
        "code": "so-noi-vu",
        "name": "Sở Nội vụ",
        "kind": "Sở",
        "email": "snv@hungnam.example.invalid",
    },
    {
        "code": "so-khcn",
        "name": "Sở Khoa học và Công nghệ",
        "kind": "Sở",
        "email": "skhcn@hungnam.example.invalid",
    },
    {
        "code": "vp-ubnd",
        "name": "Văn phòng UBND tỉnh",
        "kind": "Ban",
        "email": "vp@hungnam.example.invalid",
    },
    {
        "code": "thue-tinh",
        "name": "Thuế tỉnh Hưng Nam",
        "kind": "Cơ quan trung ương",
        "email": "thue@hungnam.example.invalid",
    },
    {
        "code": "xa-an-binh",
        "name": "UBND xã An Bình",
        "kind": "Xã",
        "email": "anbinh@hungnam.example.invalid",
        "portal": "https://anbinh.hungnam.example.invalid",
    },
    {
        "code": "phuong-dong-tien",
        "name": "UBND phường Đông Tiến",
        "kind": "Phường",
        "email": "dongtien@hungnam.example.invalid",
        "portal": "https://dongtien.hungnam.example.invalid",
    },
]


@cache
def province() -> ImportResult:
    docx = table_docx(PROVINCE_BODY, PROVINCE_HEADER, PROVINCE_ROWS, heading=PROVINCE_HEADING)
    result = import_bytes(
        docx, "kh-58-2026.docx", units_xlsx(PROVINCE_UNITS, parent=None), "don-vi-tinh.xlsx"
    )
    print(result.summary)
    return result


def test_the_province_plan_reads_its_heading_table_and_signer() -> None:
    meta = province().plan.meta
    assert (meta.issuer, meta.locality, meta.province, meta.year) == (
        "UBND tỉnh Hưng Nam",
        "Hưng Nam",
        "Hưng Nam",
        2026,
    )
    assert meta.document.number == "58" and meta.document.issued_on == date(2026, 3, 16)
    assert meta.signer.name == "Trần Văn Minh"
    assert meta.signer.title == "TM. ỦY BAN NHÂN DÂN - KT. CHỦ TỊCH - PHÓ CHỦ TỊCH"
    assert meta.overall_target.value == 6.8 and meta.overall_target.unit == "points"
    assert [r.number for r in meta.references] == ["02/NQ-CP", "12/KH-UBND"]


def test_indicators_as_rows_across_the_table_and_tasks_numbered_in_the_tt_column() -> None:
    plan = province().plan
    assert [(i.number, i.title) for i in plan.indicators] == [
        (1, "Tiếp cận tài liệu quy hoạch"),
        (2, "Tỷ lệ doanh nghiệp tiếp cận được văn bản pháp luật của tỉnh"),
    ]
    first, second = plan.indicators
    assert first.target is not None and (first.target.value, first.target.unit) == (6.5, "points")
    assert second.target is not None and second.target.value == 60
    assert [t.code for t in plan.tasks] == ["1.1", "1.2", "2.1", "2.2", "2.3"]
    assert plan.task("1.1").lead == ("so-xay-dung",)
    assert plan.task("1.1").supporting == ("so-tai-chinh", "all_communes")
    assert set(plan.lead_unit_codes("1.2")) == {"xa-an-binh", "phuong-dong-tien"}
    assert plan.task("1.2").supporting_role == "hướng dẫn"
    assert plan.task("2.2").lead == ("all_departments",)
    assert "thue-tinh" in plan.supporting_unit_codes("2.2")


def test_deadlines_the_way_a_province_writes_them() -> None:
    plan = province().plan
    timing = {t.code: (t.timing.kind, t.timing.deadline) for t in plan.tasks}
    assert timing == {
        "1.1": ("after_issue", None),
        "1.2": ("fixed_deadline", date(2026, 6, 30)),
        "2.1": ("fixed_deadline", date(2026, 6, 29)),
        "2.2": ("on_change", None),
        "2.3": ("ongoing", None),
    }


def test_reporting_duties_as_the_plan_writes_them() -> None:
    result = province()
    rules = {
        (r.reporter, r.period): (r.due_before_day, r.due_before_month, r.due_month, r.recipient)
        for r in result.plan.reporting_rules
    }
    assert rules == {
        ("lead_units", "quarter"): (15, None, "last", "so-tai-chinh"),  # tháng cuối quý
        ("lead_units", "year"): (15, 11, None, "so-tai-chinh"),
        ("focal_unit", "quarter"): (20, None, None, "chu-tich"),  # None: the month after
        ("focal_unit", "year"): (25, 11, None, "chu-tich"),
        ("focal_unit", "half_year"): (20, None, "last", "chu-tich"),  # "6 tháng ... 20/6"
    }
    text = result.text
    assert "due_month: last" in text and "period: half_year" in text
    assert "KIỂM TRA: “6 tháng gửi trước ngày 20/6”: hiểu là hạn trước ngày 20 tháng thứ 6" in text
    assert "KIỂM TRA: “Quý II/2026”: hiểu hạn cuối là ngày cuối quý, 30/06/2026" in text
    assert "KIỂM TRA: không hiểu thời gian “Năm 2026”" in text
    assert "KIỂM TRA: nhiệm vụ không có mã, đánh mã 1.1" in text
    kinds = {u.code: u.kind for u in result.plan.units}
    assert kinds["ubnd-tinh"] == "province" and result.plan.meta.level == "province"


def test_a_task_naming_a_unit_of_another_province_stops_with_its_row() -> None:
    rows = [list(r) for r in PROVINCE_ROWS]
    rows[5][3] = "Sở Giao thông vận tải"
    docx = table_docx(PROVINCE_BODY, PROVINCE_HEADER, rows, heading=PROVINCE_HEADING)
    with pytest.raises(ImportFailure) as caught:
        import_bytes(docx, "kh.docx", units_xlsx(PROVINCE_UNITS, parent=None), "dv.xlsx")
    assert "dòng 7, cột “Cơ quan chủ trì” (nhiệm vụ 2.2)" in caught.value.message
    assert "“Sở Giao thông vận tải”" in caught.value.message


# A ward plan (two-tier government, 2026): the ward's own heading, "Nội dung" for the task
# column, task codes in the STT column beside merged indicator cells, a unit whose name has a
# comma ("Phòng Kinh tế, Hạ tầng và Đô thị"), a yearly duty only.
WARD_HEADING = [
    ("UBND PHƯỜNG ĐÔNG TIẾN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Số: 07/KH-UBND", "Đông Tiến, ngày 05 tháng 02 năm 2026"),
]
WARD_BODY = [
    "KẾ HOẠCH",
    "Nâng cao chỉ số Tính minh bạch trên địa bàn phường năm 2026",
    "Thực hiện Kế hoạch số 58/KH-UBND ngày 16/3/2026 của UBND tỉnh Hưng Nam về việc cải thiện "
    "chỉ số thành phần Tính minh bạch; UBND phường ban hành Kế hoạch như sau:",
    "Mục tiêu: chỉ số Tính minh bạch của phường đạt trên hoặc bằng 7,2 điểm.",
    "Đơn vị đầu mối: Văn phòng HĐND và UBND phường",
    "TỔ CHỨC THỰC HIỆN",
    "Giao Văn phòng HĐND và UBND phường là đơn vị đầu mối tổng hợp, báo cáo Chủ tịch UBND "
    "phường trước ngày 15/12 hằng năm.",
    "Nơi nhận:",
    "- Lưu: VT.",
    "CHỦ TỊCH",
    "Lê Thị Hoa",
]
WARD_HEADER = ["STT", "Chỉ tiêu", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"]
WARD_ROWS = [
    [
        "1.1",
        "Thông tin về quy hoạch của phường (≥ 55%)",
        "Đăng tải quy hoạch chi tiết trên Trang thông tin điện tử phường",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Văn phòng HĐND và UBND phường",
        "Trong vòng 05 ngày sau khi được phê duyệt",
    ],
    [
        "1.2",
        "",
        "Trả lời kiến nghị của doanh nghiệp về quy hoạch",
        "Phòng Kinh tế - Hạ tầng - Đô thị",
        "",
        "Thường xuyên",
    ],
    [
        "2.1",
        "Thủ tục hành chính công khai đầy đủ",
        "Niêm yết thủ tục hành chính tại Trung tâm Phục vụ hành chính công",
        "Trung tâm Phục vụ hành chính công phường",
        "Phòng Văn hóa - Xã hội\nVăn phòng HĐND và UBND phường",  # one unit per line
        "Trước 31/3/2026",
    ],
]
WARD_UNITS: list[dict[str, Any]] = [
    {
        "code": "ubnd-phuong",
        "name": "UBND phường Đông Tiến",
        "kind": "Phường",
        "email": "ubnd@dongtien.example.invalid",
        "portal": "https://dongtien.example.invalid",
    },
    {
        "code": "chu-tich",
        "name": "Chủ tịch UBND phường",
        "kind": "Lãnh đạo",
        "email": "chutich@dongtien.example.invalid",
        "person": "Lê Thị Hoa",
    },
    {
        "code": "van-phong",
        "name": "Văn phòng HĐND và UBND phường",
        "kind": "Văn phòng",
        "email": "vp@dongtien.example.invalid",
    },
    {
        "code": "kt-ht-dt",
        "name": "Phòng Kinh tế, Hạ tầng và Đô thị",
        "kind": "Phòng",
        "email": "kt@dongtien.example.invalid",
    },
    {
        "code": "vh-xh",
        "name": "Phòng Văn hóa - Xã hội",
        "kind": "Phòng",
        "email": "vhxh@dongtien.example.invalid",
    },
    {
        "code": "tt-hcc",
        "name": "Trung tâm Phục vụ hành chính công phường",
        "kind": "Trung tâm",
        "email": "hcc@dongtien.example.invalid",
    },
]


def test_a_ward_plan_with_codes_in_the_stt_column() -> None:
    docx = table_docx(WARD_BODY, WARD_HEADER, WARD_ROWS, merge_down=[(2, 1)], heading=WARD_HEADING)
    result = import_bytes(docx, "kh-07.docx", units_xlsx(WARD_UNITS, parent=None), "dv.xlsx")
    print(result.summary)
    plan = result.plan
    assert (plan.meta.issuer, plan.meta.locality, plan.meta.province) == (
        "UBND phường Đông Tiến",
        "Đông Tiến",
        "Hưng Nam",
    )
    assert plan.roles.focal_unit == "van-phong"
    assert [(i.number, i.tasks) for i in plan.indicators] == [(1, ("1.1", "1.2")), (2, ("2.1",))]
    assert plan.task("1.1").lead == ("kt-ht-dt",) and plan.task("1.2").lead == ("kt-ht-dt",)
    assert plan.task("1.2").supporting == ()
    assert plan.task("1.1").timing.kind == "after_issue"
    assert plan.task("1.1").timing.within_working_days == 5
    assert "KIỂM TRA: “Trong vòng 05 ngày”: hiểu là 5 ngày làm việc" in result.text
    assert plan.task("2.1").timing.deadline == date(2026, 3, 30)
    assert plan.task("2.1").supporting == ("vh-xh", "van-phong")  # one unit per line
    assert [
        (r.reporter, r.period, r.due_before_day, r.due_before_month, r.recipient)
        for r in plan.reporting_rules
    ] == [("focal_unit", "year", 15, 12, "chu-tich")]
    assert plan.meta.level == "ward" and plan.locality_unit.kind == "ward"
    assert (
        plan.meta.signer.name == "Lê Thị Hoa" and plan.roles.vice_chairman_in_charge == "chu-tich"
    )
