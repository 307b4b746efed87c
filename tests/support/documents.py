"""Reading a drafted .docx back with python-docx: the page Decree 30/2020/NĐ-CP asks for (A4,
margins in its ranges, Times New Roman) and every paragraph, in the body and in its tables."""

from __future__ import annotations

from typing import Any

from docx.document import Document
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from docx.text.run import Run


def all_paragraphs(doc: Document) -> list[Paragraph]:
    found = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                found += cell.paragraphs
    return found


def _within(value: int | None, low: float, high: float) -> bool:
    """`value` (stored in twips) lies in [low, high] millimetres."""
    return value is not None and Mm(low - 0.1) <= value <= Mm(high + 0.1)


def check_decree30_page(doc: Document) -> None:
    """A4; top and bottom margins 20-25 mm, left 30-35, right 15-20; Times New Roman throughout."""
    section = doc.sections[0]
    assert _within(section.page_width, 210, 210) and _within(section.page_height, 297, 297)
    assert _within(section.top_margin, 20, 25) and _within(section.bottom_margin, 20, 25)
    assert _within(section.left_margin, 30, 35) and _within(section.right_margin, 15, 20)
    assert doc.styles["Normal"].font.name == "Times New Roman"  # type: ignore[attr-defined]
    runs = [(p, r) for p in all_paragraphs(doc) for r in p.runs if r.text.strip()]
    assert runs and {shown(p, r, "name") for p, r in runs} == {"Times New Roman"}


def shown(paragraph: Paragraph, run: Run, attribute: str) -> Any:
    """A run's font property as Word shows it: the run's own, else its paragraph style's, up
    the styles it is based on (table cells take theirs from the table styles)."""
    value, style = getattr(run.font, attribute), paragraph.style
    while value is None and style is not None:
        value, style = getattr(style.font, attribute), style.base_style
    return value
