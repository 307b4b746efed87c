"""Bad input: a clear Vietnamese message naming the file, row and column, and no file written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from minhbach.cli.plan import plan_app
from minhbach.plan_import.commands import import_bytes
from minhbach.plan_import.errors import ImportFailure
from tests.unit.plan_import.documents import (
    UNIT_HEADER,
    seed_docx,
    seed_parts,
    seed_units,
    table_docx,
    units_xlsx,
)

runner = CliRunner()


def failure(docx: bytes, xlsx: bytes) -> str:
    with pytest.raises(ImportFailure) as caught:
        import_bytes(docx, "ke-hoach.docx", xlsx, "don-vi.xlsx")
    message = caught.value.message
    print(message)
    return message


def test_a_file_that_is_not_a_docx() -> None:
    message = failure(b"%PDF-1.7 not a word file", units_xlsx(seed_units()))
    assert "“ke-hoach.docx” không phải tệp Word (.docx)" in message


def test_a_spreadsheet_that_is_not_an_xlsx() -> None:
    message = failure(seed_docx(), b"Ma,Ten\nvhtt,Phong")
    assert "“don-vi.xlsx” không phải bảng tính Excel (.xlsx)" in message


def test_a_plan_without_its_appendix_table() -> None:
    body, _, _ = seed_parts()
    import io

    from docx import Document

    document = Document()
    for line in body:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    message = failure(out.getvalue(), units_xlsx(seed_units()))
    assert "không có bảng nào" in message and "Phụ lục" in message


def test_an_appendix_without_its_lead_column() -> None:
    body, header, rows = seed_parts()
    keep = [0, 1, 2, 4, 5]  # no "Cơ quan chủ trì thực hiện"
    docx = table_docx(
        body, [header[i] for i in keep], [[r[i] if i < len(r) else "" for i in keep] for r in rows]
    )
    message = failure(docx, units_xlsx(seed_units()))
    assert "bảng 1 (Phụ lục): thiếu cột Cơ quan chủ trì" in message
    assert "Nhiệm vụ, giải pháp trọng tâm" in message  # the header as read


def test_a_unit_the_directory_does_not_have_names_row_and_column() -> None:
    units = [u for u in seed_units() if u["code"] != "tu-phap"]
    message = failure(seed_docx(), units_xlsx(units))
    assert "Phụ lục, dòng 10, cột “Cơ quan chủ trì thực hiện” (nhiệm vụ 5.1)" in message
    assert "không tìm thấy đơn vị “Phòng Tư pháp”" in message


def test_duplicate_codes_and_a_malformed_email_name_their_rows() -> None:
    units = seed_units()
    units[4] = {**units[4], "code": units[3]["code"]}
    units[6] = {**units[6], "email": "ktht at lucnam"}
    message = failure(seed_docx(), units_xlsx(units))
    assert "dòng 6, cột “Mã”: mã “vhtt” đã dùng ở dòng 5" in message
    assert "dòng 8, cột “Thư điện tử”: “ktht at lucnam” không phải địa chỉ thư điện tử" in message


def test_a_commune_without_its_portal_names_the_cell() -> None:
    units = seed_units()
    index = next(i for i, u in enumerate(units) if u["code"] == "bao-dai")
    units[index] = {k: v for k, v in units[index].items() if k != "portal"}
    message = failure(seed_docx(), units_xlsx(units))
    assert f"dòng {index + 2}, cột “Cổng TTĐT”: đơn vị loại “Xã” có cổng thông tin riêng" in message


def test_a_directory_without_the_email_column() -> None:
    message = failure(seed_docx(), units_xlsx(seed_units(), header=UNIT_HEADER[:3]))
    assert "dòng 1: thiếu cột “Thư điện tử”" in message


def test_the_command_writes_nothing_on_failure(tmp_path: Path) -> None:
    docx = tmp_path / "ke-hoach.docx"
    docx.write_bytes(seed_docx())
    xlsx = tmp_path / "don-vi.xlsx"
    xlsx.write_bytes(units_xlsx([u for u in seed_units() if u["code"] != "ktht"]))
    out = tmp_path / "plan.yaml"
    result = runner.invoke(plan_app, ["import", str(docx), "--units", str(xlsx), "-o", str(out)])
    assert result.exit_code == 1
    assert "không tìm thấy đơn vị “Phòng Kinh tế và Hạ tầng”" in result.stderr
    assert "Chưa ghi tệp nào." in result.stderr
    assert not out.exists()
