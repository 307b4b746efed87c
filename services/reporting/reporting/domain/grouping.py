"""Statements grouped: identical or near-identical difficulties, proposals or reasons, written
by many units, become one line with the units after it (plan III.2 asks for an analysis, not
the same sentence quoted once per commune).

Two statements are the same when their keys are close: a key is the text in Unicode NFC (a
pasted NFD text compares equal), lower case, without diacritics ("đ" as "d": a unit typing
without diacritics says the same thing), punctuation and repeated spaces. Keys equal after
that are one group at once; the remaining distinct keys are compared with rapidfuzz's
`token_sort_ratio` (word order ignored) and joined to the first group whose key scores at
least `SIMILARITY`. 90 keeps "đề nghị tỉnh tập huấn" and "đề nghị sở tập huấn" apart (80)
while "kiêm nhiệm, chưa cập nhật kịp" and "kiêm nhiệm nên chưa cập nhật kịp" join (decision
0014). Each group is shown with its most frequent wording, preferring one with diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

SIMILARITY = 90.0
T = TypeVar("T", bound=Hashable)

_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """The comparison key: NFC, lower case, no diacritics, no punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("đ", "d")
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", plain)).strip()


@lru_cache(maxsize=8192)
def nfc(text: str) -> str:
    """The text in NFC without surrounding space (units repeat their words: computed once)."""
    return unicodedata.normalize("NFC", text).strip()


@dataclass(frozen=True, slots=True)
class Statement(Generic[T]):
    text: str
    source: T  # who said it (a unit code, or a (unit, task) pair)


@dataclass(frozen=True, slots=True)
class Group(Generic[T]):
    text: str  # the wording shown
    sources: tuple[T, ...]  # in the order first seen, each once
    count: int  # statements in the group (a unit may say it for several tasks)


def group_statements(statements: Iterable[Statement[T]]) -> list[Group[T]]:
    """Groups, the most widely shared first (then in the order first seen)."""
    by_key: dict[str, list[Statement[T]]] = {}
    for statement in statements:
        text = nfc(statement.text)
        if not text:
            continue
        by_key.setdefault(key(text), []).append(Statement(text, statement.source))
    leaders: list[str] = []  # the first key of each group
    members: dict[str, list[str]] = {}
    for k in by_key:
        match = process.extractOne(
            k, leaders, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILARITY
        )
        if match is None:
            leaders.append(k)
            members[k] = [k]
        else:
            members[match[0]].append(k)
    groups = []
    for order, leader in enumerate(leaders):
        said = [s for k in members[leader] for s in by_key[k]]
        sources = tuple(dict.fromkeys(s.source for s in said))
        groups.append((len(sources), -order, Group(_wording(said), sources, len(said))))
    groups.sort(key=lambda item: (-item[0], -item[1]))
    return [group for _, _, group in groups]


def _wording(said: list[Statement[T]]) -> str:
    counts = Counter(s.text for s in said)
    first = {text: i for i, text in reversed(list(enumerate(s.text for s in said)))}
    return min(counts, key=lambda t: (not _has_diacritics(t), -counts[t], first[t]))


def _has_diacritics(text: str) -> bool:
    return key(text) != _SPACES.sub(" ", _PUNCTUATION.sub(" ", text.casefold())).strip()
