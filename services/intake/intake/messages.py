"""Every sentence intake shows to a person, in Vietnamese; code and logs stay in English.

Errors name the field in the JSON (`field`) and are shown next to that field in the HTML form.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Final

from minhbach import periods
from minhbach.calendar import (
    FIRST_PLAN_YEAR,
    LAST_PLAN_YEAR,
    TZ,
    format_vn_date_short,
    last_on_time_day,
)

# --- authentication and authorisation ---------------------------------------------------------

TOKEN_MISSING: Final = "Thiếu mã truy cập của đơn vị (tiêu đề Authorization: Bearer <mã>)."
TOKEN_INVALID: Final = "Mã truy cập không đúng hoặc đã bị thu hồi. Liên hệ đơn vị đầu mối."
OTHER_UNIT_FORBIDDEN: Final = "Đơn vị chỉ được xem và gửi dữ liệu của chính mình."
FOCAL_ONLY: Final = "Chỉ đơn vị đầu mối mới gửi báo cáo tổng hợp."


def leads_no_task(unit_name: str) -> str:
    return f"{unit_name} không chủ trì nhiệm vụ nào trong kế hoạch nên không phải gửi báo cáo."


# --- request shape ----------------------------------------------------------------------------

BODY_TOO_LARGE: Final = "Nội dung gửi quá lớn (tối đa {limit} KiB). Hãy rút gọn rồi gửi lại."
NOT_JSON: Final = "Nội dung gửi không phải JSON hợp lệ."
MISSING: Final = "Thiếu thông tin bắt buộc."
WRONG_TYPE: Final = "Sai kiểu dữ liệu."
INVALID: Final = "Giá trị không hợp lệ."
TOO_LONG_TEXT: Final = "Quá dài (tối đa {limit} ký tự)."
TOO_SHORT_TEXT: Final = "Không được để trống."
TOO_MANY_ITEMS: Final = "Quá nhiều mục (tối đa {limit})."
NOT_A_DATE: Final = "Ngày không hợp lệ (dạng NNNN-TT-NN, ví dụ 2024-06-15)."
NOT_A_NUMBER: Final = "Phải là số nguyên."
PLAN_YEAR_OUT_OF_CALENDAR: Final = (
    f"Năm kế hoạch phải từ {FIRST_PLAN_YEAR} đến {LAST_PLAN_YEAR} "
    "(lịch ngày làm việc chỉ có các năm này)."
)
NOT_AN_ID: Final = "Mã không hợp lệ."
UNKNOWN_FIELD: Final = "Trường này không có trong mẫu báo cáo."
CHOOSE_ONE_OF: Final = "Giá trị không hợp lệ; chọn một trong: {choices}."
NOT_FOUND: Final = "Không tìm thấy."
INVALID_TEXT: Final = "Có ký tự không hợp lệ (ký tự NUL hoặc mã Unicode hỏng)."

# Clearer words for the fields a person is most likely to leave empty.
MISSING_BY_FIELD: Final = {
    "status": "Chọn tình trạng thực hiện nhiệm vụ.",
    "analysis": "Cần phân tích, đánh giá tồn tại, hạn chế, khó khăn và đề xuất (không chỉ liệt kê "
    "thành tích).",
    "period": "Chọn kỳ báo cáo.",
    "plan_year": "Nhập năm của kế hoạch.",
    "task_code": "Thiếu mã nhiệm vụ.",
}

IDEMPOTENCY_KEY_INVALID: Final = (
    "Idempotency-Key phải có từ 1 đến 200 ký tự in được (chữ, số, dấu gạch...)."
)
IDEMPOTENCY_KEY_REUSED: Final = (
    "Idempotency-Key này đã được dùng cho một yêu cầu khác. Dùng khóa mới cho yêu cầu mới."
)

# --- the plan's rules -------------------------------------------------------------------------

ANALYSIS_REQUIRED: Final = MISSING_BY_FIELD["analysis"]
EVIDENCE_EMPTY: Final = "Minh chứng cần có đường dẫn hoặc số, ký hiệu văn bản."
URL_NOT_HTTP: Final = "Đường dẫn phải bắt đầu bằng http:// hoặc https:// và có tên miền."
DOCUMENT_NUMBER_FORMAT: Final = "Số, ký hiệu văn bản không đúng dạng (ví dụ: 113/KH-UBND)."
DATE_IN_FUTURE: Final = "Ngày ban hành không được sau ngày hôm nay."
REASON_REQUIRED: Final = "Nhiệm vụ chưa hoàn thành: cần nêu lý do (tồn tại, khó khăn, vướng mắc)."
PERIOD_NOT_STARTED: Final = "Kỳ báo cáo này chưa bắt đầu."
REPORT_EXISTS: Final = (
    "Đơn vị đã gửi báo cáo kỳ này (mã {report_id}, phiên bản {version}). "
    "Để sửa đổi, gửi phiên bản mới tới /api/v1/reports/{report_id}/versions."
)
AMENDMENT_MISMATCH: Final = "Không khớp với báo cáo đang sửa đổi ({expected})."
TASK_DUPLICATED: Final = "Nhiệm vụ {code} được báo cáo nhiều lần."


def plan_year_mismatch(year: int) -> str:
    return f"Kế hoạch đang theo dõi là năm {year}."


def date_outside_plan_year(year: int) -> str:
    return f"Ngày phải thuộc năm {year} của kế hoạch."


def no_rule_for_period(period_label: str) -> str:
    return f"Kế hoạch không quy định báo cáo {period_label} cho đơn vị này."


def unknown_task(code: str) -> str:
    return f"Nhiệm vụ {code} không có trong kế hoạch."


def task_not_led(code: str) -> str:
    return f"Đơn vị không chủ trì nhiệm vụ {code}; chỉ báo cáo các nhiệm vụ mình chủ trì."


def task_not_involved(code: str) -> str:
    return f"Đơn vị không chủ trì hay phối hợp thực hiện nhiệm vụ {code}."


def task_missing(code: str, text: str) -> str:
    return f"Thiếu báo cáo nhiệm vụ {code}: {shorten(text, 90)}"


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- labels -----------------------------------------------------------------------------------

STATUS_LABELS: Final = {
    "done": "Đã hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
}
REPORTER_LABELS: Final = {
    "lead_units": "Báo cáo của đơn vị chủ trì",
    "focal_unit": "Báo cáo tổng hợp của đơn vị đầu mối",
}
PERIOD_STATUS_LABELS: Final = {
    "on_time": "Đã gửi đúng hạn",
    "late": "Đã gửi, muộn hạn",
    "overdue": "Chưa gửi, đã quá hạn",
    "pending": "Chưa đến hạn",
    "not_required": "Trước khi kế hoạch có hiệu lực, không bắt buộc",
}


def period_label(period: str, year: int) -> str:
    """ "quý III năm 2024", "6 tháng đầu năm 2026": the one style of `minhbach.periods`."""
    return periods.period_label(period, year)


def on_time_label(on_time: bool) -> str:
    return "Đúng hạn" if on_time else "Muộn hạn"


def due_label(due_at: datetime) -> str:
    """ "hạn cuối 01/07/2024" for an exclusive due instant (the last day still on time)."""
    return f"hạn cuối {format_vn_date_short(last_on_time_day(due_at))}"


def local_time_label(moment: datetime) -> str:
    local = moment.astimezone(TZ)
    return f"{local:%H:%M} ngày {format_vn_date_short(local.date())}"


def list_codes(codes: Iterable[str]) -> str:
    return ", ".join(codes) or "không có"


def date_label(day: date) -> str:
    return format_vn_date_short(day)


# --- the HTML form ----------------------------------------------------------------------------

FORM_FIX_ERRORS: Final = "Báo cáo chưa được gửi. Vui lòng sửa các mục được đánh dấu bên dưới."
FORM_AMENDING: Final = (
    "Kỳ này đã có báo cáo (phiên bản {version}, gửi lúc {when}). Gửi lại sẽ tạo phiên bản "
    "{next_version}; các phiên bản cũ vẫn được lưu."
)
FORM_EVIDENCE_SAVED: Final = "Đã nhận minh chứng cho nhiệm vụ {code}."

# The receipt's sentence: "Đã nhận báo cáo định kỳ quý III năm 2024, phiên bản 1 (đúng hạn)."
RECEIPT: Final = "Đã nhận {report} {period}, phiên bản {version} ({timeliness})."
