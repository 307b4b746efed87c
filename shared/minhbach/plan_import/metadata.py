"""The plan's metadata from its body: number and symbol, place and date, title, issuer, level
and locality, the plan it implements, the overall target, the focal unit and the signer.

Pure: cleaned lines in document order (paragraphs, and the text of tables that are not the
appendix) in, a `MetaDraft` and notes out. The level words ("tỉnh", "xã", "đặc khu" ...) are
given by the caller (the schema module owns them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Final

from minhbach.plan_import import messages
from minhbach.plan_import.cells import read_target
from minhbach.plan_import.model import MetaDraft, Note, Reference, TargetDraft
from minhbach.plan_import.text import clean

_NUMBER = re.compile(r"^Số\s*:\s*(?P<number>[\d.]*)\s*/\s*(?P<symbol>[A-ZĐ0-9&-]+)")
_DATE = re.compile(
    r"^(?P<place>[^,]{2,40}),\s*ngày\s*(?P<day>\d{1,2})?\s*tháng\s*(?P<month>\d{1,2})?\s*"
    r"năm\s*(?P<year>\d{4})",
    re.IGNORECASE,
)
_YEAR_IN_TITLE = re.compile(r"năm\s+(\d{4})(?!\d)", re.IGNORECASE)
_DOC_KINDS: Final = "Kế hoạch|Quyết định|Nghị quyết|Chỉ thị|Chương trình|Công văn|Đề án"
_REFERENCE = re.compile(
    rf"(?P<kind>{_DOC_KINDS})\s+số\s+(?P<number>\d+/[\w/-]+)\s+ngày\s+"
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\s+của\s+(?P<issuer>.+?)\s+"
    r"(?P<title>(?:về|V/v)\s.+?)(?=;|$|\.\s)",
)
_FOCAL = (
    re.compile(r"(?:Đơn vị|Cơ quan) đầu mối\s*:\s*(?P<name>[^.;:(]+)", re.IGNORECASE),
    re.compile(r"Giao\s+(?P<name>.+?)\s+là\s+(?:cơ quan|đơn vị) đầu mối", re.IGNORECASE),
)
_SIGN_AUTHORITY = re.compile(r"^(KT|TM|TL|Q)\.\s*[A-ZĐÀ-Ỹ ]+$")
_TITLE_WORDS: Final = ("CHỦ TỊCH", "GIÁM ĐỐC", "TRƯỞNG", "BÍ THƯ", "TỔNG")


def issuer_pattern(levels: Sequence[str]) -> re.Pattern[str]:
    words = "|".join(sorted((re.escape(w) for w in levels), key=len, reverse=True))
    return re.compile(
        rf"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?P<level>{words})\s+"
        r"(?P<name>[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ0-9][\wÀ-ỹ]*)*)",
        re.IGNORECASE,
    )


def read_meta(
    lines: Sequence[str], levels: Sequence[str]
) -> tuple[MetaDraft, list[Note], dict[str, str]]:
    """The metadata, the notes on what was guessed, and fields kept for later readers."""
    notes: list[Note] = []
    found: dict[str, object] = {}
    for line in lines:
        if "number" not in found and (match := _NUMBER.match(line)):
            found["number"] = match.group("number").strip(".") or None
            found["symbol"] = match.group("symbol")
        if "place" not in found and (match := _DATE.match(line)):
            found["place"] = clean(match.group("place"))
            found["day"] = match.group("day")
            found["month"] = match.group("month")
            found["date_year"] = int(match.group("year"))
    title = _title(lines)
    year = _year(title, found.get("date_year"))
    issuer, level, locality = _issuer(lines, levels, found.get("place"))
    province = _province(lines, level, locality)
    issued_on, month = _issue_date(found, notes)
    signer_title, signer_name = _signer(lines)
    meta = MetaDraft(
        title=title,
        issuer=issuer,
        level_word=level,
        locality=locality,
        province=province,
        place=found.get("place"),  # type: ignore[arg-type]
        number=found.get("number"),  # type: ignore[arg-type]
        symbol=found.get("symbol"),  # type: ignore[arg-type]
        issued_on=issued_on,
        issued_month=month,
        issued_year=found.get("date_year"),  # type: ignore[arg-type]
        year=year,
        signer_name=signer_name,
        signer_title=signer_title,
        references=_references(lines, issuer, level),
        overall_target=None,
        focal_unit_name=_focal(lines),
    )
    target, target_text, note = _overall_target(lines)
    if target is not None:
        meta = replace(meta, overall_target=target)
    if note:
        notes.append(Note(("meta", "overall_target"), note))
    return meta, notes, {"overall_target_text": target_text or ""}


def _title(lines: Sequence[str]) -> str | None:
    for index, line in enumerate(lines):
        if clean(line).upper() == "KẾ HOẠCH" and index + 1 < len(lines):
            rest = clean(lines[index + 1])
            return f"Kế hoạch {rest}" if rest else None
    return None


def _year(title: str | None, date_year: object) -> int | None:
    if title and (match := _YEAR_IN_TITLE.search(title)):
        return int(match.group(1))
    return date_year if isinstance(date_year, int) else None


def _issuer(
    lines: Sequence[str], levels: Sequence[str], place: object
) -> tuple[str | None, str | None, str | None]:
    """The issuing government: the header ("ỦY BAN NHÂN DÂN" over "TỈNH HƯNG NAM"), or the
    appendix's "(Kèm theo Kế hoạch ... của UBND tỉnh Hưng Nam)", or "UBND <level> ban hành"
    with the place of the date line."""
    upper_levels = sorted(levels, key=len, reverse=True)
    for index, line in enumerate(lines[:8]):
        if clean(line).upper() in (
            "ỦY BAN NHÂN DÂN",
            "UỶ BAN NHÂN DÂN",
            "UBND",
        ) and index + 1 < len(lines):
            below = clean(lines[index + 1])
            for level in upper_levels:
                if below.upper().startswith(level.upper() + " "):
                    name = below[len(level) + 1 :].strip().title()
                    return f"UBND {level} {name}", level, name
    pattern = issuer_pattern(levels)
    for line in lines:
        if "kèm theo" in line.lower() and (match := pattern.search(line)):
            return _issuer_from(match)
    for line in lines:
        for level in upper_levels:
            if re.search(rf"\bUBND {re.escape(level)} ban hành\b", line) and isinstance(place, str):
                return f"UBND {level} {place}", level, place
    return None, None, None


def _issuer_from(match: re.Match[str]) -> tuple[str, str, str]:
    level, name = match.group("level").lower(), clean(match.group("name"))
    return f"UBND {level} {name}", level, name


def _province(lines: Sequence[str], level: str | None, locality: str | None) -> str | None:
    if level in ("tỉnh",) or (level == "thành phố" and locality):
        return locality
    pattern = re.compile(r"\btỉnh\s+([A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*)")
    for line in lines:
        if match := pattern.search(line):
            return match.group(1)
    return None


def _issue_date(found: dict[str, object], notes: list[Note]) -> tuple[date | None, int | None]:
    year, day, month = found.get("date_year"), found.get("day"), found.get("month")
    if not isinstance(year, int) or not isinstance(month, str):
        notes.append(Note(("meta", "issued"), messages.NO_SIGN_DATE))
        return None, None
    if not isinstance(day, str):
        notes.append(Note(("meta", "issued"), messages.BLANK_SIGN_DAY))
        return None, int(month)
    try:
        return date(year, int(month), int(day)), int(month)
    except ValueError:
        notes.append(Note(("meta", "issued"), messages.sign_date_impossible(day, month, year)))
        return None, int(month)


def _signer(lines: Sequence[str]) -> tuple[str | None, str | None]:
    """ "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH" over the name: the last such block before the
    appendix."""
    end = next(
        (i for i, line in enumerate(lines) if clean(line).lower().startswith("phụ lục")),
        len(lines),
    )
    titles: list[str] = []
    name: str | None = None
    for line in lines[:end]:
        text = clean(line).strip("*")
        if not text:
            continue
        is_title = text.isupper() and (
            _SIGN_AUTHORITY.match(text) or any(word in text for word in _TITLE_WORDS)
        )
        if is_title and len(text) < 60:
            if name is not None:  # a new block starts
                titles, name = [], None
            titles.append(text)
        elif titles and name is None and _looks_like_name(text):
            name = text
    return (" - ".join(titles) or None), name


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() and w[1:].islower() for w in words)


def _references(
    lines: Sequence[str], issuer: str | None, level: str | None
) -> tuple[Reference, ...]:
    refs: dict[str, Reference] = {}
    for line in lines[:40]:
        for match in _REFERENCE.finditer(line):
            try:
                day = date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
            except ValueError:
                continue
            who = clean(match.group("issuer"))
            if issuer and level and who.lower() == f"ubnd {level}".lower():
                who = issuer  # "của UBND tỉnh": the plan's own government
            title = f"{match.group('kind')} {clean(match.group('title'))}"
            refs.setdefault(
                match.group("number"), Reference(match.group("number"), day, who, title)
            )
    return tuple(refs.values())


def _focal(lines: Sequence[str]) -> str | None:
    for pattern in _FOCAL:
        for line in lines:
            if match := pattern.search(line):
                name = clean(match.group("name")).strip("*").strip()
                if name and not name.lower().startswith(("tổng hợp", "là")):
                    return name
    return None


def _overall_target(
    lines: Sequence[str],
) -> tuple[TargetDraft | None, str | None, str | None]:
    """The sub-index goal: the first "... minh bạch ... đạt trên hoặc bằng 7,0 điểm" sentence
    (one that says "điểm" first)."""
    candidates = [
        line
        for line in lines
        if "minh bạch" in line.lower()
        and any(word in line.lower() for word in ("trên hoặc bằng", "đạt", "≥", "tối thiểu"))
    ]
    candidates.sort(key=lambda line: "điểm" not in line)
    for line in candidates:
        sentence = re.split(r"(?<=\w)[:]\s", line, maxsplit=1)[-1].lstrip("- ")
        target, note = read_target(sentence[sentence.lower().find("minh bạch") :])
        if target is not None:
            text = clean(sentence).rstrip(".")
            return replace(target, text=text), text, note
    return None, None, messages.OVERALL_NO_TARGET
