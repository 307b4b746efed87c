"""`minhbach plan import`, `plan export --xlsx` and `units template` through typer's CliRunner:
the exported plan's unit sheet is a directory the import reads again."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from intake.cli import units_app
from minhbach.cli.plan import plan_app
from minhbach.plan import default_plan_path, load_plan
from minhbach.plan_import.xlsx import read_units_xlsx
from tests.unit.plan_import.documents import seed_docx

runner = CliRunner()


def test_export_then_import_round_trip(tmp_path: Path) -> None:
    book = tmp_path / "ke-hoach.xlsx"
    result = runner.invoke(
        plan_app, ["export", "--xlsx", str(book), "--file", str(default_plan_path())]
    )
    assert result.exit_code == 0, result.output
    sheets = load_workbook(book).sheetnames
    assert sheets == ["Chỉ tiêu", "Nhiệm vụ", "Đơn vị", "Hạn trong năm"]
    deadlines = list(load_workbook(book)["Hạn trong năm"].iter_rows(values_only=True))
    assert any(row[3] == "7.2" and str(row[0]).startswith("2024-11-29") for row in deadlines)

    docx = tmp_path / "ke-hoach.docx"
    docx.write_bytes(seed_docx())
    out = tmp_path / "plan.yaml"
    result = runner.invoke(plan_app, ["import", str(docx), "--units", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Đơn vị đầu mối: Phòng Văn hóa và Thông tin (vhtt)" in result.stdout
    assert "dòng KIỂM TRA cần người xem lại" in result.stdout
    plan = load_plan(out)
    assert plan.lead_unit_codes("7.2") == ("vhtt",)

    result = runner.invoke(
        plan_app,
        [
            "import",
            str(docx),
            "--units",
            str(book),
            "-o",
            str(out),
            "--base",
            str(default_plan_path()),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Không khác tệp kế hoạch cũ." in result.stdout


def test_units_template_has_the_columns_the_import_reads(tmp_path: Path) -> None:
    path = tmp_path / "don-vi.xlsx"
    result = runner.invoke(units_app, ["template", str(path)])
    assert result.exit_code == 0, result.output
    rows = read_units_xlsx(path.read_bytes(), path.name)
    assert [r.code for r in rows] == ["ubnd", "chu-tich", "vhtt", "xa-b"]
    assert rows[2].aliases == ("Phòng VH&TT",)


def test_a_directory_with_merged_kind_cells_and_numbers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["STT", "Mã", "Tên đơn vị", "Loại", "Email", "Website"])
    sheet.append([1, "xa-a", "UBND xã A", "Xã", "a@x.vn", "xa-a.gov.vn"])
    sheet.append([2, "xa-b", "UBND xã B", None, "b@x.vn", "https://xa-b.gov.vn"])
    sheet.merge_cells("D2:D3")
    out = tmp_path / "dv.xlsx"
    book.save(out)
    rows = read_units_xlsx(out.read_bytes(), out.name)
    assert [(r.code, r.kind, r.portal) for r in rows] == [
        ("xa-a", "Xã", "xa-a.gov.vn"),
        ("xa-b", "Xã", "https://xa-b.gov.vn"),
    ]
