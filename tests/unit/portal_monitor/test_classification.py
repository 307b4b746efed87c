"""Classification and metadata extraction, table-tested on real-looking titles from district and
commune portals, with the seed plan's rules."""

# ruff: noqa: E501  (a table of real-looking titles reads best one per line)
from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from minhbach.plan import default_plan_path, load_plan
from portal_monitor.domain.classify import Classifier
from portal_monitor.domain.text import parse_date, parse_document_number

_PLAN = load_plan(default_plan_path())
assert _PLAN.portal_monitoring is not None
CLASSIFIER = Classifier.from_monitoring(_PLAN.portal_monitoring)

# (title, section or None, expected kind, expected rule, expected number, expected date)
D = date
TITLES: list[tuple[str, str | None, str, str, str | None, date | None]] = [
    # planning (1.1, 1.2)
    (
        "Quyết định số 1234/QĐ-UBND ngày 15/8/2024 phê duyệt quy hoạch chung xây dựng thị trấn Đồi Ngô đến năm 2035",
        None,
        "planning",
        "planning-zoning",
        "1234/QĐ-UBND",
        D(2024, 8, 15),
    ),
    (
        "Công bố quy hoạch sử dụng đất huyện Lục Nam thời kỳ 2021-2030",
        None,
        "planning",
        "planning-zoning",
        None,
        None,
    ),
    (
        "Kế hoạch sử dụng đất năm 2024 huyện Lục Nam",
        "planning",
        "planning",
        "planning-zoning",
        None,
        None,
    ),
    (
        "Kế hoạch số 57/KH-UBND ngày 11/3/2024 của UBND tỉnh Bắc Giang",
        None,
        "directive",
        "operational-plan",
        "57/KH-UBND",
        D(2024, 3, 11),
    ),
    (
        "113/KH-UBND Nâng cao chỉ số năng lực cạnh tranh cấp huyện (DDCI) năm 2024",
        None,
        "directive",
        "operational-plan",
        "113/KH-UBND",
        None,
    ),
    (
        "Kế hoạch phát triển kinh tế - xã hội 5 năm 2021-2025",
        None,
        "planning",
        "planning-zoning",
        None,
        None,
    ),
    (
        "Điều chỉnh cục bộ quy hoạch chi tiết xây dựng tỷ lệ 1/500 khu dân cư số 2 xã Cẩm Lý",
        None,
        "planning",
        "planning-zoning",
        None,
        None,
    ),
    (
        "Thông báo lấy ý kiến về đồ án quy hoạch phân khu khu công nghiệp Lục Nam",
        None,
        "planning",
        "planning-zoning",
        None,
        None,
    ),
    (
        "Kế hoạch số 205/KH-UBND ngày 03/10/2024 về thực hiện nhiệm vụ phát triển kinh tế năm 2025",
        None,
        "planning",
        "planning-zoning",
        "205/KH-UBND",
        D(2024, 10, 3),
    ),
    (
        "Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ huyện nhiệm kỳ 2020-2025",
        None,
        "directive",
        "operational-plan",
        None,
        None,
    ),
    (
        "Đề án phát triển du lịch huyện Lục Nam giai đoạn 2021-2025",
        None,
        "planning",
        "planning-zoning",
        None,
        None,
    ),
    (
        "Quy hoạch vùng trồng vải thiều Lục Nam",
        "planning",
        "planning",
        "planning-zoning",
        None,
        None,
    ),
    # investment incentives (2.1)
    (
        "Chính sách hỗ trợ đầu tư phát triển sản xuất nông nghiệp trên địa bàn huyện",
        None,
        "investment_incentive",
        "incentive-phrases",
        None,
        None,
    ),
    (
        "Danh mục dự án thu hút đầu tư năm 2024",
        None,
        "investment_incentive",
        "incentive-call",
        None,
        None,
    ),
    (
        "Quyết định số 15/2023/QĐ-UBND quy định chính sách ưu đãi đầu tư vào khu công nghiệp",
        None,
        "legal_normative",
        "legal-normative",
        "15/2023/QĐ-UBND",
        None,
    ),
    (
        "Hội nghị xúc tiến đầu tư huyện Lục Nam năm 2024",
        None,
        "investment_incentive",
        "incentive-call",
        None,
        None,
    ),
    (
        "Hỗ trợ doanh nghiệp nhỏ và vừa tiếp cận vốn vay ưu đãi",
        None,
        "investment_incentive",
        "incentive-phrases",
        None,
        None,
    ),
    (
        "Khuyến khích đầu tư vào nông nghiệp, nông thôn trên địa bàn tỉnh Bắc Giang",
        None,
        "investment_incentive",
        "incentive-phrases",
        None,
        None,
    ),
    (
        "Chính sách khuyến khích phát triển hợp tác xã giai đoạn 2021-2025",
        None,
        "investment_incentive",
        "incentive-phrases",
        None,
        None,
    ),
    (
        "Thông báo mời nhà đầu tư quan tâm dự án khu dân cư, thu hút đầu tư",
        None,
        "investment_incentive",
        "incentive-call",
        None,
        None,
    ),
    # administrative procedures (3.x)
    (
        "Quyết định công bố danh mục thủ tục hành chính mới ban hành lĩnh vực đất đai",
        None,
        "administrative_procedure",
        "procedure-phrases",
        None,
        None,
    ),
    (
        "Danh mục TTHC thực hiện tiếp nhận hồ sơ qua dịch vụ bưu chính công ích",
        None,
        "administrative_procedure",
        "procedure-phrases",
        None,
        None,
    ),
    (
        "Quy trình nội bộ giải quyết thủ tục cấp giấy chứng nhận đăng ký hộ kinh doanh",
        None,
        "administrative_procedure",
        "procedure-name",
        None,
        None,
    ),
    (
        "Hướng dẫn nộp hồ sơ dịch vụ công trực tuyến toàn trình",
        None,
        "administrative_procedure",
        "procedure-name",
        None,
        None,
    ),
    (
        "Thành phần hồ sơ cấp phép xây dựng nhà ở riêng lẻ",
        None,
        "administrative_procedure",
        "procedure-phrases",
        None,
        None,
    ),
    (
        "Công khai thủ tục hành chính lĩnh vực hộ tịch cấp xã",
        None,
        "administrative_procedure",
        "procedure-phrases",
        None,
        None,
    ),
    (
        "Bộ thủ tục hành chính thuộc thẩm quyền giải quyết của UBND cấp huyện",
        "administrative_procedures",
        "administrative_procedure",
        "procedure-name",
        None,
        None,
    ),
    (
        "Thủ tục đăng ký khai sinh",
        "administrative_procedures",
        "administrative_procedure",
        "procedure-name",
        None,
        None,
    ),
    # directives (4.1)
    (
        "Chỉ thị số 01/CT-UBND ngày 05/01/2024 về tăng cường kỷ luật, kỷ cương hành chính",
        None,
        "directive",
        "directive-type",
        "01/CT-UBND",
        D(2024, 1, 5),
    ),
    (
        "Công văn số 1520/UBND-VP ngày 12/9/2024 v/v triển khai công tác phòng chống bão số 3",
        None,
        "directive",
        "directive-type",
        "1520/UBND-VP",
        D(2024, 9, 12),
    ),
    (
        "Thông báo kết luận của Chủ tịch UBND huyện tại buổi làm việc với xã Vô Tranh",
        None,
        "directive",
        "directive-notice",
        None,
        None,
    ),
    (
        "45/TB-UBND Thông báo kết luận cuộc họp giao ban tháng 9",
        None,
        "directive",
        "directive-notice",
        "45/TB-UBND",
        None,
    ),
    (
        "V/v đôn đốc thực hiện giải ngân vốn đầu tư công năm 2024",
        None,
        "directive",
        "directive-type",
        None,
        None,
    ),
    (
        "Về việc tăng cường công tác phòng cháy, chữa cháy dịp Tết Nguyên đán",
        None,
        "directive",
        "directive-type",
        None,
        None,
    ),
    (
        "Quyết định số 2031/QĐ-UBND về việc thành lập Tổ công tác",
        None,
        "directive",
        "directive-decision",
        "2031/QĐ-UBND",
        None,
    ),
    (
        "Chấn chỉnh công tác tiếp công dân tại các xã, thị trấn",
        None,
        "directive",
        "directive-phrases",
        None,
        None,
    ),
    (
        "Chỉ đạo triển khai các biện pháp cấp bách phòng, chống dịch tả lợn châu Phi",
        "directives",
        "directive",
        "directive-phrases",
        None,
        None,
    ),
    (
        "Công văn 2450/VPCP-KGVX ngày 12/4/2024 về nghỉ lễ 30/4 và 1/5",
        None,
        "directive",
        "directive-type",
        "2450/VPCP-KGVX",
        D(2024, 4, 12),
    ),
    (
        "CONG VAN V/V TRIEN KHAI TIEM PHONG VAC XIN CHO DAN GIA CAM",
        None,
        "directive",
        "directive-type",
        None,
        None,
    ),
    # legal normative (5.x)
    (
        "Nghị định số 42/2022/NĐ-CP quy định về việc cung cấp thông tin và dịch vụ công trực tuyến",
        None,
        "legal_normative",
        "legal-normative",
        "42/2022/NĐ-CP",
        None,
    ),
    (
        "Quyết định 20/2024/QĐ-UBND ban hành quy định bồi thường khi Nhà nước thu hồi đất",
        None,
        "legal_normative",
        "legal-normative",
        "20/2024/QĐ-UBND",
        None,
    ),
    (
        "Nghị quyết số 08/2023/NQ-HĐND quy định mức thu phí tham quan",
        None,
        "legal_normative",
        "legal-normative",
        "08/2023/NQ-HĐND",
        None,
    ),
    (
        "Thông tư 01/2024/TT-BTC hướng dẫn quản lý kinh phí",
        None,
        "legal_normative",
        "legal-normative",
        "01/2024/TT-BTC",
        None,
    ),
    ("Luật Đất đai năm 2024", None, "legal_normative", "legal-normative", None, None),
    (
        "Luật Tiếp cận thông tin",
        "legal_documents",
        "legal_normative",
        "legal-normative",
        None,
        None,
    ),
    ("Pháp lệnh Chi phí tố tụng", None, "legal_normative", "legal-normative", None, None),
    (
        "Nghị định về quản lý, sử dụng tài sản công",
        None,
        "legal_normative",
        "legal-normative",
        None,
        None,
    ),
    (
        "Quyết định số 05/2024/QĐ-UBND ngày 03 tháng 10 năm 2024 của UBND tỉnh Bắc Giang",
        None,
        "legal_normative",
        "legal-normative",
        "05/2024/QĐ-UBND",
        D(2024, 10, 3),
    ),
    (
        "Nghị quyết 897/NQ-UBTVQH14 về sắp xếp đơn vị hành chính cấp xã",
        None,
        "directive",
        "directive-decision",
        "897/NQ-UBTVQH14",
        None,
    ),
    # qa (6.3)
    ("Hỏi đáp về thủ tục cấp giấy phép kinh doanh", None, "qa", "qa-phrases", None, None),
    (
        "Giải đáp vướng mắc của doanh nghiệp về thuế giá trị gia tăng",
        None,
        "qa",
        "qa-phrases",
        None,
        None,
    ),
    ("Trả lời kiến nghị của cử tri xã Bảo Sơn", None, "qa", "qa-phrases", None, None),
    (
        "Doanh nghiệp hỏi về chính sách miễn giảm tiền thuê đất",
        "qa",
        "qa",
        "qa-section",
        None,
        None,
    ),
    (
        "Câu hỏi: Thời hạn cấp giấy chứng nhận quyền sử dụng đất?",
        None,
        "qa",
        "qa-question",
        None,
        None,
    ),
    (
        "Ông Nguyễn Văn A (Tiên Nha) đề nghị hướng dẫn hồ sơ xin giấy phép xây dựng",
        "qa",
        "qa",
        "qa-section",
        None,
        None,
    ),
    # other
    ("Lục Nam tổ chức Lễ hội vải thiều năm 2024", None, "other", "other", None, None),
    (
        "Hội nghị tổng kết công tác thi đua khen thưởng năm 2023",
        None,
        "other",
        "other-notices",
        None,
        None,
    ),
    ("Giải bóng đá thanh niên huyện Lục Nam lần thứ X", None, "other", "other", None, None),
    (
        "Đồng chí Bí thư Huyện ủy thăm, tặng quà gia đình chính sách",
        None,
        "other",
        "other",
        None,
        None,
    ),
    ("Xã Lan Mẫu ra mắt mô hình dân vận khéo", None, "other", "other", None, None),
    (
        "Tuyên truyền phổ biến Luật Tiếp cận thông tin cho cán bộ xã",
        None,
        "other",
        "other",
        None,
        None,
    ),
    ("Thời tiết ngày 03/10/2024: mưa rào rải rác", None, "other", "other", None, D(2024, 10, 3)),
    ("Gương sáng người tốt việc tốt", None, "other", "other", None, None),
]


@pytest.mark.parametrize(
    ("title", "section", "kind", "rule", "number", "issued"),
    TITLES,
    ids=[t[0][:40] for t in TITLES],
)
def test_title_is_classified_with_its_rule_and_metadata(
    title: str, section: str | None, kind: str, rule: str, number: str | None, issued: date | None
) -> None:
    found_number = parse_document_number(title)
    found = CLASSIFIER.classify(title, None, found_number, section)
    assert (found.kind, found.rule) == (kind, rule)
    assert found_number == number
    assert parse_date(title) == issued


def test_the_table_has_at_least_sixty_titles_and_every_kind() -> None:
    assert len(TITLES) >= 60
    assert {row[2] for row in TITLES} == {
        "planning",
        "investment_incentive",
        "administrative_procedure",
        "directive",
        "legal_normative",
        "qa",
        "other",
    }


@pytest.mark.parametrize("row", TITLES[::5], ids=lambda r: r[0][:30])
def test_nfd_and_entity_encoded_titles_match_the_same_rules(row: tuple[str, ...]) -> None:
    title, section = row[0], row[1]
    nfd = unicodedata.normalize("NFD", title)
    entities = title.replace("ệ", "&#7879;").replace("ư", "&#432;").replace("&", "&amp;", 0)
    plain = CLASSIFIER.classify(title, None, parse_document_number(title), section)
    assert CLASSIFIER.classify(nfd, None, parse_document_number(nfd), section) == plain
    assert CLASSIFIER.classify(entities, None, parse_document_number(entities), section) == plain


def test_issuer_comes_from_the_number_symbol() -> None:
    assert CLASSIFIER.issuer_of("42/2022/NĐ-CP") == "Chính phủ"
    assert CLASSIFIER.issuer_of("15/2023/QĐ-UBND") == "Ủy ban nhân dân"
    assert CLASSIFIER.issuer_of("1520/UBND-VP") == "Ủy ban nhân dân"
    assert CLASSIFIER.issuer_of("897/NQ-UBTVQH14") == "Ủy ban Thường vụ Quốc hội"
    assert CLASSIFIER.issuer_of("12/XYZ") is None
    assert CLASSIFIER.issuer_of(None) is None


# The Party's numbering read as the document's own number, typed by its symbol; a number the
# title cites still leaves the type to the title.
@pytest.mark.parametrize(
    ("title", "number", "document_type", "type_rule", "kind"),
    [
        (
            "Số 36-CT/TU về sắp xếp đơn vị hành chính cấp xã",
            "36-CT/TU",
            "chi-thi",
            "number:CT",
            "directive",
        ),
        ("Số 05-NQ/TW về tổ chức bộ máy", "05-NQ/TW", "nghi-quyet", "number:NQ", "directive"),
        (
            "Số 13-HD/BTGDVTU về công tác đối thoại",
            "13-HD/BTGDVTU",
            "huong-dan",
            "number:HD",
            "directive",
        ),
        (
            "Số 127-KL/TW về sắp xếp tổ chức bộ máy",
            "127-KL/TW",
            "ket-luan",
            "number:KL",
            "directive",
        ),
        (
            "Số 229-QĐ/TW về thành lập Ban Chỉ đạo",
            "229-QĐ/TW",
            "quyet-dinh",
            "number:QĐ",
            "directive",
        ),
        (
            "Số 714-TB/TU về Đề án sắp xếp đơn vị hành chính",
            "714-TB/TU",
            "thong-bao",
            "number:TB",
            "directive",
        ),
        (
            "Số 02-KH/TU về thực hiện Kết luận số 80-KL/TW",
            "02-KH/TU",
            "ke-hoach",
            "number:KH",
            "directive",
        ),
        (
            "Số 230-CV/VPTU về việc rà soát Trung tâm phục vụ hành chính công",
            "230-CV/VPTU",
            "cong-van",
            "number:CV",
            "directive",
        ),
        # the number decides the type even when the title starts with another one
        ("Kết luận số 36-CT/TU về sắp xếp", "36-CT/TU", "chi-thi", "number:CT", "directive"),
        # an unknown Party type is no letter: the title decides
        ("Quy định số 08-XY/TW về trách nhiệm nêu gương", "08-XY/TW", None, None, "other"),
        # a cited Party number is not the document's: typed by its title
        (
            "Kế hoạch thực hiện Chỉ thị 05-CT/TW về học tập và làm theo",
            None,
            "ke-hoach",
            "title:kế hoạch",
            "directive",
        ),
    ],
)
def test_the_party_numbering_is_the_documents_own_number(
    title: str, number: str | None, document_type: str | None, type_rule: str | None, kind: str
) -> None:
    own = CLASSIFIER.own_number(title)
    assert own == number
    found = CLASSIFIER.classify(title, None, own, None)
    assert (found.document_type, found.type_rule, found.kind) == (document_type, type_rule, kind)
