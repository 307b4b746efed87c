"""The reporting duties of "Tổ chức thực hiện": who reports to whom, per quarter, half year,
nine months or year, before which day (the rules of decision 0017).

Pure: the section's lines in, `DutyDraft`s and notes out. A sentence that names the focal unit
("Giao X là cơ quan đầu mối ... báo cáo Chủ tịch UBND ...") is the focal unit's duty; one that
sends reports "tới đơn vị đầu mối" is the lead units'. "Tháng cuối quý" and "tháng đầu quý" are
the period's last and first month, "tháng đầu tiên quý tiếp theo" the month after it; "báo cáo
6 tháng ... trước ngày 20/6" is a half-year duty due in the half's sixth month; "quý IV tổng hợp
vào báo cáo năm" folds the last quarter into the annual report; "số liệu tính đến ngày 14" is
the data cut-off day.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Final, Literal

from minhbach.plan_import import messages
from minhbach.plan_import.model import DutyDraft, Note
from minhbach.plan_import.text import clean

FOCAL_WORDS: Final = "đơn vị đầu mối"  # the recipient that means the plan's focal unit

_QUARTER = re.compile(
    r"(?:báo cáo\s+(?:gửi\s+)?)?trước ngày\s*(?P<day>\d{1,2})\s*(?:của\s*)?tháng\s*"
    r"(?P<which>đầu tiên|đầu|thứ nhất|cuối|cuối cùng)\s*(?:của\s*)?quý"
    r"(?P<next>\s*(?:tiếp theo|sau))?",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"trước ngày\s*(?P<day>\d{1,2})\s*(?:/\s*|\s*tháng\s*)(?P<month>\d{1,2})(?:\s*/\s*\d{4})?"
    r"\s*(?:hằng|hàng|mỗi|của)\s*năm",
    re.IGNORECASE,
)
_HALF = re.compile(r"(?:6 tháng|sáu tháng|bán niên)", re.IGNORECASE)
# "báo cáo 6 tháng gửi trước ngày 20/6", "báo cáo 9 tháng trước ngày 15/9": a date in the period
_PART_YEAR = re.compile(
    r"(?P<what>6 tháng|sáu tháng|bán niên|9 tháng|chín tháng)(?:\s+(?:đầu|cuối)\s+năm)?"
    r"[^.;()]*?trước ngày\s*(?P<day>\d{1,2})\s*(?:/\s*|\s*tháng\s*)(?P<month>\d{1,2})(?!\d)"
    r"(?!\s*(?:/\s*\d{4}\s*)?(?:hằng|hàng|mỗi|của)\s*năm)",
    re.IGNORECASE,
)
# "báo cáo quý IV tổng hợp vào báo cáo năm", "6 tháng cuối năm lồng ghép trong báo cáo năm"
_FOLD = re.compile(
    r"(?P<last>quý\s*(?:IV|4)|6 tháng cuối năm)[^.;]*?(?:vào|trong|bằng)\s+báo cáo (?:cả\s+)?năm",
    re.IGNORECASE,
)
_CUTOFF = re.compile(r"số liệu[^.;]*?(?:đến|tới|hết)\s+ngày\s*(?P<day>\d{1,2})\b", re.IGNORECASE)
_TO_FOCAL = re.compile(r"(?:tới|gửi|về)\s+(?:cơ quan|đơn vị)\s+đầu mối", re.IGNORECASE)
_IS_FOCAL = re.compile(r"là\s+(?:cơ quan|đơn vị)\s+đầu mối", re.IGNORECASE)
_RECIPIENT = re.compile(
    r"báo cáo(?:\s+(?:kết quả|định kỳ|tình hình)[^,(;.]*?)?\s+(?:về|gửi|tới|lên)?\s*"
    r"(?P<who>(?:Chủ tịch|Phó Chủ tịch|Thường trực|UBND|Ủy ban nhân dân|Ban chỉ đạo|lãnh đạo)"
    r"[^,(;.]*?)(?=\s+theo\b|\s*\(|\s*[,;.]|\s+(?:định kỳ|hằng|trước)\b|$)",
)


def section(lines: Sequence[str]) -> list[str]:
    """The lines of "Tổ chức thực hiện", up to "Nơi nhận" or the appendix."""
    start = next(
        (i for i, line in enumerate(lines) if "TỔ CHỨC THỰC HIỆN" in clean(line).upper()), None
    )
    if start is None:
        return []
    out = []
    for line in lines[start + 1 :]:
        low = clean(line).lower().strip("*")
        if low.startswith(("nơi nhận", "phụ lục")):
            break
        out.append(clean(line))
    return out


def read_duties(lines: Sequence[str]) -> tuple[list[DutyDraft], list[Note]]:
    duties: list[DutyDraft] = []
    notes: list[Note] = []
    body = section(lines)
    if not body:
        notes.append(Note(("duties",), messages.NO_ORGANISATION))
    paragraphs = _sentences_with_context(body)
    for paragraph in paragraphs:
        low = paragraph.lower()
        if "báo cáo" not in low or "trước ngày" not in low:
            continue
        reporter: _Reporter
        if _IS_FOCAL.search(paragraph):
            reporter = "focal_unit"
            who = _RECIPIENT.findall(paragraph)
            recipient = clean(who[-1]) if who else ""
        elif _TO_FOCAL.search(paragraph):
            reporter, recipient = "lead_units", FOCAL_WORDS
        else:
            continue
        found = [
            *_quarterly(paragraph, reporter, recipient),
            *_part_year(paragraph, reporter, recipient, notes),
        ]
        for match in _YEAR.finditer(paragraph):
            found.append(
                DutyDraft(
                    reporter,
                    "year",
                    int(match.group("day")),
                    int(match.group("month")),
                    recipient,
                    clean(match.group(0)),
                )
            )
        if _HALF.search(paragraph) and not any(d.period == "half_year" for d in found):
            notes.append(Note(("duties", reporter), messages.HALF_YEAR))
        found = _folded(paragraph, reporter, found, notes)
        cutoff = _CUTOFF.search(paragraph)
        if cutoff is not None and 1 <= int(cutoff.group("day")) <= 28:
            day = int(cutoff.group("day"))
            found = [d if d.period == "year" else replace(d, data_cutoff_day=day) for d in found]
        duties.extend(found)
    if body and not duties:
        notes.append(Note(("duties",), messages.NO_DUE_DATES))
    return _unique(duties), notes


def _quarterly(paragraph: str, reporter: _Reporter, recipient: str) -> list[DutyDraft]:
    out = []
    for match in _QUARTER.finditer(paragraph):
        which = match.group("which").lower()
        due_month: str | int = (
            "next" if match.group("next") else "last" if which.startswith("cuối") else "first"
        )
        out.append(
            DutyDraft(
                reporter,
                "quarter",
                int(match.group("day")),
                None,
                recipient,
                clean(match.group(0)),
                due_month=due_month,
            )
        )
    return out


def _part_year(
    paragraph: str, reporter: _Reporter, recipient: str, notes: list[Note]
) -> list[DutyDraft]:
    """Half-year and nine-month duties written with the date of the first such report."""
    out = []
    for match in _PART_YEAR.finditer(paragraph):
        half = not match.group("what").lower().startswith(("9", "chín"))
        day, month = int(match.group("day")), int(match.group("month"))
        length = 6 if half else 9
        if half and month > 6:  # "trước ngày 20/12": the second half's month
            month -= 6
        if not 1 <= month <= length + 1:
            continue
        due_month: str | int = (
            "next"
            if month == length + 1
            else "last"
            if month == length
            else "first"
            if month == 1
            else month
        )
        words = clean(match.group(0))
        out.append(
            DutyDraft(
                reporter,
                "half_year" if half else "nine_months",
                day,
                None,
                recipient,
                words,
                due_month=due_month,
            )
        )
        if half:
            notes.append(Note(("duties", reporter), messages.half_year_duty(words, day, month)))
    return out


def _folded(
    paragraph: str, reporter: _Reporter, found: list[DutyDraft], notes: list[Note]
) -> list[DutyDraft]:
    """The last quarter (half) folded into the annual report, where the plan says so and an
    annual duty of the same reporter exists."""
    match = _FOLD.search(paragraph)
    if match is None:
        return found
    period = "quarter" if match.group("last").lower().startswith("quý") else "half_year"
    if not any(d.period == "year" for d in found):
        notes.append(Note(("duties", reporter), messages.fold_without_year(clean(match.group(0)))))
        return found
    return [replace(d, fold_last_into_year=True) if d.period == period else d for d in found]


def _sentences_with_context(body: Sequence[str]) -> list[str]:
    """Each paragraph, joined with the next when it ends mid-sentence (a page break)."""
    out: list[str] = []
    for line in body:
        ended = out[-1].rstrip().endswith((".", ":", ";", ")", "./.")) if out else True
        if not ended and line[:1].islower():
            out[-1] = f"{out[-1]} {line}"
            continue
        out.append(line)
    return out


_Reporter = Literal["lead_units", "focal_unit"]


def _unique(duties: list[DutyDraft]) -> list[DutyDraft]:
    seen: dict[tuple[str, str], DutyDraft] = {}
    for duty in duties:
        seen.setdefault((duty.reporter, duty.period), duty)
    return list(seen.values())
