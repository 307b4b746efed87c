"""The reporting duties of "Tổ chức thực hiện": who reports to whom, per quarter or year, before
which day.

Pure: the section's lines in, `DutyDraft`s and notes out. A sentence that names the focal unit
("Giao X là cơ quan đầu mối ... báo cáo Chủ tịch UBND ...") is the focal unit's duty; one that
sends reports "tới đơn vị đầu mối" is the lead units'. Half-yearly duties and "tháng cuối quý"
have no place in the plan's rules yet and are noted for a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
        reporter: Literal["lead_units", "focal_unit"]
        if _IS_FOCAL.search(paragraph):
            reporter = "focal_unit"
            who = _RECIPIENT.findall(paragraph)
            recipient = clean(who[-1]) if who else ""
        elif _TO_FOCAL.search(paragraph):
            reporter, recipient = "lead_units", FOCAL_WORDS
        else:
            continue
        for match in _QUARTER.finditer(paragraph):
            if match.group("which").lower().startswith("cuối"):
                notes.append(
                    Note(
                        ("duties", reporter),
                        messages.end_of_quarter_duty(clean(match.group(0))),
                    )
                )
            duties.append(
                DutyDraft(
                    reporter,
                    "quarter",
                    int(match.group("day")),
                    None,
                    recipient,
                    clean(match.group(0)),
                )
            )
        for match in _YEAR.finditer(paragraph):
            duties.append(
                DutyDraft(
                    reporter,
                    "year",
                    int(match.group("day")),
                    int(match.group("month")),
                    recipient,
                    clean(match.group(0)),
                )
            )
        if _HALF.search(paragraph):
            notes.append(
                Note(
                    ("duties", reporter),
                    messages.HALF_YEAR,
                )
            )
    if body and not duties:
        notes.append(Note(("duties",), messages.NO_DUE_DATES))
    return _unique(duties), notes


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


def _unique(duties: list[DutyDraft]) -> list[DutyDraft]:
    seen: dict[tuple[str, str], DutyDraft] = {}
    for duty in duties:
        seen.setdefault((duty.reporter, duty.period), duty)
    return list(seen.values())
