"""Everything a person reads from portal-monitor (check details in reports), in Vietnamese."""

from __future__ import annotations

from datetime import date

from minhbach.calendar import format_vn_date_short


def portal_available(status: int) -> str:
    return f"Cổng TTĐT trả lời bình thường (mã {status})."


def portal_unavailable(reason: str) -> str:
    return f"Không truy cập được Cổng TTĐT: {reason}."


def latency(median_ms: float, limit_ms: int, samples: int = 1, days: int = 7) -> str:
    """The median of the window's samples, and how many there were (issue 19)."""
    return (
        f"Thời gian phản hồi trang chủ {median_ms:.0f} ms (trung vị của {samples} lần đo trong "
        f"{days} ngày gần nhất; giới hạn {limit_ms} ms)."
    )


def tls_days(days: int, warning_days: int) -> str:
    if days < 0:
        return f"Chứng thư số (TLS) đã hết hạn {-days} ngày."
    return f"Chứng thư số (TLS) còn {days} ngày (cảnh báo khi dưới {warning_days} ngày)."


def section_present(name: str) -> str:
    return f"Có chuyên mục “{name}”."


def section_missing(name: str, status: int | None) -> str:
    code = f" (mã {status})" if status else ""
    return f"Không tìm thấy chuyên mục “{name}”{code}."


def section_unreachable(name: str, reason: str) -> str:
    return f"Không truy cập được chuyên mục “{name}”: {reason}. Sẽ kiểm tra lại."


def section_blocked_by_robots(name: str) -> str:
    return f"Tệp robots.txt của cổng không cho phép đọc chuyên mục “{name}”."


def section_items(name: str, count: int) -> str:
    if count == 0:
        return f"Chuyên mục “{name}” không có văn bản, tin bài nào."
    return f"Chuyên mục “{name}” có {count} mục."


def section_freshness(name: str, newest: date | None, days: int) -> str:
    if newest is None:
        return (
            f"Chuyên mục “{name}” không có mục nào ghi ngày (yêu cầu cập nhật trong {days} ngày)."
        )
    return (
        f"Mục mới nhất của chuyên mục “{name}” ngày {format_vn_date_short(newest)} "
        f"(yêu cầu cập nhật trong {days} ngày)."
    )


def page_problem(name: str, problems: list[str]) -> str:
    return f"Trang chuyên mục “{name}” có lỗi: {'; '.join(problems)}."


def legal_links(missing: list[str]) -> str:
    if not missing:
        return "Có liên kết đến hệ thống thông tin pháp luật tỉnh và CSDL quốc gia về pháp luật."
    return f"Thiếu liên kết đến: {', '.join(missing)}."


def qa_activity(newest: date | None, days: int) -> str:
    if newest is None:
        return "Chuyên mục hỏi đáp chưa có câu hỏi, trả lời nào."
    return (
        f"Trả lời mới nhất trong chuyên mục hỏi đáp ngày {format_vn_date_short(newest)} "
        f"(yêu cầu có trong {days} ngày)."
    )


def directive_section(foreign: list[str], without_full_text: list[str], unknown: int = 0) -> str:
    """`unknown`: directives whose file is not checked (or not reached) yet: not accused."""
    pending = f"{unknown} văn bản chưa kiểm tra được tệp toàn văn, sẽ kiểm tra lại"
    pending = pending if unknown else ""
    if not foreign and not without_full_text:
        if pending:
            return f"Chuyên mục chỉ đạo điều hành chỉ có văn bản chỉ đạo, điều hành; {pending}."
        return "Chuyên mục chỉ đạo điều hành chỉ có văn bản chỉ đạo, điều hành, đăng toàn văn."
    parts = []
    if foreign:
        parts.append(f"{len(foreign)} mục không phải văn bản chỉ đạo, điều hành: {_few(foreign)}")
    if without_full_text:
        parts.append(
            f"{len(without_full_text)} văn bản không có toàn văn: {_few(without_full_text)}"
        )
    if pending:
        parts.append(pending)
    return "; ".join(parts) + "."


def copies(late: list[str], missing: list[str], total: int, sources: list[str]) -> str:
    """Documents of `sources` (unit names, from the plan's copy duties) this portal must carry."""
    of = ", ".join(dict.fromkeys(s for s in sources if s)) or "cổng nguồn"
    if not late and not missing:
        return f"Đã đăng đủ, đúng hạn {total} văn bản của {of} cần đăng lại trên cổng này."
    parts = []
    if missing:
        parts.append(f"chưa đăng {len(missing)} văn bản của {of}: {_few(missing)}")
    if late:
        parts.append(f"đăng muộn {len(late)} văn bản: {_few(late)}")
    return "Cổng này " + "; ".join(parts) + "."


def robots_refused(url: str) -> str:
    return f"robots.txt không cho phép đọc {url}."


def _few(titles: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"“{t}”" for t in titles[:limit])
    return shown + (f" và {len(titles) - limit} mục khác" if len(titles) > limit else "")


# Reasons a fetch failed, as shown in the details above.
FETCH_PROBLEMS = {
    "timeout": "quá thời gian chờ",
    "too_large": "trang quá lớn, đã dừng đọc",
    "decompression_bomb": "dữ liệu nén bất thường (nén quá mức), đã dừng đọc",
    "redirect_loop": "chuyển hướng vòng lặp",
    "too_many_redirects": "chuyển hướng quá nhiều lần",
    "off_portal_redirect": "chuyển hướng ra ngoài cổng, không theo",
    "network": "lỗi kết nối",
    "server_error": "máy chủ báo lỗi",
    "blocked_address": "địa chỉ không được phép truy cập",
    "invalid_encoding": "nội dung không đúng bảng mã khai báo (mặc định UTF-8)",
    "malformed": "định dạng không đọc được",
    "robots": "robots.txt không cho phép",
}


def problem(kind: str) -> str:
    return FETCH_PROBLEMS.get(kind, kind)


def directive_review(titles: list[str]) -> str:
    """Items that look like no directive on a guess (no known type, no trusted rule): listed
    for the focal unit to review, the unit is not accused of them (appended to the detail)."""
    if not titles:
        return ""
    return f" Cần xem xét (chưa đủ căn cứ để kết luận) {len(titles)} mục: {_few(titles)}."


def section_delegated(name: str, url: str) -> str:
    """A section the plan places on another portal (thủ tục hành chính on the public-service
    portal), linked from this one."""
    return f"Chuyên mục “{name}” đặt tại cổng khác theo kế hoạch, có liên kết đến {url}."
