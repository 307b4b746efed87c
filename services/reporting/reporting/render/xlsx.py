"""The appendix's tables -> .xlsx (XlsxWriter), one sheet per table: the offices that receive
the report work in Excel. Vietnamese headers in bold, the header row frozen, filters on it,
columns as wide as the document's (millimetres to Excel's character widths), text wrapped.

XlsxWriter rather than openpyxl: we only write, and XlsxWriter writes the workbook's frame
(styles, column widths, the frozen pane, the filter, sheet names) from a few calls. Its cell
API costs some 15 µs a cell, seconds for a province's 20,000 task lines, so the rows are
written once as SpreadsheetML text (inline strings) and spliced into the saved sheet in place
of a marker row, as `docx.py` does with the document's body (decision 0014).
"""

from __future__ import annotations

import io
import re
import zipfile

import xlsxwriter

from reporting.render.document import Appendix

MM_PER_CHARACTER = 2.0  # Excel's column width unit is about 2 mm of Calibri 11
MAX_WIDTH = 80.0


MARKER = 987654321  # the value of the marker row replaced by the rows


def render_xlsx(appendix: Appendix) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    cell = book.add_format({"text_wrap": True, "valign": "top"})
    rows: dict[str, str] = {}
    for number, item in enumerate(appendix.tables, 1):
        sheet = book.add_worksheet(item.sheet)
        table = item.table
        for column, width in enumerate(table.widths_mm):
            sheet.set_column(column, column, min(MAX_WIDTH, width / MM_PER_CHARACTER), cell)
        sheet.write_row(0, 0, table.columns, header)
        last = max(1, len(table.rows))
        sheet.write_number(last, len(table.columns) - 1, MARKER)  # the sheet's extent
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, last, len(table.columns) - 1)
        rows[f"xl/worksheets/sheet{number}.xml"] = ""
    book.close()
    style = cell.xf_index
    for number, item in enumerate(appendix.tables, 1):
        rows[f"xl/worksheets/sheet{number}.xml"] = _rows_xml(item.table.rows, style)
    return _spliced(out.getvalue(), rows)


def _rows_xml(rows: tuple[tuple[str, ...], ...], style: int) -> str:
    parts = []
    for r, row in enumerate(rows, 2):
        cells = []
        for c, text in enumerate(row):
            ref = f"{_column(c)}{r}"
            value = _value(text)
            if isinstance(value, int):
                cells.append(f'<c r="{ref}" s="{style}"><v>{value}</v></c>')
            elif value:
                cells.append(
                    f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{_xml_text(value)}</t></is></c>"
                )
        parts.append(f'<row r="{r}">{"".join(cells)}</row>')
    return "".join(parts)


def _spliced(xlsx: bytes, rows: dict[str, str]) -> bytes:
    """Each sheet's marker row replaced by its rows."""
    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in rows:
                xml = data.decode("utf-8")
                marker = xml.index(f"<v>{MARKER}</v>")
                start = xml.rindex("<row ", 0, marker)
                end = xml.index("</row>", marker) + len("</row>")
                data = (xml[:start] + rows[item.filename] + xml[end:]).encode("utf-8")
            target.writestr(item, data, zipfile.ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


_NOT_PLAIN = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_text(text: str) -> str:
    """Escaped, without the control characters XML 1.0 cannot carry."""
    if not _NOT_PLAIN.search(text):
        return text
    text = _CONTROL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _value(text: str) -> str | int:
    """Whole numbers as numbers (so a column of counts sums and sorts), the rest as text."""
    whole = text.isascii() and text.isdigit() and len(text) < 10
    return int(text) if whole and (text == "0" or not text.startswith("0")) else text
