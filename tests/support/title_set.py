"""The labelled titles of `tests/unit/portal_monitor/data/real_titles.tsv` and how the
classifier is measured on them.

One line a title: the title, the section it was listed in (empty when not known), the kind the
written rule of decision 0015 gives it, an acceptable alternative (empty when none) and the
source (the page's address, or "written: in the style of ..."). A quarter of the lines, chosen
by the SHA-256 of the title, is held out: the rules are refined on the rest only, and the held-out
accuracy is reported apart.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parents[1] / "unit" / "portal_monitor" / "data" / "real_titles.tsv"
KINDS = (
    "directive",
    "planning",
    "investment_incentive",
    "administrative_procedure",
    "legal_normative",
    "qa",
    "other",
)


@dataclass(frozen=True)
class LabelledTitle:
    title: str
    section: str | None
    expected: str
    alternative: str | None
    source: str

    @property
    def held_out(self) -> bool:
        """A quarter of the set, fixed by the title alone (adding lines never moves another)."""
        digest = hashlib.sha256(self.title.encode("utf-8")).hexdigest()
        return int(digest[:8], 16) % 4 == 0

    @property
    def real(self) -> bool:
        return not self.source.startswith("written")

    def right(self, kind: str, lenient: bool) -> bool:
        return kind == self.expected or (lenient and kind == self.alternative)


def load(path: Path = DATA) -> list[LabelledTitle]:
    titles = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5:
            raise ValueError(f"{path.name}:{number}: 5 tab-separated fields, found {len(fields)}")
        title, section, expected, alternative, source = fields
        titles.append(LabelledTitle(title, section or None, expected, alternative or None, source))
    return titles


Classify = Callable[[LabelledTitle, bool], tuple[str, bool]]  # (kind, confident)


@dataclass(frozen=True)
class Measure:
    total: int
    right: int
    right_lenient: int
    confident: int
    confident_right: int  # right (lenient) among the confident ones
    confusion: Counter[tuple[str, str]]  # (expected, found)
    errors: tuple[tuple[LabelledTitle, str], ...]

    def share(self, count: int, of: int | None = None) -> str:
        whole = self.total if of is None else of
        return f"{count}/{whole} ({100 * count / whole:.2f} %)" if whole else "0/0"

    def report(self, name: str) -> str:
        lines = [
            f"{name}: right {self.share(self.right)}, with the acceptable alternative "
            f"{self.share(self.right_lenient)}; confident {self.share(self.confident)}, of which "
            f"right {self.share(self.confident_right, self.confident)}",
            "  expected \\ found " + " ".join(f"{k[:8]:>8}" for k in KINDS),
        ]
        for expected in KINDS:
            row = " ".join(f"{self.confusion[(expected, found)]:>8}" for found in KINDS)
            lines.append(f"  {expected[:16]:>16} {row}")
        return "\n".join(lines)


def measure(titles: Iterable[LabelledTitle], classify: Classify, with_section: bool) -> Measure:
    total = right = lenient = confident = confident_right = 0
    confusion: Counter[tuple[str, str]] = Counter()
    errors = []
    for item in titles:
        kind, sure = classify(item, with_section)
        total += 1
        right += item.right(kind, lenient=False)
        lenient += item.right(kind, lenient=True)
        confident += sure
        confident_right += sure and item.right(kind, lenient=True)
        confusion[(item.expected, kind)] += 1
        if not item.right(kind, lenient=True):
            errors.append((item, kind))
    return Measure(total, right, lenient, confident, confident_right, confusion, tuple(errors))
