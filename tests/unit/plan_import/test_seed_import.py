"""The seed plan, written as the .docx its office signed and a unit directory .xlsx, imports into
a plan file that gives back every indicator, target, task, unit and deadline of
shared/plans/luc-nam-2024.yaml, and the same obligations through scoring's rules."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest

from minhbach.plan import Plan, default_plan_path, load_plan, parse_plan
from minhbach.plan_import.docx_reader import read_docx
from minhbach.plan_import.errors import ImportFailure
from minhbach.plan_import.importer import ImportResult, import_plan
from minhbach.plan_import.xlsx import read_units_xlsx
from scoring.domain.obligations.rules import ObligationRules
from tests.unit.plan_import.documents import (
    seed_docx,
    seed_parts,
    seed_units,
    table_docx,
    units_xlsx,
)


def run_import(docx: bytes, xlsx: bytes, base: bool = False) -> ImportResult:
    document = read_docx(docx, "ke-hoach-luc-nam-2024.docx")
    rows = read_units_xlsx(xlsx, "don-vi.xlsx")
    policy = default_plan_path().read_text(encoding="utf-8")
    return import_plan(document, "don-vi.xlsx", rows, policy, from_base=base)


@cache
def seed() -> Plan:
    return load_plan(default_plan_path())


@cache
def imported() -> ImportResult:
    return run_import(seed_docx(), units_xlsx(seed_units()))


def words(text: str) -> str:
    return " ".join(text.split())


def task_view(plan: Plan, code: str) -> dict[str, Any]:
    task = plan.task(code)
    return {
        "indicator": task.indicator,
        "text": words(task.text),
        "lead": plan.lead_unit_codes(code),
        "supporting": plan.supporting_unit_codes(code),
        "role": task.supporting_role,
        "timing": (task.timing.kind, task.timing.deadline, task.timing.within_working_days),
        "merged_cells_from": task.merged_cells_from,
    }


def obligations(plan: Plan) -> set[tuple[Any, ...]]:
    return {
        (o.obligation_id, o.unit_code, o.kind, o.due_at, o.task_code, o.period)
        for o in ObligationRules(plan).all_obligations([], [], [])
    }


def test_the_imported_file_validates_on_its_own() -> None:
    result = imported()
    reloaded = parse_plan(result.text, "imported.yaml")
    assert reloaded.meta.year == 2024
    assert "# KIỂM TRA: đã sửa lỗi chính tả của văn bản: “Tín minh bạch” sửa thành" in result.text
    assert "  # KIỂM TRA: kế hoạch không ghi ngày ký: tính từ ngày đầu tháng ký\n" in result.text
    assert "# KIỂM TRA: “Trung tâm Văn hoá TT-TT” hiểu là" in result.text


def test_every_indicator_and_target_comes_back() -> None:
    plan, expected = imported().plan, seed()
    assert [i.number for i in plan.indicators] == [i.number for i in expected.indicators]
    for got, want in zip(plan.indicators, expected.indicators, strict=True):
        assert words(got.title) == words(want.title), got.number
        assert got.tasks == want.tasks
        if want.target is None:
            assert got.target is None, got.number
        else:
            assert got.target is not None
            assert (got.target.value, got.target.unit, got.target.comparison) == (
                want.target.value,
                want.target.unit,
                want.target.comparison,
            )
            assert got.target.text == want.target.text


def test_every_task_its_units_role_and_timing_come_back() -> None:
    plan, expected = imported().plan, seed()
    assert [t.code for t in plan.tasks] == [t.code for t in expected.tasks]
    rows = []
    for task in expected.tasks:
        got, want = task_view(plan, task.code), task_view(expected, task.code)
        assert got == want, task.code
        rows.append(
            f"{task.code:5} lead {len(got['lead']):2}  supporting {len(got['supporting']):2}"
            f"  {got['timing'][0]:14} {got['merged_cells_from'] or ''}"
        )
    print(
        "\n".join(
            ["task  lead/supporting units, timing, merged from (all equal to the seed)", *rows]
        )
    )


def test_meta_roles_and_reporting_rules_come_back() -> None:
    plan, expected = imported().plan, seed()
    assert plan.roles == expected.roles
    assert plan.meta.effective_from == expected.meta.effective_from
    assert plan.meta.issuer == expected.meta.issuer
    assert plan.meta.signer == expected.meta.signer
    assert plan.meta.document == expected.meta.document
    assert plan.meta.overall_target == expected.meta.overall_target
    assert [(r.number, r.date, r.issuer) for r in plan.meta.references] == [
        (r.number, r.date, r.issuer) for r in expected.meta.references
    ]
    keys = ("code", "reporter", "period", "due_before_day", "due_before_month", "recipient")
    assert [tuple(getattr(r, k) for k in keys) for r in plan.reporting_rules] == [
        tuple(getattr(r, k) for k in keys) for r in expected.reporting_rules
    ]


def test_scoring_derives_the_same_obligations_and_deadlines_for_2024() -> None:
    got, want = obligations(imported().plan), obligations(seed())
    assert got == want
    assert len(want) > 100


def test_the_summary_prints_each_match_and_what_needs_a_person() -> None:
    summary = imported().summary
    print(summary)
    assert "Trung tâm Văn hoá TT-TT → ttvh-tttt" in summary
    assert "“Tín minh bạch” sửa thành “Tính minh bạch”" in summary
    assert "Cần người kiểm tra" in summary


def test_decomposed_unicode_reads_the_same() -> None:
    nfd = run_import(seed_docx(nfd_rows=(1, 2, 9, 10, 14)), units_xlsx(seed_units()))
    assert obligations(nfd.plan) == obligations(seed())
    for code in ("1.1", "1.2", "5.1", "5.2", "7.1"):
        assert task_view(nfd.plan, code) == task_view(seed(), code)


@pytest.mark.parametrize("base", [True])
def test_with_the_seed_as_base_nothing_in_use_changes(base: bool) -> None:
    result = run_import(seed_docx(), units_xlsx(seed_units()), base=base)
    print("\n".join(result.differences))
    plan, expected = result.plan, seed()
    assert [u.code for u in plan.units] == [u.code for u in expected.units]
    assert plan.portal_monitoring == expected.portal_monitoring
    assert plan.drafting == expected.drafting
    for task in expected.tasks:
        assert plan.task(task.code).document_kinds == task.document_kinds
        assert plan.task(task.code).portal_sections == task.portal_sections
    assert [i.readiness_weights for i in plan.indicators] == [
        i.readiness_weights for i in expected.indicators
    ]
    assert result.differences == ()


def test_a_revised_plan_keeps_the_codes_in_use_and_lists_what_changed() -> None:
    """ "Kế hoạch điều chỉnh": indicator 2's target raised, task 5.1 gets a second lead, a unit
    added; the directory comes without codes. Every code in use is kept."""
    body, header, rows = seed_parts()
    revised = []
    for row in rows:
        cells = list(row)
        if cells[0] == "2":
            cells[1] = cells[1].replace("50%", "55%")
        if cells[2].startswith("5.1."):
            cells[3] = "Phòng Tư pháp, Phòng Nội vụ"
        revised.append(cells)
    width = len(header)
    grid = [(r + [""] * width)[:width] for r in revised]
    merges = [
        (r, c)
        for r, row in enumerate(grid, start=1)
        for c in range(width)
        if not row[c] and (c < 2 or re.match(r"^\d+\.\d+\.", row[2]))
    ]
    units = [{**u, "code": ""} for u in seed_units()]
    units.append(
        {
            "code": "",
            "name": "Phòng Giao dịch Ngân hàng Chính sách xã hội",
            "kind": "department",
            "email": "nhcs@lucnam.example.invalid",
        }
    )
    directory = units_xlsx(units, parent="UBND huyện Lục Nam")  # parents by name, not code
    result = run_import(table_docx(body, header, grid, merges), directory, base=True)
    print("\n".join(result.differences))
    plan = result.plan
    assert [u.code for u in plan.units][: len(seed().units)] == [u.code for u in seed().units]
    assert plan.task("5.1").lead == ("tu-phap", "noi-vu")
    new_code = "phong-giao-dich-ngan-hang-chinh-sach-xa-hoi"
    gained = obligations(plan) - obligations(seed())
    assert obligations(seed()) <= obligations(plan)  # nothing owed before moves or goes
    assert gained and {o[1] for o in gained} == {new_code}  # the new department reports too
    assert "~ chỉ tiêu 2 (mục tiêu): >=, 50.0, percent → >=, 55.0, percent" in result.differences
    assert "~ nhiệm vụ 5.1 (chủ trì): tu-phap → tu-phap, noi-vu" in result.differences
    added = [d for d in result.differences if d.startswith("+ thêm đơn vị")]
    assert added == [
        "+ thêm đơn vị phong-giao-dich-ngan-hang-chinh-sach-xa-hoi: "
        "Phòng Giao dịch Ngân hàng Chính sách xã hội"
    ]
    assert "Khác với tệp kế hoạch cũ (3):" in result.summary


@pytest.mark.parametrize("repeat_header", [True, False])
def test_an_appendix_word_split_into_two_tables_reads_whole(repeat_header: bool) -> None:
    _, _, rows = seed_parts()
    at = next(i for i, row in enumerate(rows) if row[0] == "5")  # before indicator 5
    result = run_import(
        seed_docx(split_at=at, repeat_header=repeat_header), units_xlsx(seed_units())
    )
    assert [t.code for t in result.plan.tasks] == [t.code for t in seed().tasks]
    assert obligations(result.plan) == obligations(seed())
    units = [u for u in seed_units() if u["code"] != "tu-phap"]
    with pytest.raises(ImportFailure) as caught:
        run_import(seed_docx(split_at=at, repeat_header=repeat_header), units_xlsx(units))
    first = 2 if repeat_header else 1
    assert f"Phụ lục, bảng 2, dòng {first}, cột" in caught.value.message
