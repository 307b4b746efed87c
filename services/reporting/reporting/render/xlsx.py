"""The appendix's tables -> .xlsx (XlsxWriter), one sheet per table: the offices that receive
the report work in Excel. Vietnamese headers in bold, the header row frozen, filters on it,
columns as wide as the document's (millimetres to Excel's character widths), text wrapped.

XlsxWriter rather than openpyxl: we only write, and its `constant_memory` mode streams a
sheet row by row (a province's 20,000 task lines in well under a second), where openpyxl
builds every cell as an object first.
"""

from __future__ import annotations

import io

import xlsxwriter

from reporting.render.document import Appendix

MM_PER_CHARACTER = 2.0  # Excel's column width unit is about 2 mm of Calibri 11
MAX_WIDTH = 80.0


def render_xlsx(appendix: Appendix) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    cell = book.add_format({"text_wrap": True, "valign": "top"})
    for item in appendix.tables:
        sheet = book.add_worksheet(item.sheet)
        table = item.table
        for column, width in enumerate(table.widths_mm):
            sheet.set_column(column, column, min(MAX_WIDTH, width / MM_PER_CHARACTER), cell)
        sheet.write_row(0, 0, table.columns, header)
        for number, row in enumerate(table.rows, 1):
            sheet.write_row(number, 0, [_value(text) for text in row])
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(1, len(table.rows)), len(table.columns) - 1)
    book.close()
    return out.getvalue()


def _value(text: str) -> str | int:
    """Whole numbers as numbers (so a column of counts sums and sorts), the rest as text."""
    whole = text.isascii() and text.isdigit() and len(text) < 10
    return int(text) if whole and (text == "0" or not text.startswith("0")) else text
