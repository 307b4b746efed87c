"""Adapter: a .docx (python-docx) -> `SourceDocument`: the body's paragraphs and tables in
order, each table as a grid whose merged positions say so (w:gridSpan, w:vMerge)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from minhbach.plan_import import messages
from minhbach.plan_import.errors import ImportFailure
from minhbach.plan_import.model import Block, Cell, SourceDocument, Table


def read_docx(data: bytes, name: str) -> SourceDocument:
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFailure(messages.not_a_docx(name)) from error
    except Exception as error:  # lxml's parse errors of a damaged part
        raise ImportFailure(messages.not_a_docx(name)) from error
    blocks: list[Block] = []
    tables = 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            blocks.append(Paragraph(element, document).text)
        elif element.tag == qn("w:tbl"):
            tables += 1
            blocks.append(_table(element, document, tables))
    return SourceDocument(name=name, blocks=tuple(blocks))


def _table(table: Any, parent: Any, number: int) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for tr in table.iterchildren(qn("w:tr")):
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
            text = "\n".join(Paragraph(p, parent).text for p in tc.iterchildren(qn("w:p")))
            below = merge == "continue"
            row.append(Cell("" if below else text, continues_above=below))
            row.extend(
                Cell("", continues_above=below, continues_left=True) for _ in range(span - 1)
            )
        rows.append(tuple(row))
    return Table(number=number, rows=tuple(rows))
