"""Every text of the scoring service a person reads, in Vietnamese, in one place."""

from __future__ import annotations

from datetime import date

from minhbach.calendar import format_vn_date_short
from minhbach.events.catalogue import ObligationStatus
from minhbach.periods import period_label

_TITLE_LIMIT = 160

NO_DATA = "Chưa có dữ liệu"
UNKNOWN_SIGNAL = "tín hiệu này chưa được hệ thống tính"

# Why a signal has no data yet (it is then left out of its indicator's readiness).
MISSING_NO_TASKS = "kế hoạch không giao nhiệm vụ nào thuộc chỉ tiêu này"
MISSING_NO_REPORT = "chưa có đơn vị chủ trì nào báo cáo về các nhiệm vụ của chỉ tiêu này"
MISSING_NO_DOCUMENT = "chưa phát hiện văn bản thuộc loại này đến hạn đăng tải"
MISSING_NO_PROBE = "chưa kiểm tra được cổng nào"
MISSING_NO_CHECK = "các lượt kiểm tra cổng chưa có kết quả về nội dung này"
MISSING_NO_DIRECTIVE = "chưa phát hiện văn bản nào trong chuyên mục chỉ đạo, điều hành"
MISSING_NOT_DUE = "chưa có nhiệm vụ có thời hạn nào đến hạn"


def no_data(why: str) -> str:
    """ "Chưa có dữ liệu (chưa kiểm tra được cổng nào)"."""
    return f"{NO_DATA} ({why})"


def missing_first_sweep(untimed: int) -> str:
    return (
        f"mới quét lần đầu: {untimed} văn bản ban hành trước khi bắt đầu giám sát cổng, "
        "không xác định được thời điểm đăng"
    )


NOT_REPORTED = "chưa báo cáo"

TASK_STATUS = {
    "done": "đã hoàn thành",
    "in_progress": "đang thực hiện",
    "not_started": "chưa thực hiện",
}

OBLIGATION_STATUS = {
    ObligationStatus.PENDING: "Chưa đến hạn",
    ObligationStatus.DUE_SOON: "Sắp đến hạn",
    ObligationStatus.OVERDUE: "Quá hạn",
    ObligationStatus.FULFILLED_ON_TIME: "Đã thực hiện đúng hạn",
    ObligationStatus.FULFILLED_LATE: "Đã thực hiện muộn",
}


def readiness_note(place: str) -> str:
    """`place`: the plan's government as `plan.words.place` names it ("tỉnh Bắc Ninh")."""
    return (
        f"Mức sẵn sàng đo những việc {place} tự làm được (báo cáo, đăng tải văn bản, chuyên mục, "
        "cổng thông tin), không phải câu trả lời của doanh nghiệp trong phiếu khảo sát PCI/DDCI."
    )


def _period_text(period: str, year: int) -> str:
    return period_label(period, year)


def lead_report_title(period: str, year: int, recipient: str) -> str:
    return f"Báo cáo {_period_text(period, year)} về kết quả thực hiện Kế hoạch, gửi {recipient}"


def focal_report_title(period: str, year: int, recipient: str) -> str:
    return (
        f"Báo cáo tổng hợp {_period_text(period, year)} về Chỉ số Tính minh bạch, gửi {recipient}"
    )


def fixed_task_title(task_code: str, deadline: date) -> str:
    return f"Hoàn thành nhiệm vụ {task_code} (thời hạn {format_vn_date_short(deadline)})"


def _document(number: str | None, title: str) -> str:
    short = title if len(title) <= _TITLE_LIMIT else title[: _TITLE_LIMIT - 1].rstrip() + "…"
    return f"{number} “{short}”" if number else f"“{short}”"


def own_posting_title(number: str | None, title: str, issued_on: date) -> str:
    return (
        f"Đăng tải kịp thời văn bản {_document(number, title)} "
        f"(ban hành {format_vn_date_short(issued_on)}) lên Cổng TTĐT"
    )


def copy_posting_title(number: str | None, title: str, source_unit: str) -> str:
    return (
        f"Đăng tải lên Cổng TTĐT của đơn vị văn bản {_document(number, title)} "
        f"đã đăng trên Cổng TTĐT của {source_unit}"
    )


# --- readiness evidence -------------------------------------------------------------------------


def share(ok: int, total: int) -> str:
    return f"{ok}/{total}"


def tasks_done_summary(done: int, total: int) -> str:
    return f"{share(done, total)} cặp nhiệm vụ – đơn vị chủ trì được báo cáo đã hoàn thành"


def task_pair_label(task_code: str, unit_name: str, status: str | None) -> str:
    said = TASK_STATUS.get(status or "", NOT_REPORTED)
    return f"Nhiệm vụ {task_code} – {unit_name}: {said}"


def documents_on_time_summary(on_time: int, late: int, overdue: int, untimed: int = 0) -> str:
    total = on_time + late + overdue
    summary = (
        f"{share(on_time, total)} văn bản đăng tải đúng hạn "
        f"({late} đăng muộn, {overdue} quá hạn chưa đăng)"
    )
    if untimed:
        summary += (
            f"; không tính {untimed} văn bản ban hành trước khi bắt đầu giám sát cổng "
            "(không xác định được thời điểm đăng)"
        )
    return summary


def sections_summary(ok: int, total: int) -> str:
    return f"{share(ok, total)} chuyên mục bắt buộc có trên cổng và được cập nhật"


def section_label(unit_name: str, section_name: str, detail: str) -> str:
    text = f"{unit_name}: chuyên mục “{section_name}”"
    return f"{text} ({detail})" if detail else text


SECTION_NO_PROBE = "chưa kiểm tra"
SECTION_MISSING = "không có"
SECTION_STALE = "chưa được cập nhật"
SECTION_OK = "có, được cập nhật"


def qa_summary(ok: int, total: int) -> str:
    return f"{share(ok, total)} cổng có chuyên mục hỏi đáp hoạt động"


def legal_links_summary(ok: int, total: int) -> str:
    return f"{share(ok, total)} cổng có liên kết đến hệ thống thông tin pháp luật"


def portal_check_label(unit_name: str, passed: bool | None) -> str:
    if passed is None:
        return f"{unit_name}: {SECTION_NO_PROBE}"
    return f"{unit_name}: {'đạt' if passed else 'chưa đạt'}"


def availability_summary(mean: float, portals: int, days: int) -> str:
    return (
        f"Trung bình {mean * 100:.1f}% lượt kiểm tra truy cập được cổng trong {days} ngày qua "
        f"(trên {portals} cổng đã kiểm tra)"
    )


def availability_label(unit_name: str, reached: int, probes: int) -> str:
    if probes == 0:
        return f"{unit_name}: {SECTION_NO_PROBE}"
    return f"{unit_name}: {reached}/{probes} lượt kiểm tra truy cập được"


def directive_clean_summary(ok: int, total: int) -> str:
    return (
        f"{share(ok, total)} văn bản trong chuyên mục chỉ đạo điều hành là văn bản chỉ đạo, "
        "điều hành được đăng toàn văn"
    )


def directive_label(
    unit_name: str, number: str | None, title: str, kind_ok: bool, full: bool
) -> str:
    problems = []
    if not kind_ok:
        problems.append("không phải văn bản chỉ đạo, điều hành")
    if not full:  # scoring counts a file only once it was fetched: absent or not checked yet
        problems.append("chưa xác nhận được toàn văn")
    tail = "; ".join(problems) if problems else "đạt"
    return f"{unit_name}: {_document(number, title)}: {tail}"


def fixed_deadline_summary(ok: int, total: int) -> str:
    return f"{share(ok, total)} nhiệm vụ có thời hạn được hoàn thành đúng hạn"


def obligation_label(unit_name: str, title: str, status: ObligationStatus) -> str:
    return f"{unit_name}: {title} – {OBLIGATION_STATUS[status]}"


# Answers of the HTTP API when a path names something the plan does not have.
NO_SUCH_INDICATOR = "Không có chỉ tiêu số {number} trong kế hoạch"
NO_SUCH_UNIT = "Không có đơn vị “{unit}” trong kế hoạch"
