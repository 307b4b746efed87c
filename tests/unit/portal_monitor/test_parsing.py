"""What a portal's page says, read right (issue 19): the document's own number and date apart
from those it cites, a detail page's "thuộc tính văn bản", a charset declared only in <meta>."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from minhbach.plan import DetailPage
from minhbach_dev.portal_simulator.content import SimItem, detail_page, encode_cp1258
from portal_monitor.domain.extract import ListedItem, parse_detail, with_detail
from portal_monitor.domain.text import (
    own_document_number,
    own_issue_date,
    parse_document_number,
    symbol_parts,
)
from portal_monitor.domain.urls import resolve
from portal_monitor.fetcher import FetchResult, meta_charset


@pytest.mark.parametrize(
    ("title", "number"),
    [
        ("Kế hoạch số 15/KH-UBND triển khai thực hiện Luật 143/2025/QH15", "15/KH-UBND"),
        ("113/KH-UBND Nâng cao chỉ số năng lực cạnh tranh", "113/KH-UBND"),
        ("Số: 12/KH-UBND về tổ chức Tết trồng cây", "12/KH-UBND"),
        ("Luật Thủ đô số 39/2024/QH15", "39/2024/QH15"),
        ("Quyết định 18/2025/QĐ-TTg quy định về trình tự, thủ tục", "18/2025/QĐ-TTg"),
        ("Văn bản hợp nhất 03/VBHN-VPQH hợp nhất Luật Khiếu nại", "03/VBHN-VPQH"),
        ("Công văn 1310/UBND-KT về việc triển khai Quyết định 18/2025/QĐ-TTg", "1310/UBND-KT"),
        # numbers the document cites are not its own
        ("Kế hoạch triển khai thực hiện Nghị quyết 138/NQ-CP về chuyển đổi số", None),
        ("Kế hoạch thực hiện Luật 143/2025/QH15 trên địa bàn xã", None),
        ("Về việc triển khai Quyết định 18/2025/QĐ-TTg của Thủ tướng", None),
        ("Tổ chức thực hiện Chỉ thị số 05/CT-UBND của UBND tỉnh", None),
        ("Lễ khánh thành nhà văn hóa thôn", None),
        # the Party's numbering: number-type/issuer, no year
        ("Chỉ thị số 36-CT/TU ngày 28/02/2024 của Ban Thường vụ Thành ủy", "36-CT/TU"),
        ("Hướng dẫn số 13-HD/BTGDVTU ngày 06/8/2025 của Ban Tuyên giáo", "13-HD/BTGDVTU"),
        ("Nghị quyết 05-NQ/TW về phát triển khoa học", "05-NQ/TW"),
        ("Kế hoạch 02-KH/BCĐTW 2025 của Ban Chỉ đạo Trung ương", "02-KH/BCĐTW"),
        ("36-CT/TU Chỉ thị về sắp xếp đơn vị hành chính", "36-CT/TU"),
        ("Quyết định số 168a/QĐ-UBND ngày 6/9/2025 về việc phân công", "168a/QĐ-UBND"),
        # ... and a Party number the document cites is not its own
        ("Kế hoạch thực hiện Chỉ thị 05-CT/TW về đẩy mạnh học tập", None),
        ("Quyết định 1521/QĐ-TTg ban hành Kế hoạch thực hiện Kết luận số 80-KL/TW", "1521/QĐ-TTg"),
        ("Kết luận số 121-KL/TW về tổng kết Nghị quyết số 18-NQ/TW", "121-KL/TW"),
        # a range of years is no number
        ("Kế hoạch phát triển giai đoạn 2021-2025/2030", None),
    ],
)
def test_own_number(title: str, number: str | None) -> None:
    assert own_document_number(title) == number
    assert own_document_number(unicodedata.normalize("NFD", title)) == number


@pytest.mark.parametrize(
    ("text", "issued"),
    [
        ("Kế hoạch số 57/KH-UBND ngày 11/3/2024 của UBND tỉnh", date(2024, 3, 11)),
        ("Quyết định số 05/2024/QĐ-UBND ngày 03 tháng 10 năm 2024", date(2024, 10, 3)),
        ("Số 12/KH-UBND, ngày 2026-03-05", date(2026, 3, 5)),
        ("Ngày 05/3/2026, UBND xã ban hành kế hoạch", date(2026, 3, 5)),
        # a cited text's date, an event's, a question's: unknown, not wrong
        ("Kế hoạch triển khai Nghị quyết 138/NQ-CP ngày 01/02/2024", None),
        ("Hỏi: ngày 05/3/2026 tôi nộp hồ sơ, bao giờ có kết quả?", None),
        ("Thông báo tạm ngừng cung cấp điện ngày 14/3/2026", None),
        ("Kế hoạch số 57/KH-UBND về việc tổ chức Hội nghị ngày 20/3/2026", None),
    ],
)
def test_own_issue_date(text: str, issued: date | None) -> None:
    assert own_issue_date(text) == issued


def test_the_date_after_a_party_number_is_the_date_of_issue() -> None:
    assert own_issue_date("Chỉ thị số 36-CT/TU ngày 28/02/2024 của Thành ủy") == date(2024, 2, 28)
    assert own_issue_date("Kế hoạch thực hiện Chỉ thị 05-CT/TW ngày 15/5/2016") is None


@pytest.mark.parametrize(
    ("number", "parts"),
    [
        ("15/2023/QĐ-UBND", ("QĐ", "UBND")),
        ("1520/UBND-VP", ("UBND", "VP")),
        ("36-CT/TU", ("CT", "TU")),
        ("230-CV/VPTU", ("CV", "VPTU")),
        ("13-HD/BTGDVTU", ("HD", "BTGDVTU")),
    ],
)
def test_symbol_parts_of_either_numbering(number: str, parts: tuple[str, ...]) -> None:
    assert symbol_parts(number) == parts
    assert parse_document_number(f"Số {number} ngày 01/02/2025") == number


DETAIL = DetailPage(
    rows="table.thuoc-tinh-van-ban tr",
    document_number=("Số ký hiệu",),
    issued_on=("Ngày ban hành",),
    issuer=("Cơ quan ban hành",),
    posted_on=("Ngày đăng",),
    attachment="a.file-dinh-kem",
)


def test_detail_page_fields_and_the_posting_date_apart_from_the_issue_date() -> None:
    item = SimItem(
        5,
        "Chỉ thị về phòng cháy",
        "03/CT-UBND",
        date(2026, 3, 2),
        "Trích yếu",
        "UBND xã Thử",
        posted_on=date(2026, 3, 9),
    )
    found = parse_detail(detail_page("Xã Thử", "dnn", item), "http://p.test/d?id=5", DETAIL)
    assert (found.document_number, found.issued_on, found.posted_on) == (
        "03/CT-UBND",
        date(2026, 3, 2),
        date(2026, 3, 9),
    )
    assert found.issuer == "UBND xã Thử"
    assert found.attachment_url == "http://p.test/files/5.pdf"
    listed = ListedItem(url="http://p.test/d?id=5", title=item.title, detail_pending=True)
    completed = with_detail(listed, found)
    assert completed.issued_on == date(2026, 3, 2) and completed.listed_on == date(2026, 3, 9)
    assert not completed.detail_pending


def test_a_page_without_a_file_says_so() -> None:
    item = SimItem(6, "Thông báo", "4/TB-UBND", date(2026, 3, 2), "", "UBND", attachment=False)
    found = parse_detail(detail_page("Xã Thử", "dnn", item), "http://p.test/x", DETAIL)
    assert found.attachment_url is None and found.document_number == "4/TB-UBND"


def test_windows_1258_declared_only_in_meta_is_decoded() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
        "</head><body>Quyết định số 148/QĐ-UBND về việc kiện toàn</body></html>"
    )
    body = encode_cp1258(html)
    assert meta_charset(body) == "cp1258"
    result = FetchResult(
        "http://p.test/", "http://p.test/", status=200, body=body, content_type="text/html"
    )
    text, clean = result.text()
    assert clean and "Quyết định số 148/QĐ-UBND về việc" in unicodedata.normalize("NFC", text)
    assert meta_charset(b'<meta charset="utf-8">') == "utf-8"
    assert meta_charset(b'<meta charset="no-such-charset">') is None
    assert meta_charset(b"<p>no meta</p>") is None


def test_component_portals_on_one_host_keep_their_path() -> None:
    assert resolve("https://tinh.gov.vn/xa-bao-dai/", "/van-ban") == (
        "https://tinh.gov.vn/xa-bao-dai/van-ban"
    )
    assert resolve("https://tinh.gov.vn/xa-cam-ly", "/van-ban") == (
        "https://tinh.gov.vn/xa-cam-ly/van-ban"
    )
    assert resolve("https://baodai.lucnam.bacgiang.gov.vn", "/van-ban") == (
        "https://baodai.lucnam.bacgiang.gov.vn/van-ban"
    )
    assert resolve("https://tinh.gov.vn/xa-a", "https://dichvucong.gov.vn/p") == (
        "https://dichvucong.gov.vn/p"
    )
