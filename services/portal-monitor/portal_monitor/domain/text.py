"""Vietnamese text as portals serve it: NFD or NFC, HTML entities, odd spaces; dates and
document numbers in the forms portals write them."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_SPACES = re.compile(r"\s+")
# Combining marks left after NFD decomposition are the Vietnamese tone and vowel marks.
_VIETNAMESE_LETTERS = "đĐ"


def normalize_text(value: str) -> str:
    """NFC, HTML entities decoded, whitespace (including no-break spaces) collapsed."""
    unescaped = html.unescape(value)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", unescaped)).strip()


def fold_case(value: str) -> str:
    """For matching: normalised and case-folded, diacritics kept."""
    return normalize_text(value).casefold()


def strip_diacritics(value: str) -> str:
    """'Quyết định' -> 'Quyet dinh' (đ -> d); for texts typed without accents."""
    decomposed = unicodedata.normalize("NFD", value)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D")


def has_diacritics(value: str) -> bool:
    decomposed = unicodedata.normalize("NFD", value)
    return any(unicodedata.combining(c) for c in decomposed) or any(
        c in _VIETNAMESE_LETTERS for c in value
    )


# --- dates --------------------------------------------------------------------------------------

_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)")


def parse_date(value: str | None) -> date | None:
    """The first date in a text: `03/10/2024`, `3-10-2024`, `ngày 03 tháng 10 năm 2024`,
    `2024-10-03` (ISO, with or without time) or an RFC 822 date (`Thu, 03 Oct 2024 ...`)."""
    if not value:
        return None
    text = normalize_text(value)
    candidates: list[tuple[int, date]] = []
    for pattern, order in ((_WORDS, "dmy"), (_DMY, "dmy"), (_ISO, "ymd")):
        for match in pattern.finditer(text):
            parsed = _to_date(match.groups(), order)
            if parsed is not None:
                candidates.append((match.start(), parsed))
    if candidates:
        return min(candidates)[1]
    return _rfc822(text)


def _to_date(parts: tuple[str | None, ...], order: str) -> date | None:
    numbers = [int(p) for p in parts if p is not None]
    day, month, year = numbers if order == "dmy" else (numbers[2], numbers[1], numbers[0])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _rfc822(text: str) -> date | None:
    try:
        moment: datetime = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return moment.date()


# --- document numbers ---------------------------------------------------------------------------

# Số, ký hiệu: number, optional year (legal normative documents), then the symbol of kind and
# issuing body: 57/KH-UBND, 15/2023/QĐ-UBND, 42/2022/NĐ-CP, 123/UBND-VP, 897/NQ-UBTVQH14; a number
# may carry a letter (168a/QĐ-UBND, a document numbered in between).
_NUMBER = re.compile(
    r"(?<![\w/])(\d{1,6}[a-z]?)\s*/\s*(?:(\d{4})\s*/\s*)?"
    r"([A-ZĐ][A-Za-zĐđ0-9&]{0,11}(?:\s*[-–]\s*[A-ZĐ][A-Za-zĐđ0-9&]{0,11}){0,3})(?![\w])"
)
# The Party's numbering (Regulation 66-QĐ/TW): number-type/issuer, no year: 36-CT/TU, 05-NQ/TW,
# 13-HD/BTGDVTU, 230-CV/VPTU, 02-KH/BCĐTW.
_PARTY_NUMBER = re.compile(
    r"(?<![\w/\-])(\d{1,6}[a-z]?)\s*[-–]\s*([A-ZĐ][A-Za-zĐđ]{0,4})\s*/\s*"
    r"([A-ZĐ][A-Za-zĐđ0-9&]{0,11}(?:\s*[-–]\s*[A-ZĐ][A-Za-zĐđ0-9&]{0,11}){0,2})(?![\w])"
)


def _first_number(text: str) -> re.Match[str] | None:
    """The first number of either form in a (normalised) text."""
    found = [m for m in (_NUMBER.search(text), _PARTY_NUMBER.search(text)) if m is not None]
    return min(found, key=lambda m: m.start()) if found else None


def _canonical(match: re.Match[str]) -> str:
    if match.re is _PARTY_NUMBER:
        number, kind, issuer = match.groups()
        issuer = re.sub(r"\s*[-–]\s*", "-", issuer)
        return f"{number}-{kind}/{issuer}"
    number, year, symbol = match.groups()
    symbol = re.sub(r"\s*[-–]\s*", "-", symbol)
    return f"{number}/{year}/{symbol}" if year else f"{number}/{symbol}"


def parse_document_number(value: str | None) -> str | None:
    """The first document number in a text, in canonical form (`15/2023/QĐ-UBND`, the Party's
    `36-CT/TU`)."""
    if not value:
        return None
    match = _first_number(normalize_text(value))
    return None if match is None else _canonical(match)


# Words that, before a number in a title, make it a number the document cites ("Kế hoạch triển
# khai Nghị quyết 138/NQ-CP", "Về việc thực hiện Luật 143/2025/QH15"), not its own.
_CITING = re.compile(
    r"(?<!\w)(?:thực hiện|triển khai|theo|về|của|tại|kèm|hướng dẫn thi hành|sửa đổi|thay thế"
    r"|quy định chi tiết|căn cứ|v/v)(?!\w)"
)
_OWN_PREFIX_WORDS = 5  # syllables: "Quyết định", "Luật Thủ đô", "Văn bản hợp nhất", then "số"


def own_document_number(title: str | None) -> str | None:
    """The document's own number in its title: at its start, or after at most five syllables that
    name its type ("Kế hoạch số 15/KH-UBND ...", "Luật Thủ đô số 39/2024/QH15", "Công văn
    1310/UBND-KT về việc triển khai Quyết định 18/2025/QĐ-TTg"). A number further in, or after
    words that cite ("thực hiện", "triển khai", "theo" ...), is one the document cites: None."""
    if not title:
        return None
    text = normalize_text(title)
    match = _first_number(text)
    if match is None:
        return None
    prefix = text[: match.start()].casefold()
    prefix = re.sub(r"(?:s[oố]|số hiệu|ký hiệu)\s*:?\s*$", "", prefix.strip()).strip(" :,.-–")
    if _CITING.search(prefix) or len(prefix.split()) > _OWN_PREFIX_WORDS:
        return None
    return _canonical(match)


_OWN_DATE = re.compile(r"^[\s,;:(\-–]*(?:ngày|ban hành ngày|ngày ban hành)\s*:?\s*", re.IGNORECASE)
_LEADING_DATE = re.compile(r"^(?:ngày|ban hành ngày|ngày ban hành)\s*:?\s*", re.IGNORECASE)


def own_issue_date(text: str | None) -> date | None:
    """The date of issue a title states for the document itself: "ngày ..." right after its own
    number ("Kế hoạch số 57/KH-UBND ngày 11/3/2024 ...") or at the very start ("Ngày 05/3/2026
    ..." in a summary). A date elsewhere is a date the document cites, an event's or a
    question's: None, so that an unknown date stays unknown."""
    if not text:
        return None
    normalized = normalize_text(text)
    rest: str | None = None
    if _LEADING_DATE.match(normalized):
        rest = _LEADING_DATE.sub("", normalized, count=1)
    elif (number := own_document_number(normalized)) is not None:
        match = _first_number(normalized)
        if match is not None and _canonical(match) == number:
            after = normalized[match.end() :]
            if _OWN_DATE.match(after):
                rest = _OWN_DATE.sub("", after, count=1)
    if rest is None:
        return None
    found = _first_date_at_start(rest)
    return found


def _first_date_at_start(text: str) -> date | None:
    for pattern, order in ((_DMY, "dmy"), (_ISO, "ymd")):
        match = pattern.match(text)
        if match is not None:
            return _to_date(match.groups()[:3], order)
    words = re.match(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text, re.IGNORECASE)
    return _to_date(words.groups(), "dmy") if words is not None else None


def symbol_parts(document_number: str) -> tuple[str, ...]:
    """`15/2023/QĐ-UBND` -> ('QĐ', 'UBND'); the Party's `36-CT/TU` -> ('CT', 'TU')."""
    party = _PARTY_FORM.match(document_number)
    if party is not None:
        return (party.group(1), *party.group(2).split("-"))
    return tuple(document_number.rsplit("/", 1)[-1].split("-"))


def is_party_number(document_number: str) -> bool:
    """`36-CT/TU`, `05-NQ/TW`: the Party's numbering, type before the issuer."""
    return _PARTY_FORM.match(document_number) is not None


_PARTY_FORM = re.compile(r"^\d+[a-z]?-([^/]+)/(.+)$")  # a canonical Party number
