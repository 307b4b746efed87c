"""Everything a person reads in a notice, in Vietnamese: labels, subject lines, sentences.

The e-mail bodies are Jinja2 templates under `templates/`; this module gives them their words.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from minhbach.periods import PERIOD_CODES, period_name
from notifier.domain.ladder import ESCALATE_PREFIX, OVERDUE, PORTAL_DOWN, REMINDER_PREFIX

SUBJECT_PREFIX: Final = "[Minh Bạch]"

KIND_LABELS: Final = {
    "quarterly_report": "Báo cáo quý",
    "annual_report": "Báo cáo năm",
    "focal_quarterly_report": "Báo cáo quý của đơn vị đầu mối",
    "focal_annual_report": "Báo cáo năm của đơn vị đầu mối",
    "periodic_report": "Báo cáo định kỳ",
    "focal_periodic_report": "Báo cáo định kỳ của đơn vị đầu mối",
    "fixed_deadline_task": "Nhiệm vụ có thời hạn",
    "document_posting": "Đăng tải văn bản trên Cổng thông tin điện tử",
}

# "Quý III", "6 tháng đầu năm", "9 tháng", "Cả năm": the names of `minhbach.periods`.
PERIOD_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {code: period_name(code) for code in PERIOD_CODES}
)

GREETING: Final = "Kính gửi"
INTRO: Final = {
    "reminder": "Hệ thống Minh Bạch xin nhắc các nội dung sắp đến hạn dưới đây.",
    "overdue": "Các nội dung dưới đây đã quá hạn mà đơn vị chưa thực hiện.",
    "escalation": (
        "Các đơn vị dưới đây đã quá hạn nhiều ngày làm việc; đề nghị đồng chí "
        "chỉ đạo, đôn đốc thực hiện."
    ),
    "portal_down": (
        "Cổng thông tin điện tử của đơn vị hiện không truy cập được; các nhắc nhở về nội dung "
        "đăng tải trên Cổng tạm dừng cho đến khi Cổng hoạt động trở lại."
    ),
}
ACTION_UNIT: Final = "Đề nghị đơn vị thực hiện và gửi báo cáo, minh chứng qua biểu mẫu tại"
ACTION_ESCALATION: Final = "Đơn vị có thể gửi báo cáo, minh chứng qua biểu mẫu tại"
ACTION_PORTAL: Final = "Đề nghị kiểm tra, khôi phục hoạt động của Cổng thông tin điện tử"
FOOTER: Final = (
    "Thư này do hệ thống Minh Bạch gửi tự động để theo dõi việc thực hiện {plan}. "
    "Vui lòng không trả lời thư này."
)

LABEL_UNIT: Final = "Đơn vị thực hiện"
LABEL_TASK: Final = "Nhiệm vụ"
LABEL_PERIOD: Final = "Kỳ báo cáo"
LABEL_DUE: Final = "Hạn cuối"
LABEL_STATUS: Final = "Tình trạng"
LABEL_DOCUMENT: Final = "Văn bản"
LABEL_PORTAL: Final = "Cổng"
LABEL_SINCE: Final = "Không truy cập được từ"


def stage_label(stage: str) -> str:
    if stage.startswith(REMINDER_PREFIX):
        return "Nhắc hạn"
    if stage == OVERDUE:
        return "Quá hạn"
    if stage.startswith(ESCALATE_PREFIX):
        return f"Báo cáo vượt cấp (mức {stage.removeprefix(ESCALATE_PREFIX)})"
    if stage == PORTAL_DOWN:
        return "Cổng thông tin điện tử không truy cập được"
    return stage


def status_text(overdue: bool, days: int) -> str:
    """How far from the due date, in working days ("còn 3 ngày làm việc", "quá hạn 2 ...")."""
    if overdue:
        return f"Đã quá hạn {days} ngày làm việc" if days else "Đã quá hạn"
    if days == 0:
        return "Hôm nay là ngày cuối cùng của thời hạn"
    return f"Còn {days} ngày làm việc đến hạn"


def subject_line(stage: str, count: int) -> str:
    """The Subject: fixed words and a number only, never text from the plan or from reports."""
    if stage.startswith(ESCALATE_PREFIX):
        text = f"Báo cáo vượt cấp: {count} nội dung quá hạn cần chỉ đạo"
    elif stage == OVERDUE:
        text = f"Thông báo quá hạn: {count} nội dung chưa hoàn thành"
    elif stage == PORTAL_DOWN:
        text = "Cổng thông tin điện tử không truy cập được"
        if count > 1:
            text += f" và {count - 1} nội dung khác"
    else:
        text = f"Nhắc hạn thực hiện kế hoạch: {count} nội dung sắp đến hạn"
    return f"{SUBJECT_PREFIX} {text}"


def intro_key(stage: str) -> str:
    if stage.startswith(ESCALATE_PREFIX):
        return "escalation"
    if stage == OVERDUE:
        return "overdue"
    if stage == PORTAL_DOWN:
        return "portal_down"
    return "reminder"


# --- drafts from reporting ----------------------------------------------------------------------

DRAFT_KINDS: Final = {
    "consolidated_report": "Dự thảo báo cáo tổng hợp gửi {chairman}",
    "inspection_notice": "Dự thảo thông báo kết quả kiểm tra Cổng TTĐT",
}
DRAFT_BODY: Final = (
    "Kính gửi: {name}\n\n"
    "Hệ thống Minh Bạch đã lập dự thảo (phiên bản {version}, lúc {drafted}):\n"
    "{title}\n\n"
    "{missing}"
    "Dự thảo đính kèm thư này (tệp .docx) để đơn vị rà soát, chỉnh sửa và trình ký. "
    "Bản PDF, bản xem trên web và các phiên bản trước: {page}\n\n"
    "Thư này do hệ thống Minh Bạch gửi tự động. Vui lòng không trả lời thư này.\n"
)


def draft_subject(kind: str, version: int, chairman: str) -> str:
    """`chairman`: the plan's chairman unit's name ("Chủ tịch UBND tỉnh")."""
    what = DRAFT_KINDS.get(kind, "Dự thảo").format(chairman=chairman)
    return f"{SUBJECT_PREFIX} {what} (phiên bản {version})"


def draft_missing(count: int) -> str:
    if not count:
        return ""
    return f"Lưu ý: dự thảo nêu {count} đơn vị chưa gửi báo cáo hoặc chưa được kiểm tra.\n\n"


# The digest's sections, in SECTION_ORDER (compose.py).
SECTION_TITLES: Final = {
    "escalation": "Báo cáo vượt cấp",
    "overdue": "Quá hạn",
    "portal_down": "Cổng thông tin điện tử không truy cập được",
    "reminder": "Nhắc hạn",
}
LABEL_KIND: Final = "Loại"
