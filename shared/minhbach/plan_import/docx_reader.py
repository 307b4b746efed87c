"""Adapter: a .docx (python-docx) -> `SourceDocument`: the body's paragraphs and tables in
order, each table as a grid whose merged positions say so (w:gridSpan, w:vMerge).

Text is read from every w:t under a paragraph, so runs inside tracked insertions, hyperlinks,
fields and content controls count; deleted text (w:delText) does not. Content controls around
paragraphs or tables (w:sdt) are looked into; a table inside a table cell becomes a table too.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from minhbach.plan_import import messages
from minhbach.plan_import.errors import ImportFailure
from minhbach.plan_import.model import Block, Cell, SourceDocument, Table

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")


def read_docx(data: bytes, name: str) -> SourceDocument:
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFailure(messages.not_a_docx(name)) from error
    except Exception as error:  # lxml's parse errors of a damaged part
        raise ImportFailure(messages.not_a_docx(name)) from error
    blocks: list[Block] = []
    _blocks(document.element.body, blocks)
    return SourceDocument(name=name, blocks=tuple(blocks))


def _blocks(container: Any, blocks: list[Block]) -> None:
    for element in container.iterchildren():
        if element.tag == _P:
            blocks.append(paragraph_text(element))
        elif element.tag == _TBL:
            _blocks_of_table(element, blocks)
        elif element.tag == _SDT:
            for content in element.iterchildren(_SDT_CONTENT):
                _blocks(content, blocks)


def _blocks_of_table(element: Any, blocks: list[Block]) -> None:
    nested: list[Any] = []
    number = sum(isinstance(b, Table) for b in blocks) + 1
    blocks.append(_table(element, number, nested))
    for table in nested:
        _blocks_of_table(table, blocks)


def paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    for node in paragraph.iter(_T, _TAB, _BR, _CR):
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_paragraphs(tc: Any) -> list[Any]:
    """The cell's own paragraphs (also inside content controls), not those of nested tables."""
    out: list[Any] = []
    for child in tc.iterchildren():
        if child.tag == _P:
            out.append(child)
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                out.extend(_cell_paragraphs(content))
    return out


def _rows(table: Any) -> list[Any]:
    rows = list(table.iterchildren(qn("w:tr")))
    for sdt in table.iterchildren(_SDT):  # rows wrapped in a content control
        for content in sdt.iterchildren(_SDT_CONTENT):
            rows.extend(content.iterchildren(qn("w:tr")))
    return rows


def _table(table: Any, number: int, nested: list[Any]) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for tr in _rows(table):
        row: list[Cell] = []
        for tc in tr.iterchildren(qn("w:tc")):
            properties = tc.find(qn("w:tcPr"))
            span, merge = 1, None
            if properties is not None:
                grid_span = properties.find(qn("w:gridSpan"))
                if grid_span is not None:
                    span = int(grid_span.get(qn("w:val"), "1"))
                v_merge = properties.find(qn("w:vMerge"))
                if v_merge is not None:
                    merge = v_merge.get(qn("w:val"), "continue")
            nested.extend(tc.iterchildren(_TBL))
            text = "\n".join(paragraph_text(p) for p in _cell_paragraphs(tc))
            below = merge == "continue"
            row.append(Cell("" if below else text, continues_above=below))
            row.extend(
                Cell("", continues_above=below, continues_left=True) for _ in range(span - 1)
            )
        rows.append(tuple(row))
    return Table(number=number, rows=tuple(rows))
