"""Every Vietnamese text of the plan import (errors, KIỂM TRA notes, the summary)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from minhbach.periods import kind_name, period_name

# --- errors: what is wrong, where, and what to do -------------------------------------------


def not_a_docx(name: str) -> str:
    return (
        f"Tệp “{name}” không phải tệp Word (.docx) đọc được. Hãy mở kế hoạch bằng Word hoặc "
        "LibreOffice và lưu lại dưới dạng .docx (tệp .doc cũ và .pdf không đọc được)."
    )


def not_an_xlsx(name: str) -> str:
    return (
        f"Tệp “{name}” không phải bảng tính Excel (.xlsx) đọc được. Hãy lưu danh sách đơn vị "
        "dưới dạng .xlsx (có thể tạo mẫu bằng lệnh `minhbach units template`)."
    )


def no_appendix(name: str, tables: int) -> str:
    found = f"có {tables} bảng nhưng không bảng nào" if tables else "không có bảng nào, nên không"
    return (
        f"Tệp “{name}”: {found} có các cột của Phụ lục nhiệm vụ (STT, Chỉ tiêu, Nhiệm vụ giải "
        "pháp, Cơ quan chủ trì, Cơ quan phối hợp, Thời gian thực hiện). Phụ lục phải là một "
        "bảng trong tệp, không phải ảnh chụp hay văn bản tách rời."
    )


def missing_columns(name: str, table: int, missing: Sequence[str], header: Sequence[str]) -> str:
    return (
        f"Tệp “{name}”, bảng {table} (Phụ lục): thiếu cột {', '.join(missing)}. Dòng tiêu đề "
        f"đọc được: {' | '.join(header)}. Thêm cột còn thiếu hoặc sửa tên cột cho đúng."
    )


def no_tasks(name: str, table: int) -> str:
    return f"Tệp “{name}”, bảng {table} (Phụ lục): không đọc được nhiệm vụ nào dưới dòng tiêu đề."


def empty_lead(name: str, where: str, column: str, code: str) -> str:
    return (
        f"Tệp “{name}”, Phụ lục, {where}, cột “{column}”: nhiệm vụ {code} không có cơ quan "
        "chủ trì. Ghi tên cơ quan chủ trì vào ô này."
    )


def place_in_table(table: int | None, row: int) -> str:
    return f"dòng {row}" if table is None else f"bảng {table}, dòng {row}"


def unknown_unit(source: str, where: str, column: str, code: str, name: str, units: str) -> str:
    return (
        f"Tệp “{source}”, Phụ lục, {where}, cột “{column}” (nhiệm vụ {code}): không tìm thấy "
        f"đơn vị “{name}” trong danh sách đơn vị “{units}”. Thêm đơn vị này vào danh sách (hoặc "
        "ghi tên này vào cột “Tên khác” của đơn vị đúng), hoặc sửa tên trong kế hoạch."
    )


def unknown_recipient(source: str, name: str, units: str) -> str:
    return (
        f"Tệp “{source}”, phần Tổ chức thực hiện: không tìm thấy người nhận báo cáo “{name}” "
        f"trong danh sách đơn vị “{units}”. Thêm một dòng cho người nhận (ví dụ loại "
        "“Lãnh đạo”) vào danh sách đơn vị."
    )


def unknown_focal(source: str, name: str | None, units: str) -> str:
    if name is None:
        return (
            f"Tệp “{source}”: không tìm thấy đơn vị đầu mối (dòng “Đơn vị đầu mối: ...” hoặc "
            "“Giao ... là cơ quan đầu mối”). Ghi rõ đơn vị đầu mối trong kế hoạch."
        )
    return (
        f"Tệp “{source}”: đơn vị đầu mối “{name}” không có trong danh sách đơn vị “{units}”. "
        "Thêm đơn vị này vào danh sách."
    )


def units_missing_columns(name: str, missing: Sequence[str]) -> str:
    return (
        f"Tệp “{name}”, dòng 1: thiếu cột {', '.join(missing)}. Các cột cần có: Mã, Tên đơn vị, "
        "Loại, Thư điện tử, Cổng TTĐT, Đơn vị cấp trên (tạo mẫu bằng `minhbach units template`)."
    )


def units_cell(name: str, row: int, column: str, problem: str) -> str:
    return f"Tệp “{name}”, dòng {row}, cột “{column}”: {problem}"


def more_problems(count: int) -> str:
    return f"... và {count} lỗi khác cùng loại."


def duplicate_code(code: str, first_row: int) -> str:
    return f"mã “{code}” đã dùng ở dòng {first_row}; mỗi đơn vị một mã riêng."


def bad_email(value: str) -> str:
    return f"“{value}” không phải địa chỉ thư điện tử (dạng ten@co-quan.gov.vn)."


def bad_portal(value: str) -> str:
    return f"“{value}” không phải địa chỉ trang web (dạng https://ten.gov.vn)."


def bad_code(value: str) -> str:
    return (
        f"mã “{value}” chỉ được gồm chữ thường không dấu, số, dấu gạch ngang "
        "(ví dụ “phong-tu-phap”)."
    )


def portal_required(kind: str) -> str:
    return f"đơn vị loại “{kind}” có cổng thông tin riêng: ghi địa chỉ cổng (https://...)."


def unknown_kind(value: str, known: str) -> str:
    return f"không hiểu loại “{value}”. Ghi một trong: {known}."


def unknown_parent(value: str) -> str:
    return f"đơn vị cấp trên “{value}” không có trong danh sách (ghi mã hoặc đúng tên đơn vị)."


def required(column: str) -> str:
    return f"ô “{column}” không được để trống."


def no_units(name: str) -> str:
    return f"Tệp “{name}”: không có đơn vị nào dưới dòng tiêu đề."


def invalid_result(problems: Sequence[str]) -> str:
    return (
        "Kế hoạch đọc được chưa thành tệp kế hoạch hợp lệ, chưa ghi tệp nào. Các lỗi:\n"
        + "\n".join(f"  - {problem}" for problem in problems)
    )


def file_header(
    document: str, units: str, from_base: bool, corrections: Sequence[str] = ()
) -> list[str]:
    origin = "cập nhật từ tệp kế hoạch cũ (--base)" if from_base else "tạo mới"
    lines = [
        "Minh Bạch plan file, written by `minhbach plan import` "
        f"({origin}) from “{document}” and “{units}”.",
        "Mỗi dòng “KIỂM TRA: ...” là giá trị máy đoán hoặc không tìm thấy trong văn bản: người",
        "phụ trách xem lại rồi xóa dòng đó. Kiểm tra tệp bằng: minhbach plan validate <tệp>",
    ]
    if corrections:
        lines.append("KIỂM TRA: đã sửa lỗi chính tả của văn bản: " + "; ".join(corrections))
    return [*lines, ""]


# --- differences against the plan in use ---------------------------------------------------


def added(what: str, code: str, name: str) -> str:
    return f"+ thêm {what} {code}: {name}"


def removed(what: str, code: str, name: str) -> str:
    return f"- bỏ {what} {code}: {name}"


def changed(what: str, field: str, before: object, after: object) -> str:
    label = f" ({field})" if field else ""
    return f"~ {what}{label}: {_shown(before)} → {_shown(after)}"


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "(không có)"
    if value is None:
        return "(không có)"
    return str(value)


# --- the summary printed after an import ---------------------------------------------------


def summary_lines(
    *,
    title: str,
    issuer: str,
    year: int,
    signer: str,
    focal: str,
    counts: tuple[int, int, int, int],
    matches: list[tuple[str, str, str, float]],
    rules: list[str],
    checks: list[str],
    corrections: list[str],
    differences: list[str],
    from_base: bool,
    file_checks: int,
) -> list[str]:
    indicators, tasks, units, groups = counts
    lines = [
        f"Đã đọc: {title}",
        f"  {issuer}, năm {year}; người ký: {signer}",
        f"  Đơn vị đầu mối: {focal}",
        f"  {indicators} chỉ tiêu, {tasks} nhiệm vụ; {units} đơn vị trong danh sách, "
        f"{groups} nhóm đơn vị",
        "",
        "Hạn báo cáo đọc được:",
        *(f"  - {rule}" for rule in rules),
        "",
        "Tên đơn vị trong kế hoạch → đơn vị trong danh sách (độ khớp):",
        *(f"  {name} → {code} “{unit}” ({score:g}%)" for name, code, unit, score in matches),
    ]
    if corrections:
        lines += ["", "Đã sửa lỗi chính tả của văn bản:", *(f"  - {c}" for c in corrections)]
    if differences:
        lines += ["", f"Khác với tệp kế hoạch cũ ({len(differences)}):"]
        lines += [f"  {d}" for d in differences]
    elif from_base:
        lines += ["", no_differences()]
    lines += [
        "",
        f"Cần người kiểm tra ({len(checks)} mục đọc từ văn bản; tệp có {file_checks} dòng "
        "“KIỂM TRA”, kể cả thiết lập lấy theo mẫu):",
    ]
    lines += [f"  - {c}" for c in checks] or ["  (không có)"]
    return lines


def rule_line(
    reporter: str,
    period: str,
    day: int,
    month: int | None,
    due_month: str | int | None,
    folded: str,
    recipients: str,
) -> str:
    """ "Đơn vị đầu mối báo cáo Chủ tịch UBND tỉnh: báo cáo quý, trước ngày 20 tháng cuối quý"."""
    who = "Các đơn vị chủ trì" if reporter == "lead_units" else "Đơn vị đầu mối"
    if period == "year" or month is not None:
        when = f"báo cáo năm, trước ngày {day:02d}/{month or 0:02d}"
    else:
        of = "quý" if period == "quarter" else "kỳ"
        which = {
            "next": f"tháng đầu {of} sau",
            "last": f"tháng cuối {of}",
            "first": f"tháng đầu {of}",
        }.get(str(due_month or "next"), f"tháng thứ {due_month} của {of}")
        when = f"báo cáo {kind_name(period)}, trước ngày {day:02d} {which}"
        if folded:
            when += f" ({period_name(folded).lower()} gộp vào báo cáo năm)"
    return f"{who} báo cáo {recipients}: {when}"


def no_differences() -> str:
    return "Không khác tệp kế hoạch cũ."


# --- spreadsheets --------------------------------------------------------------------------

SHEET_UNITS = "Đơn vị"
SHEET_INDICATORS = "Chỉ tiêu"
SHEET_TASKS = "Nhiệm vụ"
SHEET_DEADLINES = "Hạn trong năm"
SHEET_HELP = "Hướng dẫn"
EXPORT_INDICATOR_HEADER = ("STT", "Chỉ tiêu", "Mục tiêu", "Nhiệm vụ")
EXPORT_TASK_HEADER = (
    "Mã",
    "Chỉ tiêu",
    "Nhiệm vụ, giải pháp",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Vai trò phối hợp",
    "Thời gian thực hiện",
    "Hạn cuối",
)
EXPORT_DEADLINE_HEADER = ("Hạn cuối (ngày cuối được nộp)", "Đơn vị", "Việc", "Mã")
EXPORT_LEAD_UNITS = "Các đơn vị chủ trì"
TEMPLATE_HELP_HEADER = "Cách điền danh sách đơn vị"
TEMPLATE_HELP = [
    ["Mỗi dòng một đơn vị. Cột bắt buộc: Tên đơn vị, Loại, Thư điện tử."],
    ["Mã: chữ thường không dấu và dấu gạch ngang; để trống thì máy đặt mã."],
    ["Cổng TTĐT: bắt buộc với UBND tỉnh, xã, phường, đặc khu (đơn vị có cổng riêng)."],
    ["Đơn vị cấp trên: mã của đơn vị cấp trên (ví dụ UBND tỉnh)."],
    ["Tên khác: tên đơn vị được viết trong kế hoạch nếu khác tên chính, cách nhau bằng “;”."],
    ["Loại: một trong các giá trị dưới đây."],
]


def export_report(period: str, year: int, recipient: str) -> str:
    label = "năm" if period == "year" else f"quý {period[1:]}"
    return f"Báo cáo {label} {year} gửi {recipient}"


# --- the command line ----------------------------------------------------------------------


def written(path: str, checks: int) -> str:
    return f"Đã ghi {path} ({checks} dòng KIỂM TRA cần người xem lại)."


def not_written() -> str:
    return "Chưa ghi tệp nào."


def cannot_read(path: str, error: str) -> str:
    return f"Không đọc được tệp “{path}”: {error}"


def exported(path: str) -> str:
    return f"Đã ghi {path}."


# --- notes: what a person must check (a KIỂM TRA comment and a line of the summary) ---------
# (Notes that name the plan file's own fields and kinds live with them in `schema`.)

NO_COMPARISON = "không ghi “trên hoặc bằng”/“dưới hoặc bằng”, hiểu là “trên hoặc bằng”"
TARGET_NO_TARGET = "kế hoạch không ghi mục tiêu"
OVERALL_NO_TARGET = "kế hoạch không ghi mục tiêu chung của chỉ số thành phần"
NO_TIMING = "không ghi thời gian thực hiện, tạm ghi là thường xuyên"
NO_SIGN_DATE = "không đọc được ngày ký của kế hoạch"
BLANK_SIGN_DAY = "kế hoạch để trống ngày ký"
NO_ORGANISATION = "không thấy phần “Tổ chức thực hiện”"
NO_DUE_DATES = "không đọc được hạn báo cáo nào trong “Tổ chức thực hiện”"
HALF_YEAR = (
    "kế hoạch có báo cáo 6 tháng nhưng không đọc được hạn (“trước ngày 20/6”): thêm quy tắc "
    "period: half_year bằng tay"
)
NO_VICE_CHAIR = "danh sách không có Phó Chủ tịch phụ trách; bậc cuối của nhắc việc là Chủ tịch"


def unit_of_target(scale_is_points: bool) -> str:
    scale = "điểm (thang 10)" if scale_is_points else "%"
    return f"không ghi đơn vị, hiểu là {scale}"


def target_off_scale(words: str) -> str:
    return f"mục tiêu “{words}” vượt thang điểm, không dùng"


def deadline_same_day(words: str, day: date) -> str:
    return f"“{words}”: hiểu hạn cuối là chính ngày {day:%d/%m/%Y}"


def deadline_end_of_quarter(words: str, day: date) -> str:
    return f"“{words}”: hiểu hạn cuối là ngày cuối quý, {day:%d/%m/%Y}"


def deadline_end_of_month(words: str, day: date) -> str:
    return f"“{words}”: hiểu hạn cuối là ngày cuối tháng, {day:%d/%m/%Y}"


def timing_unknown(words: str) -> str:
    return f"không hiểu thời gian “{words}”, tạm ghi là thường xuyên"


def working_days(words: str, days: int) -> str:
    return f"“{words}”: hiểu là {days} ngày làm việc"


def indicator_numbered(number: int) -> str:
    return f"chỉ tiêu không có số thứ tự, đánh số {number}"


def indicator_renumbered(written: int, number: int) -> str:
    return f"số thứ tự {written} của chỉ tiêu đã dùng, đánh số {number}"


def task_code_repeated(code: str, free: str) -> str:
    return f"mã nhiệm vụ {code} có hai lần trong bảng, lần sau đánh mã {free}"


def row_without_task(where: str) -> str:
    return f"{where} có cơ quan chủ trì nhưng không có nội dung nhiệm vụ: bỏ qua dòng này"


def indicator_placeholder(number: int) -> str:
    return f"Chỉ tiêu {number}"


def task_numbered(code: str | None, guessed: str) -> str:
    why = "không có mã" if code is None else f"mã “{code}” không thuộc chỉ tiêu này"
    return f"nhiệm vụ {why}, đánh mã {guessed}"


def lead_empty_shared(row: int, source: str) -> str:
    return f"ô chủ trì trống (dòng {row}), hiểu là như nhiệm vụ {source}"


def lead_role_dropped(role: str) -> str:
    return f"ô chủ trì ghi thêm “{role}”, bỏ qua"


def sign_date_impossible(day: str, month: str, year: int) -> str:
    return f"ngày ký {day}/{month}/{year} không có thật"


def timing_by_law(words: str) -> str:
    return (
        f"“{words}”: hiểu là sau khi văn bản ban hành, trong thời hạn công khai của loại văn "
        "bản đó (publication window)"
    )


def half_year_duty(words: str, day: int, month: int) -> str:
    return (
        f"“{words}”: hiểu là hạn trước ngày {day:02d} tháng thứ {month} của mỗi kỳ 6 tháng "
        f"(6 tháng cuối năm: trước ngày {day:02d}/{month + 6:02d})"
    )


def fold_without_year(words: str) -> str:
    return (
        f"“{words}”: kế hoạch không ghi hạn báo cáo năm của đơn vị này, nên kỳ cuối vẫn báo cáo "
        "riêng; thêm quy tắc năm rồi ghi fold_last_into_year: true"
    )


def matched(name: str, unit: str, score: float, runner_up: str | None) -> str:
    doubt = f", có thể là “{runner_up}”" if runner_up else ""
    return f"“{name}” hiểu là “{unit}” (độ khớp {score:g}%{doubt})"


def recipient_guessed(name: str) -> str:
    return f"không rõ ai nhận báo cáo, chọn {name}"


def chairman_guessed(name: str) -> str:
    return f"không thấy ai nhận báo cáo của đầu mối, chọn {name}"


def vice_chair_chosen(name: str, is_signer: bool) -> str:
    why = "là người ký kế hoạch" if is_signer else "tên gần nhất với “Phó Chủ tịch phụ trách”"
    return f"chọn {name} ({why}); giả định"


def code_kept(code: str, name: str, score: float) -> str:
    return f"giữ mã “{code}” của tệp cũ cho “{name}” (độ khớp {score:g}%)"


def code_made(name: str, code: str) -> str:
    return f"“{name}” chưa có mã, đặt mã “{code}”"


def no_year(name: str) -> str:
    return (
        f"Tệp “{name}”: không đọc được năm của kế hoạch (trong tên kế hoạch hoặc dòng "
        "“..., ngày ... tháng ... năm ...”)."
    )


def about(what: tuple[str, ...]) -> str:
    """Where a note belongs, in words: ("task", "3.1", "lead") -> "Nhiệm vụ 3.1"."""
    kind, rest = (what[0], what[1:]) if what else ("", ())
    named = {
        "indicator": "Chỉ tiêu",
        "task": "Nhiệm vụ",
        "unit": "Đơn vị",
    }
    if kind in named and rest:
        return f"{named[kind]} {rest[0]}"
    return {"meta": "Thông tin chung", "roles": "Vai trò", "duties": "Chế độ báo cáo"}.get(
        kind, kind
    )
