"""Adapter: the unit directory .xlsx (openpyxl) -> `UnitRow`s, and the two spreadsheets the
command writes: the directory template and the plan for review."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from minhbach.plan_import import messages
from minhbach.plan_import.errors import ImportFailure
from minhbach.plan_import.model import UnitRow
from minhbach.plan_import.units import COLUMNS, check_header, header_columns


def read_units_xlsx(data: bytes, name: str) -> list[UnitRow]:
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFailure(messages.not_an_xlsx(name)) from error
    names = book.sheetnames
    sheet = book[messages.SHEET_UNITS] if messages.SHEET_UNITS in names else book.worksheets[0]
    rows = [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:  # "Xã" typed once beside a block of communes
        top = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                rows[r][c] = top
    book.close()
    header_at = next((i for i, row in enumerate(rows[:5]) if len(header_columns(row)) >= 3), 0)
    columns = check_header(name, rows[header_at] if rows else [])
    out = []
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(row):
            continue

        def get(field: str, row: Sequence[str] = row) -> str:
            index = columns.get(field)
            return row[index] if index is not None and index < len(row) else ""

        out.append(
            UnitRow(
                row=number,
                code=get("code"),
                name=get("name"),
                kind=get("kind"),
                email=get("email"),
                portal=get("portal"),
                parent=get("parent"),
                person=get("person"),
                aliases=tuple(a.strip() for a in get("aliases").split(";") if a.strip()),
            )
        )
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def write_book(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """A workbook of (title, header, rows) sheets, headers bold and columns sized."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        for index, column in enumerate(sheet.columns):
            width = max((len(str(c.value or "")) for c in column), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8), 60) + 2
            del index
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_columns() -> list[str]:
    order = ("code", "name", "kind", "email", "portal", "parent", "person", "aliases")
    titles = {field: title for field, title, _ in COLUMNS}
    return [titles[field] for field in order]
