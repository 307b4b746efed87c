"""Text as offices type it: one normal form, the seed's known typos, a folded form to compare.

Pure functions. NFD input (a .docx saved on a Mac, a spreadsheet pasted from a web page) is
brought to NFC; "Tài chính-Kế hoạch" and "Tài chính - Kế hoạch" become one spelling; the typos
the seed shows are corrected and reported, never silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Final

# Typos seen in signed plans, corrected on import (each correction is reported to the person).
KNOWN_TYPOS: Final[Mapping[str, str]] = {
    "Tín minh bạch": "Tính minh bạch",
    "TTIIC": "TTHC",
    "đơn đốc": "đôn đốc",
}

# Abbreviations that mean the same body, folded before comparing names.
_SAME_WORDS: Final = (
    (re.compile(r"\buy ban nhan dan\b"), "ubnd"),
    (re.compile(r"\bhoi dong nhan dan\b"), "hdnd"),
    (re.compile(r"\bcong thong tin dien tu\b"), "cong ttdt"),
)

_SPACES = re.compile(r"\s+")
_HYPHEN = re.compile(r"\s*[-–—]\s*")


def clean(text: str) -> str:
    """NFC, one space between words, nothing around; non-breaking spaces are spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).replace("\u00a0", " ")).strip()


def spaced_hyphens(text: str) -> str:
    """ "Tài chính-Kế hoạch" -> "Tài chính - Kế hoạch" (a name's parts), leaving "TT-TT",
    "KH-UBND" and dates alone (no space around a hyphen between capitals or digits)."""

    def fix(match: re.Match[str]) -> str:
        before, after = match.string[match.start() - 1], match.string[match.end()]
        if before.isupper() and after.isupper() and " " not in match.group(0):
            return match.group(0)
        if before.isdigit() or after.isdigit():
            return match.group(0)
        return " - "

    return re.sub(r"(?<=\w)\s*-\s*(?=\w)", fix, text)


def correct_typos(text: str) -> tuple[str, tuple[str, ...]]:
    """The text with known typos corrected, and a note for each correction made."""
    notes = []
    for wrong, right in KNOWN_TYPOS.items():
        if wrong in text:
            text = text.replace(wrong, right)
            notes.append(f"“{wrong}” sửa thành “{right}”")
    return text, tuple(notes)


def fold(text: str) -> str:
    """A name reduced for comparing: no case, no diacritics (so "hoá" = "hóa"), đ = d, one
    spelling of hyphens and of the common abbreviations."""
    text = clean(text).replace("đ", "d").replace("Đ", "D")
    text = "".join(
        char for char in unicodedata.normalize("NFD", text) if unicodedata.category(char) != "Mn"
    )
    text = _HYPHEN.sub(" - ", text.lower())
    for pattern, replacement in _SAME_WORDS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"[.;:,()“”\"]", " ", text)
    return _SPACES.sub(" ", text).strip()


def slug(text: str) -> str:
    """An ASCII code for a name: "UBND xã Bảo Đài" -> "ubnd-xa-bao-dai"."""
    folded = re.sub(r"[^a-z0-9]+", "-", fold(text))
    return folded.strip("-")[:64] or "don-vi"
