"""The .docx adapter on what Word really saves: tracked changes, content controls, a table
inside a layout table."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls

from minhbach.plan_import.docx_reader import read_docx
from minhbach.plan_import.model import Table


def test_tracked_changes_content_controls_and_nested_tables() -> None:
    document = Document()
    document.add_paragraph("KẾ HOẠCH")
    edited = document.add_paragraph("Trước ")
    edited._p.append(
        parse_xml(  # a tracked insertion and a tracked deletion
            f'<w:ins {nsdecls("w")} w:id="1" w:author="VT"><w:r><w:t>30/11/2026</w:t></w:r></w:ins>'
        )
    )
    edited._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="VT"><w:r><w:delText>15/11/2026</w:delText>'
            "</w:r></w:del>"
        )
    )
    layout = document.add_table(rows=1, cols=1)
    inner = layout.cell(0, 0).add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "STT", "Nhiệm vụ"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "1", "Đăng tải"
    wrapped = document.add_paragraph("trong một content control")
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    wrapped._p.addprevious(sdt)
    sdt.append(content)
    content.append(wrapped._p)
    out = io.BytesIO()
    document.save(out)

    source = read_docx(out.getvalue(), "kh.docx")
    texts = [b for b in source.blocks if isinstance(b, str)]
    assert "Trước 30/11/2026" in texts  # inserted text counts, deleted text does not
    assert "trong một content control" in texts
    tables = [b for b in source.blocks if isinstance(b, Table)]
    assert [t.number for t in tables] == [1, 2]
    assert [c.text for c in tables[1].rows[1]] == ["1", "Đăng tải"]
