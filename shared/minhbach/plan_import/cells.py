"""Reading one cell of the appendix: a target, a timing, a list of units, several tasks.

Pure functions over cleaned text (NFC, typos corrected). Each returns what it read and, when it
had to guess, the words of a note for a person to check.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Final, Literal

from minhbach.plan_import import messages
from minhbach.plan_import.model import TargetDraft, TimingDraft, UnitRef
from minhbach.plan_import.text import clean, fold, spaced_hyphens

# --- targets: "(trên hoặc bằng 3,4)", "≥ 50,6%", "đạt 7,5 điểm" --------------------------------

_AT_LEAST: Final = ("trên hoặc bằng", "lớn hơn hoặc bằng", "không thấp hơn", "tối thiểu", "ít nhất")
_AT_MOST: Final = ("dưới hoặc bằng", "nhỏ hơn hoặc bằng", "không quá", "không vượt quá", "tối đa")
_TARGET = re.compile(
    r"(?P<words>(?:trên hoặc bằng|lớn hơn hoặc bằng|không thấp hơn|tối thiểu|ít nhất|"
    r"dưới hoặc bằng|nhỏ hơn hoặc bằng|không vượt quá|không quá|tối đa|đạt(?: từ)?|từ|≥|>=|≤|<=)"
    r"\s*)?(?<![\d,./])(?P<value>\d{1,3}(?:[,.]\d{1,2})?)(?![\d/])\s*(?P<unit>%|điểm)?",
    re.IGNORECASE,
)
_PARENS_AT_END = re.compile(r"\s*\(([^()]*\d[^()]*)\)\s*$")


def split_target(text: str) -> tuple[str, TargetDraft | None, str | None]:
    """An indicator cell "Title (trên hoặc bằng 3,4)" -> title, target, note."""
    match = _PARENS_AT_END.search(text)
    if match is None:
        return text, None, None
    target, note = read_target(match.group(1))
    if target is None:
        return text, None, None
    return text[: match.start()].strip(), target, note


def read_target(words: str) -> tuple[TargetDraft | None, str | None]:
    """ "trên hoặc bằng 50,6%" -> >= 50.6 percent. A value without "%" or "điểm" is points when
    at most 10, percent above, and the note says it was guessed."""
    matches = list(_TARGET.finditer(words))
    if not matches:
        return None, None
    match = next((m for m in matches if m.group("words")), matches[0])
    value = float(match.group("value").replace(",", "."))
    relation = (match.group("words") or "").strip().lower()
    comparison: Literal[">=", "<="] = (
        "<=" if relation in _AT_MOST or relation in ("≤", "<=") else ">="
    )
    notes = []
    if not relation:
        notes.append(messages.NO_COMPARISON)
    marker = match.group("unit")
    unit: Literal["points", "percent"]
    if marker == "%":
        unit = "percent"
    elif marker:
        unit = "points"
    else:
        unit = "points" if value <= 10 else "percent"
        notes.append(messages.unit_of_target(unit == "points"))
    if (unit == "points" and value > 10) or value > 100:
        return None, messages.target_off_scale(words)
    target = TargetDraft(value=value, unit=unit, comparison=comparison, text=clean(words))
    return target, "; ".join(notes) or None


# --- timing ----------------------------------------------------------------------------------

_BEFORE = re.compile(
    r"(?:trước|chậm nhất trước)\s*(?:ngày\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?",
    re.IGNORECASE,
)
_BY = re.compile(
    r"(?:đến|chậm nhất|hoàn thành|xong)\s*(?:ngày\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})"
    r"(?:\s*[/.-]\s*(\d{4}))?",
    re.IGNORECASE,
)
_MONTH = re.compile(r"tháng\s*(\d{1,2})(?:\s*[/.-]\s*|\s+năm\s+)?(\d{4})?", re.IGNORECASE)
_QUARTER = re.compile(r"quý\s*(I{1,3}|IV|[1-4])\b(?:\s*[/.-]\s*|\s+năm\s+)?(\d{4})?", re.I)
_ROMAN: Final = {"I": 1, "II": 2, "III": 3, "IV": 4}


def read_timing(text: str, year: int | None) -> tuple[TimingDraft, str | None]:
    """ "Thường xuyên (Sau khi văn bản ban hành)" -> after_issue; "Trước 30/11/2024" ->
    fixed_deadline 29/11/2024 (the last allowed day, decision 0002); "Tháng 6/2026", "Quý II"
    -> the month's or quarter's last day (noted). Unreadable -> ongoing, noted."""
    words = clean(text)
    low = words.lower()
    within, within_note = _within(words)
    if "sau khi" in low and ("ban hành" in low or "phê duyệt" in low or "được duyệt" in low):
        return TimingDraft("after_issue", words, within_working_days=within), within_note
    if "khi có" in low and ("thay đổi" in low or "sửa đổi" in low or "phát sinh" in low):
        return TimingDraft("on_change", words, within_working_days=within), within_note
    if low.startswith(("theo thời hạn", "đúng thời hạn", "theo quy định")):
        # "Theo thời hạn công khai ngân sách": the law's own deadline after the document
        return TimingDraft("after_issue", words, within_working_days=within), (
            within_note or messages.timing_by_law(words)
        )
    if match := _BEFORE.search(words):
        day = _date(match, year)
        if day is not None:
            return TimingDraft("fixed_deadline", words, day - timedelta(days=1)), None
    if match := _BY.search(words):
        day = _date(match, year)
        if day is not None:
            return TimingDraft("fixed_deadline", words, day), messages.deadline_same_day(words, day)
    if (match := _QUARTER.search(words)) and year is not None:
        quarter = _ROMAN.get(match.group(1).upper()) or int(match.group(1))
        on_year = int(match.group(2) or year)
        last = date(on_year, quarter * 3, calendar.monthrange(on_year, quarter * 3)[1])
        return TimingDraft("fixed_deadline", words, last), messages.deadline_end_of_quarter(
            words, last
        )
    if (match := _MONTH.search(words)) and year is not None and 1 <= int(match.group(1)) <= 12:
        month, on_year = int(match.group(1)), int(match.group(2) or year)
        last = date(on_year, month, calendar.monthrange(on_year, month)[1])
        return TimingDraft("fixed_deadline", words, last), messages.deadline_end_of_month(
            words, last
        )
    if low.startswith(("thường xuyên", "liên tục", "hằng ngày", "hàng ngày")):
        return TimingDraft("ongoing", words), None
    note = messages.timing_unknown(words) if words else messages.NO_TIMING
    return TimingDraft("ongoing", words or "Thường xuyên"), note


_WITHIN = re.compile(r"trong (?:vòng|thời hạn)?\s*(\d{1,3})\s*ngày(\s*làm việc)?", re.IGNORECASE)


def _within(words: str) -> tuple[int | None, str | None]:
    """ "trong vòng 05 ngày làm việc" -> 5; "05 ngày" (calendar days) is read as working days,
    noted."""
    match = _WITHIN.search(words)
    if match is None or not 1 <= int(match.group(1)) <= 365:
        return None, None
    days = int(match.group(1))
    if match.group(2):
        return days, None
    return days, messages.working_days(clean(match.group(0)), days)


def _date(match: re.Match[str], year: int | None) -> date | None:
    day, month = int(match.group(1)), int(match.group(2))
    on_year = int(match.group(3)) if match.group(3) else year
    if on_year is None:
        return None
    try:
        return date(on_year, month, day)
    except ValueError:
        return None


# --- units in a cell ---------------------------------------------------------------------------

# Words that begin a supporting unit's role ("Phòng X đôn đốc, hướng dẫn và kiểm tra ..."):
# lower case inside a name's list, any case after "(". A capital "Kiểm tra" is part of a name.
_ROLE_WORDS: Final = "đôn đốc|kiểm tra|hướng dẫn|theo dõi|giám sát|tham mưu"
_ROLE = re.compile(rf"\s\b(?:{_ROLE_WORDS})\b|\(\s*(?i:{_ROLE_WORDS})\b")
# Words a unit's name starts with: a part of a comma list that starts otherwise continues the
# name before it ("Sở Văn hóa, Thể thao và Du lịch"; "UBND các xã, phường").
_UNIT_START: Final = (
    "Phòng|Sở|UBND|Ủy ban|Uỷ ban|Trung tâm|Chi cục|Cục|Ban|Văn phòng|Hội|Công an|Đài|Thanh tra|"
    "Kho bạc|Bảo hiểm|Ngân hàng|Bộ chỉ huy|Ban chỉ huy|Liên đoàn|Đoàn|Cơ quan|Các|Chủ tịch|"
    "Phó Chủ tịch|Đảng ủy|Hạt|Trạm|Chi nhánh|Công ty|Báo|Viện|Trường|Tòa án|Viện kiểm sát|"
    "Bưu điện|Điện lực|Hợp tác xã|Mặt trận|Tỉnh đoàn|Huyện đoàn|Lãnh đạo|Thủ trưởng|Người đứng đầu|"
    "Thuế|Hải quan|Tòa|Trạm|Bệnh viện|Quỹ|Chi hội|Hiệp hội"
)
_STARTS_UNIT = re.compile(rf"^(?:{_UNIT_START})\b")
_AND_UNIT = re.compile(rf"\s+(?:và|với)\s+(?=(?:{_UNIT_START})\b)")


def and_parts(text: str) -> list[str]:
    """ "Sở A và Sở B" -> ["Sở A", "Sở B"] (only where the second starts like a unit's name;
    whether it is two units or one name, "Văn phòng HĐND và UBND", the directory decides)."""
    return [part.strip() for part in _AND_UNIT.split(text) if part.strip()]


def split_role(text: str) -> tuple[str, str | None]:
    """ "Phòng A, Phòng B đôn đốc, hướng dẫn" -> ("Phòng A, Phòng B", "đôn đốc, hướng dẫn")."""
    match = _ROLE.search(text)
    if match is None or match.start() == 0:
        return text, None
    role = text[match.start() :].strip().strip("()").strip().rstrip(".;").strip()
    return text[: match.start()].strip().rstrip(",;").strip(), role or None


def read_units(text: str, groups: Mapping[str, str]) -> tuple[UnitRef, ...]:
    """The names in a cell, in order. `groups` maps a folded group phrase ("ubnd cac xa thi
    tran") to its group code; a name starting with a group phrase is that group."""
    parts: list[str] = []
    for piece in re.split(r"[,;\n]", text):
        for part in (piece.strip(),):
            part = clean(part).strip(" .-–•+")
            part = re.sub(r"^(?:và|với)\s+", "", part, flags=re.IGNORECASE)
            if not part:
                continue
            if parts and not _STARTS_UNIT.match(part):
                parts[-1] = f"{parts[-1]}, {part}"
            else:
                parts.append(part)
    refs: list[UnitRef] = []
    for part in parts:
        folded = fold(part)
        code = groups.get(folded) or next(
            (code for phrase, code in groups.items() if folded.startswith(phrase + " ")), None
        )
        refs.append(UnitRef(part, group=code) if code else UnitRef(spaced_hyphens(part)))
    return tuple(dict.fromkeys(refs))


# --- several tasks in one cell: "8.1. ... 8.2. ... 8.3. ..." ----------------------------------

_CODE = re.compile(r"(?:^|(?<=\s))(\d{1,2})\.(\d{1,2})\.?\s+(?=\S)")


def split_tasks(text: str) -> list[tuple[str | None, str]]:
    """The coded tasks of a cell, in order; one uncoded task if the cell starts without a code.
    A code counts only where the next starts a sentence (a capital letter) and the numbering
    goes on from the previous code (so "Nghị định 42.2" in a sentence never splits it)."""
    starts: list[tuple[int, int, str]] = []
    for match in _CODE.finditer(text):
        rest = text[match.end() :]
        if not rest[:1].isupper() and not rest.startswith(("“", '"', "(")):
            continue
        major, minor = int(match.group(1)), int(match.group(2))
        if starts:
            last_major, last_minor = (int(x) for x in starts[-1][2].split("."))
            if (major, minor) != (last_major, last_minor + 1):
                continue
        elif match.start() != 0:
            continue
        starts.append((match.start(), match.end(), f"{major}.{minor}"))
    if not starts:
        return [(None, text.strip())]
    pieces: list[tuple[str | None, str]] = []
    for index, (_, body_start, code) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        pieces.append((code, text[body_start:end].strip()))
    return pieces


def task_code_of(text: str) -> str | None:
    """ "1.1" or "1.1." as a whole cell (an STT column of task codes)."""
    match = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.?\s*", text)
    return f"{int(match.group(1))}.{int(match.group(2))}" if match else None


def number_of(text: str) -> int | None:
    """An indicator's number: "1", "1.", "I", "IV." (Roman up to XX)."""
    word = text.strip().rstrip(".").strip().upper()
    if word.isdigit():
        return int(word)
    romans = {"I": 1, "V": 5, "X": 10}
    if word and all(char in romans for char in word) and len(word) <= 5:
        total = 0
        for index, char in enumerate(word):
            value = romans[char]
            following = romans[word[index + 1]] if index + 1 < len(word) else 0
            total += -value if value < following else value
        return total
    return None
