"""Scoring's evidence lines do not accuse: a file not proven there may be missing or not yet
checked, so the line says the full text is not confirmed."""

from __future__ import annotations

from scoring import messages


def test_a_directive_without_a_proven_file_is_not_confirmed_not_accused() -> None:
    line = messages.directive_label("UBND xã Thử", "08/CT-UBND", "Chỉ thị", True, False)
    assert line.endswith("chưa xác nhận được toàn văn") and "không có toàn văn" not in line
    assert messages.directive_label("UBND xã Thử", None, "Tin", False, True).endswith(
        "không phải văn bản chỉ đạo, điều hành"
    )
    assert messages.directive_label("UBND xã Thử", None, "Chỉ thị", True, True).endswith("đạt")
