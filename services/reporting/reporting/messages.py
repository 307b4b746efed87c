"""Everything a person reads from reporting, in Vietnamese: the drafts' words, the page's labels
and its errors. Document layout is in `render/`; which facts go where is in `compose`."""

from __future__ import annotations

from typing import Final

from minhbach.events.catalogue import TaskStatus
from reporting.domain import inspection

PERIOD_NAMES: Final = {"Q1": "quý I", "Q2": "quý II", "Q3": "quý III", "Q4": "quý IV"}


def period_label(period: str, year: int) -> str:
    """ "quý III năm 2024", "năm 2024"."""
    return f"{PERIOD_NAMES[period]} năm {year}" if period in PERIOD_NAMES else f"năm {year}"


def percent(share: float) -> str:
    """0.625 -> "62,5%" (Vietnamese decimal comma)."""
    return f"{share * 100:.1f}".replace(".", ",") + "%"


# --- the consolidated report -------------------------------------------------------------------

REPORT_SUMMARY: Final = (
    "Kết quả triển khai thực hiện nhiệm vụ nâng cao chỉ số thành phần “Tính minh bạch” {period}"
)
REPORT_INTRO: Final = (
    "Thực hiện {plan}; trên cơ sở báo cáo của các cơ quan, đơn vị được giao chủ trì, {focal} "
    "báo cáo kết quả triển khai thực hiện {period} như sau:"
)
H_FILING: Final = "I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ CHỦ TRÌ"
H_INDICATORS: Final = "II. KẾT QUẢ THEO TỪNG CHỈ TIÊU"
H_TASKS: Final = "III. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP"
H_NOT_STARTED: Final = "Nhiệm vụ chưa triển khai và lý do:"
H_PORTALS: Final = "IV. KẾT QUẢ KIỂM TRA CỔNG THÔNG TIN ĐIỆN TỬ"
H_PROBLEMS: Final = "V. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ"
H_DIFFICULTIES: Final = "1. Khó khăn, vướng mắc"
H_PROPOSALS: Final = "2. Đề xuất, kiến nghị"
FILING_SUMMARY: Final = "Có {filed}/{total} cơ quan, đơn vị chủ trì đã gửi báo cáo {period}."
FILING_LATE: Final = "Gửi báo cáo muộn (sau hạn {due}): {units}."
FILING_MISSING: Final = "Chưa gửi báo cáo (đến thời điểm lập dự thảo): {units}."
FILING_ALL_ON_TIME: Final = "Tất cả các cơ quan, đơn vị chủ trì đã gửi báo cáo đúng hạn."
FILING_COLUMNS: Final = (
    "STT",
    "Cơ quan, đơn vị",
    "Ngày gửi",
    "Tình trạng",
    "Hoàn thành",
    "Đang thực hiện",
    "Chưa triển khai",
)
FILING_ON_TIME: Final = "Đúng hạn"
FILING_LATE_LABEL: Final = "Muộn"
FILING_NONE: Final = "Chưa gửi"
INDICATOR_COLUMNS: Final = ("STT", "Chỉ tiêu", "Mục tiêu", "Mức sẵn sàng", "Căn cứ")
INDICATOR_NOTE: Final = (
    "Mức sẵn sàng là ước tính của hệ thống từ báo cáo của các đơn vị và kết quả kiểm tra Cổng "
    "TTĐT, không phải điểm khảo sát PCI/DDCI. Mục tiêu chung: {target}."
)
NO_FIGURE: Final = "chưa có số liệu"
NO_TARGET: Final = "không quy định"
TASK_COLUMNS: Final = ("Nhiệm vụ", "Cơ quan chủ trì", "Tình trạng", "Kết quả, lý do")
STATUS_LABELS: Final = {
    TaskStatus.DONE: "Hoàn thành",
    TaskStatus.IN_PROGRESS: "Đang thực hiện",
    TaskStatus.NOT_STARTED: "Chưa triển khai",
    None: "Chưa báo cáo",
}
TASK_COUNTS: Final = (
    "Tổng số {total} lượt nhiệm vụ: {done} hoàn thành, {in_progress} đang thực hiện, "
    "{not_started} chưa triển khai, {unreported} chưa được báo cáo."
)
QUOTE: Final = "{unit} (nhiệm vụ {task}): “{text}”"
NONE_REPORTED: Final = "Các đơn vị không nêu."
NONE_NOT_STARTED: Final = "Không có nhiệm vụ nào được báo cáo là chưa triển khai."
PORTALS_FINE: Final = "Qua kiểm tra, không phát hiện tồn tại trên Cổng TTĐT của các đơn vị."
PORTALS_SHORT: Final = "Qua kiểm tra, {count} Cổng TTĐT còn tồn tại:"
PORTAL_LINE: Final = "{unit}: {problems}."
REPORT_CLOSING: Final = (
    "Trên đây là báo cáo kết quả triển khai thực hiện nhiệm vụ nâng cao chỉ số thành phần "
    "“Tính minh bạch” {period} của {focal}, kính báo cáo {chairman} xem xét, chỉ đạo./."
)
DRAFT_NOTE: Final = (
    "Dự thảo số {version} do hệ thống Minh Bạch lập lúc {time} {date} ({trigger}); "
    "đơn vị đầu mối rà soát, chỉnh sửa trước khi trình ký."
)
TRIGGERS: Final = {
    "all_filed": "tất cả đơn vị chủ trì đã gửi báo cáo",
    "deadline": "đến hạn lập báo cáo, còn đơn vị chưa gửi",
    "round_complete": "đã kiểm tra xong tất cả các cổng trong đợt",
    "round_ended": "kết thúc đợt kiểm tra",
}

# --- the inspection notice ---------------------------------------------------------------------

NOTICE_SUMMARY: Final = (
    "Kết quả kiểm tra việc cung cấp thông tin trên Cổng thông tin điện tử của huyện và các xã, "
    "thị trấn (đợt từ {start} đến {end})"
)
NOTICE_INTRO: Final = (
    "Thực hiện nhiệm vụ 6.4 tại {plan}, {focal} đã kiểm tra việc cung cấp thông tin trên Cổng "
    "thông tin điện tử (TTĐT) của huyện và các xã, thị trấn. Kết quả như sau:"
)
H_NOTICE_OVERALL: Final = "1. Kết quả chung"
H_NOTICE_UNITS: Final = (
    "2. Các cơ quan, đơn vị thực hiện cung cấp thông tin chưa tốt, chưa đáp ứng yêu cầu"
)
H_NOTICE_REQUEST: Final = "3. Đề nghị"
NOTICE_OVERALL: Final = (
    "Đã kiểm tra {inspected}/{total} Cổng TTĐT; {short} cổng thực hiện cung cấp thông tin chưa "
    "tốt, chưa đáp ứng yêu cầu."
)
NOTICE_NOT_INSPECTED: Final = "Chưa kiểm tra được trong đợt: {units}."
NOTICE_ALL_FINE: Final = "Không có cơ quan, đơn vị nào thực hiện chưa tốt trong đợt kiểm tra này."
NOTICE_COLUMNS: Final = (
    "STT",
    "Cơ quan, đơn vị",
    "Tồn tại",
    "Minh chứng (địa chỉ, ngày phát hiện)",
)
NOTICE_REQUEST: Final = (
    "Đề nghị các cơ quan, đơn vị, UBND các xã, thị trấn nêu trên khẩn trương khắc phục những tồn "
    "tại, cập nhật đầy đủ, kịp thời, chính xác các thông tin trên Cổng TTĐT theo Nghị định "
    "42/2022/NĐ-CP, bảo đảm doanh nghiệp luôn tiếp cận được thông tin./."
)
PROBLEM_LABELS: Final = {
    inspection.UNREACHABLE: "Không truy cập được Cổng TTĐT",
    inspection.SECTION_MISSING: "Thiếu chuyên mục",
    inspection.SECTION_STALE: "Chuyên mục không được cập nhật",
    inspection.CHECK_FAILED: "Chưa đạt yêu cầu",
    inspection.POSTED_LATE: "Văn bản đăng tải chậm",
    inspection.NO_FULL_TEXT: "Văn bản chỉ đạo, điều hành không đăng toàn văn",
    inspection.NOT_DIRECTIVE: "Đăng văn bản không phải chỉ đạo, điều hành vào chuyên mục chỉ đạo",
}

# --- the coordinator's page --------------------------------------------------------------------

TOKEN_MISSING: Final = "Vui lòng nhập mã truy cập."
TOKEN_INVALID: Final = "Mã truy cập không đúng hoặc đã bị thu hồi."
NOT_A_READER: Final = (
    "Trang này chỉ dành cho đơn vị đầu mối và lãnh đạo UBND huyện; đơn vị của đồng chí không "
    "có quyền xem."
)
UNKNOWN_UNIT: Final = "Không có đơn vị “{code}” trong kế hoạch."
UNKNOWN_DRAFT: Final = "Không có dự thảo này."
NO_PDF: Final = "Dự thảo này chưa có bản PDF."
DRAFT_KINDS: Final = {
    "consolidated_report": "Báo cáo tổng hợp gửi Chủ tịch UBND huyện",
    "inspection_notice": "Thông báo kết quả kiểm tra Cổng TTĐT",
}

# --- importing a plan from its documents (the upload page) ------------------------------------

IMPORT_TOO_LARGE: Final = "Tệp “{name}” lớn hơn {limit} MB; hãy gửi tệp nhỏ hơn."
IMPORT_MISSING_FILE: Final = "Hãy chọn cả tệp kế hoạch (.docx) và danh sách đơn vị (.xlsx)."
IMPORT_NOT_WRITTEN: Final = "Chưa tạo tệp kế hoạch nào."
