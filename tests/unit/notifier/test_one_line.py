"""`one_line`'s fast path (printable text, cached) gives what the per-character rule gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from notifier.compose import one_line

CONTROL = frozenset({"Cc", "Cf", "Zl", "Zp"})


def reference(text: str) -> str:
    printable = "".join(" " if unicodedata.category(c) in CONTROL else c for c in text)
    return " ".join(printable.split())


@given(st.text())
def test_one_line_matches_the_per_character_rule(text: str) -> None:
    assert one_line(text) == reference(text)


def test_controls_and_separators_become_spaces() -> None:
    assert one_line("Ủy ban\r\nnhân dân\u2028xã\u200b Thử") == "Ủy ban nhân dân xã Thử"
    assert one_line("  Kế hoạch   số 12 ") == "Kế hoạch số 12"
