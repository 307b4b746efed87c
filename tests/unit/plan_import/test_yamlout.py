"""The plan writer: what it writes reads back as the same data, comments included."""

from __future__ import annotations

from datetime import date

import yaml
from hypothesis import given
from hypothesis import strategies as st

from minhbach.plan_import.yamlout import Noted, render

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(" -:#“”'\"{}[]"),
    max_size=300,
)


@given(TEXT, st.lists(TEXT, max_size=3))
def test_any_text_reads_back_the_same(text: str, items: list[str]) -> None:
    data = {"a": {"text": text, "items": items, "rows": [{"code": "1.1", "text": text}]}}
    assert yaml.safe_load(render(data)) == data


def test_notes_become_comments_and_long_texts_fold() -> None:
    long = "Công bố kịp thời, đầy đủ các quy hoạch tổng thể phát triển kinh tế - xã hội " * 3
    data = {
        "meta": {"year": 2024, "issued": Noted(date(2024, 5, 1), ("KIỂM TRA: ngày đoán",))},
        "tasks": [
            Noted(
                {"code": "6.10", "text": long.strip(), "lead": ["vhtt", "all_x"]},
                ("KIỂM TRA: mã đoán",),
            )
        ],
    }
    text = render(data, ["header"])
    assert "  # KIỂM TRA: ngày đoán\n  issued: 2024-05-01" in text
    assert '  # KIỂM TRA: mã đoán\n  - code: "6.10"' in text
    assert "    text: >-\n" in text and "lead: [vhtt, all_x]" in text
    assert yaml.safe_load(text)["tasks"][0] == {
        "code": "6.10",
        "text": long.strip(),
        "lead": ["vhtt", "all_x"],
    }
