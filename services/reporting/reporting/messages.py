"""Everything a person reads from reporting, in Vietnamese: the drafts' words, the page's labels
and its errors. Document layout is in `render/`; which facts go where is in `compose`."""

from __future__ import annotations

from typing import Final

from minhbach import periods
from minhbach.events.catalogue import TaskStatus
from reporting.domain import inspection


def period_label(period: str, year: int) -> str:
    """ "quý III năm 2024", "6 tháng đầu năm 2026", "năm 2024": the one style of
    `minhbach.periods`."""
    return periods.period_label(period, year)


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
REPORT_DATA_SPAN: Final = "Số liệu báo cáo tính từ ngày {start} đến ngày {end}."
H_FILING: Final = "I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ CHỦ TRÌ"
H_INDICATORS: Final = "II. KẾT QUẢ THEO TỪNG CHỈ TIÊU"
H_TASKS: Final = "III. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP"
H_PORTALS: Final = "IV. KẾT QUẢ KIỂM TRA CỔNG THÔNG TIN ĐIỆN TỬ"
H_PROBLEMS: Final = "V. TỒN TẠI, HẠN CHẾ, KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT CỦA CÁC ĐƠN VỊ"
H_SHORTCOMINGS: Final = "1. Tồn tại, hạn chế"
H_DIFFICULTIES: Final = "2. Khó khăn, vướng mắc"
H_PROPOSALS: Final = "3. Đề xuất, kiến nghị của các đơn vị"
H_TO_CHAIRMAN: Final = "VI. ĐỀ XUẤT, KIẾN NGHỊ VỚI {chairman}"
FILING_SUMMARY: Final = (
    "Có {filed}/{total} cơ quan, đơn vị chủ trì đã gửi báo cáo {period} ({on_time} đúng hạn, "
    "{late} muộn)."
)
FILING_LATE: Final = "Gửi báo cáo muộn (sau hạn {due}): {units}."
FILING_MISSING: Final = "Chưa gửi báo cáo (đến thời điểm lập dự thảo): {units}."
FILING_ALL_ON_TIME: Final = "Tất cả các cơ quan, đơn vị chủ trì đã gửi báo cáo đúng hạn."
SEE_APPENDIX: Final = "Chi tiết tại Phụ lục {number}."
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
INDICATOR_COLUMNS: Final = (
    "STT",
    "Chỉ tiêu",
    "Mục tiêu",
    "Mức sẵn sàng",
    "So với quý trước",
    "So với cùng kỳ năm trước",
)
PREVIOUS_YEAR_COLUMN: Final = "So với đầu năm"  # a yearly report: the figure as the year began
INDICATOR_NOTE: Final = (
    "Mức sẵn sàng là ước tính của hệ thống từ báo cáo của các đơn vị và kết quả kiểm tra Cổng "
    "TTĐT, không phải điểm khảo sát PCI/DDCI; chỉ tính các căn cứ đã có dữ liệu. "
    "Mục tiêu chung: {target}."
)
OVERALL_LINE: Final = (
    "Mức sẵn sàng chung: {readiness} (trung bình của {known}/{total} chỉ tiêu đã có dữ liệu)."
)
NO_FIGURE: Final = "chưa có dữ liệu"
NOT_CHECKED: Final = "Chưa kiểm tra"  # a portal not probed yet: never a failure
NO_TARGET: Final = "không quy định"
GAPS_INTRO: Final = (
    "Căn cứ chưa có dữ liệu (không tính vào mức sẵn sàng của chỉ tiêu, trọng số chia lại cho "
    "các căn cứ còn lại):"
)
GAP_LINE: Final = "- {signal} (chỉ tiêu {indicators}): {why}."
FALLING: Final = "Chỉ tiêu giảm so với kỳ trước, cần tập trung chỉ đạo: {indicators}."
BELOW_TARGET: Final = "Chỉ tiêu có mức sẵn sàng thấp hơn mục tiêu: {indicators}."
SEE_BASIS: Final = "Căn cứ tính từng chỉ tiêu tại Phụ lục {number}."
BASIS_COLUMNS: Final = ("Chỉ tiêu", "Căn cứ", "Trọng số", "Kết quả", "Diễn giải")
TASK_COUNTS: Final = (
    "Tổng số {total} lượt nhiệm vụ được giao chủ trì: {done} hoàn thành, {in_progress} đang "
    "thực hiện, {not_started} chưa triển khai, {unreported} chưa được báo cáo."
)
TASK_SUMMARY_COLUMNS: Final = (
    "Nhiệm vụ",
    "Số đơn vị chủ trì",
    "Hoàn thành",
    "Đang thực hiện",
    "Chưa triển khai",
    "Chưa báo cáo",
)
LAGGING_INTRO: Final = "Đơn vị chưa hoàn thành nhiệm vụ (trong ngoặc: số hiệu nhiệm vụ) và lý do:"
LAGGING_LINE: Final = "- {status}{reason}: {units}."
LAGGING_REASON: Final = ", lý do “{reason}”"
LAGGING_NO_REASON: Final = ", không nêu lý do"
LAGGING_TASKS: Final = " ({tasks})"
NONE_LAGGING: Final = "Tất cả các nhiệm vụ đã được các đơn vị chủ trì báo cáo hoàn thành."
TASK_COLUMNS: Final = ("Nhiệm vụ", "Cơ quan chủ trì", "Tình trạng", "Kết quả, lý do")
STATUS_LABELS: Final = {
    TaskStatus.DONE: "Hoàn thành",
    TaskStatus.IN_PROGRESS: "Đang thực hiện",
    TaskStatus.NOT_STARTED: "Chưa triển khai",
    None: "Chưa báo cáo",
}
REASON_PREFIX: Final = "Lý do: "
NONE_REPORTED: Final = "Các đơn vị không nêu."
PORTALS_COUNT: Final = "Đã kiểm tra {probed}/{total} Cổng TTĐT; {short} cổng còn tồn tại."
PORTALS_FINE: Final = "Qua kiểm tra, không phát hiện tồn tại trên Cổng TTĐT của các đơn vị."
PORTAL_KIND_LINE: Final = "- {kind} ({count} cổng): {units}."
PORTALS_UNCHECKED: Final = (
    "Chưa kiểm tra (chưa có lượt kiểm tra nào, không tính là tồn tại): {units}."
)
PORTAL_COLUMNS: Final = ("STT", "Cơ quan, đơn vị", "Tồn tại", "Minh chứng (địa chỉ, ngày)")
SHORTCOMING_TASKS: Final = (
    "- {count} lượt nhiệm vụ chưa hoàn thành ({in_progress} đang thực hiện, {not_started} chưa "
    "triển khai, {unreported} chưa được báo cáo), nêu tại mục III."
)
SHORTCOMING_FILING: Final = "- {late} đơn vị gửi báo cáo muộn, {missing} đơn vị chưa gửi báo cáo."
SHORTCOMING_PORTALS: Final = "- {count} Cổng TTĐT còn tồn tại, nêu tại mục IV."
SELF_ASSESSMENT: Final = "Các đơn vị tự đánh giá:"
GROUPED_LINE: Final = "- “{text}” ({units})."
GROUPED_WITH_TASKS: Final = "- “{text}” ({units}; nhiệm vụ {tasks})."
UNITS_COUNTED: Final = "{count} đơn vị: {names}"
TO_CHAIRMAN_INTRO: Final = "{focal} kính đề nghị {chairman}:"
TO_CHAIRMAN_FILING: Final = (
    "- Chỉ đạo các đơn vị chưa gửi báo cáo khẩn trương gửi báo cáo: {units}{ladder}."
)
TO_CHAIRMAN_LADDER: Final = "; theo Kế hoạch, việc chậm quá {days} ngày làm việc được báo cáo {who}"
TO_CHAIRMAN_NOT_STARTED: Final = (
    "- Chỉ đạo các đơn vị còn nhiệm vụ chưa triển khai khẩn trương thực hiện: {units}."
)
TO_CHAIRMAN_PORTALS: Final = "- Chỉ đạo khắc phục tồn tại trên Cổng TTĐT của: {units}."
TO_CHAIRMAN_PROPOSALS: Final = (
    "- Xem xét, giải quyết các đề xuất, kiến nghị của các đơn vị nêu tại mục V.3 "
    "({count} nội dung)."
)
TO_CHAIRMAN_NOTHING: Final = "Không có đề xuất, kiến nghị."
APPENDIX_HEADING: Final = "PHỤ LỤC"
APPENDIX_SUBTITLE: Final = "(Kèm theo Báo cáo kết quả triển khai thực hiện {period})"
APPENDIX_FILING: Final = "Phụ lục 1. Tình hình gửi báo cáo của các cơ quan, đơn vị chủ trì"
APPENDIX_TASKS: Final = "Phụ lục 2. Kết quả thực hiện nhiệm vụ của từng cơ quan, đơn vị"
APPENDIX_BASIS: Final = "Phụ lục 3. Căn cứ tính mức sẵn sàng của từng chỉ tiêu"
APPENDIX_PORTALS: Final = "Phụ lục 4. Kết quả kiểm tra Cổng TTĐT"
SHEETS: Final = ("Báo cáo đơn vị", "Nhiệm vụ theo đơn vị", "Căn cứ chỉ tiêu", "Kiểm tra cổng")
NO_PROBLEMS: Final = "Không có tồn tại."


def change(delta: float | None) -> str:
    """+0.052 -> "tăng 5,2 điểm %"; None: "chưa có số liệu"."""
    if delta is None:
        return "chưa có số liệu"
    points = f"{abs(delta) * 100:.1f}".replace(".", ",")
    if points == "0,0":
        return "không đổi"
    return f"{'tăng' if delta > 0 else 'giảm'} {points} điểm %"


def sentence_case(text: str) -> str:
    """The first letter in upper case, the rest as written ("Cổng TTĐT" keeps its capitals)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """The first letter in lower case, the rest as written: "Không truy cập được Cổng TTĐT"
    inside a sentence is "không truy cập được Cổng TTĐT", never "cổng ttđt"."""
    return text[:1].lower() + text[1:]


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

# {inspected}: whose portals, from the plan (`plan.words.inspected_portals`, e.g. "tỉnh, các
# sở, ban, ngành và các xã, phường"); {task}: the plan's inspection task
# (`drafting.inspection_notice.task`); {issuer}: the unit that inspects and issues the notice.
NOTICE_SUMMARY: Final = (
    "Kết quả kiểm tra việc cung cấp thông tin trên Cổng thông tin điện tử của {inspected} "
    "(đợt từ {start} đến {end})"
)
NOTICE_INTRO: Final = (
    "Thực hiện nhiệm vụ {task} tại {plan}, {issuer} đã kiểm tra việc cung cấp thông tin trên "
    "Cổng thông tin điện tử (TTĐT) của {inspected}. Kết quả như sau:"
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
NOTICE_DETAIL: Final = "Chi tiết từng cơ quan, đơn vị và minh chứng:"
NOTICE_NOT_INSPECTED: Final = "Chưa kiểm tra được trong đợt: {units}."
NOTICE_ALL_FINE: Final = "Không có cơ quan, đơn vị nào thực hiện chưa tốt trong đợt kiểm tra này."
NOTICE_COLUMNS: Final = (
    "STT",
    "Cơ quan, đơn vị",
    "Tồn tại",
    "Minh chứng (địa chỉ, ngày phát hiện)",
)
# {asked}: whom the notice asks to act (`plan.words.asked_to_act`); {regulation}: the name of
# the regulation in force on the round's last day (`portal_monitoring.regulation_on`).
NOTICE_REQUEST: Final = (
    "Đề nghị {asked} nêu trên khẩn trương khắc phục những tồn tại, cập nhật đầy đủ, kịp thời, "
    "chính xác các thông tin trên Cổng TTĐT theo {regulation}, bảo đảm doanh nghiệp luôn tiếp "
    "cận được thông tin./."
)
REGULATION_UNKNOWN: Final = "quy định hiện hành"  # a plan without `portal_monitoring`
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
# {leadership}: `plan.words.leadership` ("lãnh đạo UBND tỉnh Bắc Ninh").
NOT_A_READER: Final = (
    "Trang này chỉ dành cho đơn vị đầu mối và {leadership}; đơn vị của đồng chí không có quyền xem."
)
UNKNOWN_UNIT: Final = "Không có đơn vị “{code}” trong kế hoạch."
UNKNOWN_DRAFT: Final = "Không có dự thảo này."
NO_PDF: Final = "Dự thảo này chưa có bản PDF."
NO_XLSX: Final = "Dự thảo này không có bảng tính phụ lục."
# {chairman}: the plan's chairman unit's name ("Chủ tịch UBND tỉnh").
DRAFT_KINDS: Final = {
    "consolidated_report": "Báo cáo tổng hợp gửi {chairman}",
    "inspection_notice": "Thông báo kết quả kiểm tra Cổng TTĐT",
}

# --- importing a plan from its documents (the upload page) ------------------------------------

IMPORT_TOO_LARGE: Final = "Tệp “{name}” lớn hơn {limit} MB; hãy gửi tệp nhỏ hơn."
IMPORT_MISSING_FILE: Final = "Hãy chọn cả tệp kế hoạch (.docx) và danh sách đơn vị (.xlsx)."
IMPORT_NOT_WRITTEN: Final = "Chưa tạo tệp kế hoạch nào."

# Decree 30's national header and the recipients' label, the same in the .docx and the page.
NATION: Final = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO: Final = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL: Final = "Nơi nhận:"


# --- correcting a document's kind (issue 19) ---------------------------------------------------

OTHER_KIND_NAME: Final = "Khác (không thuộc loại văn bản nào của kế hoạch)"
UNKNOWN_DOCUMENT: Final = "Không có văn bản này trong kết quả kiểm tra Cổng TTĐT."
CORRECTION_ERRORS: Final = {
    "no_kind": "Chưa chọn loại văn bản. Chưa sửa gì.",
    "unknown_kind": "Loại văn bản đã chọn không có trong kế hoạch. Chưa sửa gì.",
    "same_kind": "Văn bản đã thuộc loại này. Chưa sửa gì.",
    "note_too_long": "Ghi chú dài quá {limit} ký tự. Chưa sửa gì.",
    "unknown_document": (
        "Hệ thống kiểm tra Cổng TTĐT không còn văn bản này. Chưa sửa gì; đề nghị tải lại trang."
    ),
    "refused": "Hệ thống kiểm tra Cổng TTĐT không nhận loại văn bản này. Chưa sửa gì.",
    "unreachable": (
        "Chưa kết nối được hệ thống kiểm tra Cổng TTĐT. Chưa sửa gì; đề nghị thử lại sau ít phút."
    ),
}
CORRECTION_DONE: Final = (
    "Đã ghi nhận: văn bản “{title}” là “{kind}”. Cổng đăng văn bản sẽ được kiểm tra lại ngay; "
    "các chỉ số và dự thảo thông báo kế tiếp tính theo loại đã sửa."
)
