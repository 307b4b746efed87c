"""`OfficialDocument` -> .docx (python-docx), in the layout of Decree 30/2020/NĐ-CP, Phụ lục I.

A4; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the two-column header
(issuing body under its superior body, a short rule; the national motto, a rule); number and
place-and-date line; title and summary line; justified body with a first-line indent; bordered
tables; "Nơi nhận:" beside the signature block; page numbers centred at the top from page 2.
The appendix, if any, follows the signature in a section of its own on landscape pages (wide
tables read better across), its page numbers continuing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from reporting import messages as msg
from reporting.render.document import (
    Appendix,
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
TABLE_PT = 12
NATION_PT = 12  # 12-13: at 13 pt the line wraps in a 103 mm column
TWIPS_PER_MM = 1440 / 25.4
_RFONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
BODY_MARKER = "MINHBACH-BODY-9f1c2e"  # a paragraph replaced by the body after saving
APPENDIX_MARKER = "MINHBACH-APPENDIX-4b7d0a"  # and one replaced by the appendix
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
LANDSCAPE_TEXT_WIDTH_MM = 297.0 - MARGINS_MM["left"] - MARGINS_MM["right"]


def render_docx(doc: OfficialDocument) -> bytes:
    document = new_docx()
    _page_setup(document)
    _table_styles(document)
    _header(document, doc)
    _title(document, doc)
    document.add_paragraph(BODY_MARKER)
    _closing(document, doc)
    parts = {BODY_MARKER: _blocks_xml(doc.blocks)}
    if doc.appendix is not None:
        _landscape_section(document)
        document.add_paragraph(APPENDIX_MARKER)
        parts[APPENDIX_MARKER] = _appendix_xml(doc.appendix)
    out = io.BytesIO()
    document.save(out)
    return _with_parts(out.getvalue(), parts)


def _landscape_section(document: Document) -> None:
    """A new section on landscape A4 (same margins), page numbers on every page of it."""
    section = document.add_section(WD_SECTION_START.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.different_first_page_header_footer = False


def _page_setup(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT  # type: ignore[attr-defined]
    normal.font.size = Pt(BODY_PT)  # type: ignore[attr-defined]
    # East-Asian and complex-script slots too, or Word falls back to another font for "ạ", "ệ".
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), FONT)
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    # Page numbers from page 2: the first page has its own (empty) header.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number)


def _page_field(paragraph: DocxParagraph) -> None:
    run = paragraph.add_run()
    _font(run, HEADER_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _header(document: Document, doc: OfficialDocument) -> None:
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Mm(62), Mm(103))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    left, right = table.rows[0].cells
    _cell_line(left, doc.superior_body, HEADER_PT, first=True)
    _cell_line(left, doc.issuing_body, HEADER_PT, bold=True)
    _rule(left, Mm(20))
    _cell_line(right, msg.NATION, NATION_PT, bold=True, first=True)
    _cell_line(right, msg.MOTTO, BODY_PT, bold=True)
    _rule(right, Mm(28))
    number, place = table.rows[1].cells
    _cell_line(number, doc.number_line, HEADER_PT, first=True)
    _cell_line(place, doc.place_date, BODY_PT, italic=True, first=True)


def _cell_line(
    cell: _Cell,
    text: str,
    size: int,
    *,
    bold: bool = False,
    italic: bool = False,
    first: bool = False,
) -> DocxParagraph:
    paragraph: DocxParagraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    _font(run, size, bold=bold, italic=italic)
    return paragraph


def _rule(cell: _Cell, indent: Mm) -> None:
    """A short horizontal rule under the line above: an empty paragraph's bottom border,
    narrowed by equal indents on both sides."""
    paragraph = cell.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = indent
    fmt.space_after = Pt(6)
    fmt.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _title(document: Document, doc: OfficialDocument) -> None:
    for text, space_before in ((doc.title, 18), (doc.summary, 0)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(space_before)
        paragraph.paragraph_format.space_after = Pt(12 if text is doc.summary else 0)
        _font(paragraph.add_run(text), BODY_PT, bold=True)


def _blocks_xml(blocks: Iterable[Block]) -> str:
    """The body as WordprocessingML text: python-docx's paragraph and cell API search the tree
    on every call, and lxml's moves between trees are slow too (minutes for a district's
    report); text written once and spliced into the saved file is linear."""
    parts = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(_paragraph_xml(block.text, bold=True))
        elif isinstance(block, Paragraph):
            parts.append(_paragraph_xml(block.text, italic=block.italic))
        elif isinstance(block, Table):
            parts.append(_table_xml(block))
            parts.append('<w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>')
    return "".join(parts)


def _appendix_xml(appendix: Appendix) -> str:
    parts = [
        _centred_xml(appendix.heading, bold=True),
        _centred_xml(appendix.subtitle, italic=True),
    ]
    for item in appendix.tables:
        parts.append(_paragraph_xml(item.title, bold=True))
        parts.append(_table_xml(item.table))
        parts.append('<w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>')
    return "".join(parts)


def _centred_xml(text: str, *, bold: bool = False, italic: bool = False) -> str:
    style = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return (
        '<w:p><w:pPr><w:spacing w:after="120"/><w:jc w:val="center"/></w:pPr>'
        f'<w:r><w:rPr>{_RFONTS}{style}<w:sz w:val="{BODY_PT * 2}"/></w:rPr>'
        f'<w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r></w:p>'
    )


def _with_parts(docx: bytes, parts: dict[str, str]) -> bytes:
    """The saved package with each marker paragraph of word/document.xml replaced by its
    part's markup."""
    source, out = zipfile.ZipFile(io.BytesIO(docx)), io.BytesIO()
    # Level 1: a district's document.xml is tens of MB of repetitive markup; level 6 took a
    # fifth of the drafting time for a file a few per cent smaller.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                for marker_text, markup in parts.items():
                    marker = xml.index(marker_text)
                    start, end = xml.rindex("<w:p>", 0, marker), xml.index("</w:p>", marker) + 6
                    xml = xml[:start] + markup + xml[end:]
                data = xml.encode("utf-8")
            target.writestr(item, data, zipfile.ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()


def _paragraph_xml(text: str, *, bold: bool = False, italic: bool = False) -> str:
    """Justified, first line indented 10 mm, 6 pt after (and before a heading), line 1.15."""
    before = ' w:before="120"' if bold else ""
    style = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return (
        f'<w:p><w:pPr><w:spacing{before} w:after="120" w:line="276" w:lineRule="auto"/>'
        f'<w:ind w:firstLine="{round(10 * TWIPS_PER_MM)}"/><w:jc w:val="both"/></w:pPr>'
        f'<w:r><w:rPr>{_RFONTS}{style}<w:sz w:val="{BODY_PT * 2}"/></w:rPr>'
        f'<w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r></w:p>'
    )


def _table_xml(block: Table) -> str:
    """A bordered table with a repeated header row."""
    widths = [round(w * TWIPS_PER_MM) for w in block.widths_mm]
    rows = [_row_xml(block.columns, widths, header=True)]
    rows += [_row_xml(row, widths, header=False) for row in block.rows]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        '<w:tbl><w:tblPr><w:jc w:val="center"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        + "".join(rows)
        + "</w:tbl>"
    )


def _row_xml(cells: tuple[str, ...], widths: list[int], *, header: bool) -> str:
    start = "<w:tr><w:trPr><w:tblHeader/></w:trPr>" if header else "<w:tr>"
    return (
        start
        + "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f"{_cell_paragraphs(text, header)}</w:tc>"
            for text, width in zip(cells, widths, strict=True)
        )
        + "</w:tr>"
    )


def _cell_paragraphs(text: str, header: bool) -> str:
    """One paragraph per line, in a table style: headings bold and centred, short values
    (figures, dates) centred, prose left-aligned. The look is in the styles (written once, and
    editable in Word), so each of a district's 100,000 cells carries only its text."""
    style = TABLE_HEADING if header else TABLE_FIGURE if _is_figure(text) else TABLE_TEXT
    start = _CELL_START[style.style_id]
    if "\n" not in text:
        return start + _xml_text(text) + _CELL_END
    return "".join(start + _xml_text(line) + _CELL_END for line in text.split("\n"))


_CELL_END = "</w:t></w:r></w:p>"


def _is_figure(text: str) -> bool:
    """A short value to centre: a number, date, share or mark ("12", "01/10/2024", "62,5%");
    a short name ("Phòng Y tế") stays left-aligned with the other names."""
    return len(text) <= 12 and (len(text) <= 3 or any(c.isdigit() for c in text))


# What XML text cannot hold as is: markup characters, and the control characters XML 1.0 cannot
# carry at all (a pasted report may), tab excepted; line breaks are split into paragraphs before
# text gets here. Most cells hold none, and one search says so.
_NOT_PLAIN = re.compile("[&<>\x00-\x08\x0a-\x1f]")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f]")


def _xml_text(text: str) -> str:
    """Escaped, without the control characters XML 1.0 cannot carry."""
    if not _NOT_PLAIN.search(text):
        return text
    text = _CONTROL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class _TableStyle:
    style_id: str
    name: str
    bold: bool
    align: WD_ALIGN_PARAGRAPH


TABLE_HEADING = _TableStyle(
    "MinhBachTableHeading", "Bảng - tiêu đề cột", True, WD_ALIGN_PARAGRAPH.CENTER
)
TABLE_FIGURE = _TableStyle(
    "MinhBachTableFigure", "Bảng - số liệu", False, WD_ALIGN_PARAGRAPH.CENTER
)
TABLE_TEXT = _TableStyle("MinhBachTableText", "Bảng - nội dung", False, WD_ALIGN_PARAGRAPH.LEFT)


_CELL_START = {
    style.style_id: f'<w:p><w:pPr><w:pStyle w:val="{style.style_id}"/></w:pPr><w:r>'
    '<w:t xml:space="preserve">'
    for style in (TABLE_HEADING, TABLE_FIGURE, TABLE_TEXT)
}


def _table_styles(document: Document) -> None:
    """The paragraph styles of table cells: Times New Roman (from Normal), 12 pt, no spacing."""
    for table_style in (TABLE_HEADING, TABLE_FIGURE, TABLE_TEXT):
        style = document.styles.add_style(table_style.name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = table_style.style_id
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(TABLE_PT)  # type: ignore[attr-defined]
        style.font.bold = table_style.bold  # type: ignore[attr-defined]
        fmt = style.paragraph_format  # type: ignore[attr-defined]
        fmt.alignment = table_style.align
        fmt.space_after = Pt(0)


def _closing(document: Document, doc: OfficialDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    recipients, signature = table.rows[0].cells
    for column, width in zip(table.columns, (Mm(85), Mm(80)), strict=True):
        column.width = width
    recipients.width, signature.width = Mm(85), Mm(80)
    label = recipients.paragraphs[0]
    label.paragraph_format.space_after = Pt(0)
    _font(label.add_run(msg.RECIPIENTS_LABEL), 12, bold=True, italic=True)
    for line in doc.recipients:
        paragraph = recipients.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _font(paragraph.add_run(f"- {line}"), 11)
    sign = doc.signature
    lines = [line for line in (sign.authority, sign.title) if line]
    for number, line in enumerate(lines):
        _cell_line(signature, line.upper(), BODY_PT, bold=True, first=number == 0)
    for _ in range(4):  # room for the signature and the seal
        signature.add_paragraph()
    if sign.name:
        _cell_line(signature, sign.name, BODY_PT, bold=True)


def _font(run: Run, size: int, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
