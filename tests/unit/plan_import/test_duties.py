"""Reporting duties written with decision 0017's fields: the month of the period, half years
and nine months, the last quarter folded into the annual report, the data cut-off day."""

from __future__ import annotations

from minhbach.plan_import.duties import read_duties


def test_months_periods_fold_and_cutoff() -> None:
    lines = [
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Các sở, ngành gửi báo cáo về cơ quan đầu mối trước ngày 10 của tháng đầu quý, "
        "trước ngày 15/11 hằng năm; báo cáo quý IV tổng hợp vào báo cáo năm; số liệu tính "
        "đến ngày 14 của tháng cuối kỳ báo cáo.",
        "2. Giao Sở Tài chính là cơ quan đầu mối, báo cáo Chủ tịch UBND tỉnh trước ngày 20 "
        "của tháng cuối quý; báo cáo 9 tháng trước ngày 05/10.",
        "Nơi nhận:",
    ]
    duties, notes = read_duties(lines)
    got = {
        (d.reporter, d.period): (
            d.due_before_day,
            d.due_before_month,
            d.due_month,
            d.fold_last_into_year,
            d.data_cutoff_day,
        )
        for d in duties
    }
    assert got == {
        ("lead_units", "quarter"): (10, None, "first", True, 14),
        ("lead_units", "year"): (15, 11, "next", False, None),
        ("focal_unit", "quarter"): (20, None, "last", False, None),
        ("focal_unit", "nine_months"): (5, None, "next", False, None),
    }
    assert notes == []


def test_a_fold_without_an_annual_duty_is_noted_not_written() -> None:
    lines = [
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Các sở, ngành gửi báo cáo về cơ quan đầu mối trước ngày 10 của tháng đầu tiên quý "
        "tiếp theo; báo cáo quý IV tổng hợp vào báo cáo năm.",
    ]
    duties, notes = read_duties(lines)
    assert [(d.period, d.due_month, d.fold_last_into_year) for d in duties] == [
        ("quarter", "next", False)
    ]
    assert "thêm quy tắc năm rồi ghi fold_last_into_year: true" in notes[0].text
