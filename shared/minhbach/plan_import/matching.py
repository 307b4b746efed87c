"""Which unit of the directory a name in the plan means, and how sure that is (rapidfuzz).

Names are folded first (case, diacritics, "hoá"/"hóa", hyphen spacing, "Ủy ban nhân dân" =
"UBND"); the score is the better of the whole-name comparison and a slightly discounted
subset comparison (so "Hội Doanh nghiệp tỉnh" finds "Hội Doanh nghiệp tỉnh Hưng Nam",
a little less surely). A unit's "Tên khác" column adds names it is also known by.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from rapidfuzz import fuzz

from minhbach.plan_import.text import fold
from minhbach.plan_import.units import DirectoryUnit

SURE: Final = 95.0  # at or above: taken without a note
ACCEPTED: Final = 75.0  # at or above: taken, with a KIỂM TRA note; below: not found
SUBSET_WEIGHT: Final = 0.9
CLOSE: Final = 3.0  # a runner-up this close makes the match doubtful


@dataclass(frozen=True, slots=True)
class Match:
    name: str  # as the plan writes it
    unit: DirectoryUnit | None
    score: float  # 0..100
    runner_up: DirectoryUnit | None = None

    @property
    def sure(self) -> bool:
        return self.unit is not None and self.score >= SURE and self.runner_up is None


def score(query: str, candidate: str) -> float:
    """100 for the same folded name; else the whole-name similarity, or 90 when every word of
    the plan's name is in the unit's (a shorter way of writing it). Abbreviations in capitals
    ("TT-TT") are first spelt out from the candidate's initials ("Thông tin - Thể thao")."""
    a, b = fold(_spelt_out(query, candidate)), fold(candidate)
    if a == b:
        return 100.0
    whole = float(fuzz.token_sort_ratio(a, b))
    words_a, words_b = set(a.split()) - {"-"}, set(b.split()) - {"-"}
    subset = SUBSET_WEIGHT * 100 if words_a and words_a <= words_b else 0.0
    return max(whole, subset)


def _spelt_out(query: str, candidate: str) -> str:
    words = [w for w in re.split(r"[\s\-–]+", fold(candidate)) if w]
    out: list[str] = []
    start = 0
    for token in re.split(r"(\s+|\s*-\s*)", query):
        letters = token.replace("Đ", "D")
        if 2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper():
            for index in range(start, len(words) - len(letters) + 1):
                window = words[index : index + len(letters)]
                if "".join(w[0] for w in window) == letters.lower():
                    out.append(" ".join(window))
                    start = index + len(letters)
                    break
            else:
                out.append(token)
        else:
            out.append(token)
    return "".join(out)


def match_unit(name: str, units: Sequence[DirectoryUnit]) -> Match:
    scored = sorted(
        ((max(score(name, n) for n in (unit.name, *unit.aliases)), unit) for unit in units),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < ACCEPTED:
        return Match(name, None, scored[0][0] if scored else 0.0)
    best, unit = scored[0]
    runner_up = None
    if len(scored) > 1 and best < 100 and best - scored[1][0] < CLOSE:
        runner_up = scored[1][1]
    return Match(name, unit, round(best, 1), runner_up)
