"""An administrative document in the layout of Decree 30/2020/NĐ-CP (Phụ lục I), as data.

The header, number, place-and-date line, title, summary line, "Nơi nhận" and signature block
are fields; the body is a list of blocks; the appendix ("Phụ lục", after the signature, on
landscape pages) a list of titled tables, which the .xlsx carries too (one sheet each). The
.docx, HTML and .xlsx renderers read only this.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Heading:
    text: str  # "I. ...", "1. ..."


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[float, ...]  # one per column; they add up to the text width


Block = Heading | Paragraph | Table


@dataclass(frozen=True, slots=True)
class AppendixTable:
    title: str  # "Phụ lục 1. Tình hình gửi báo cáo ..."
    sheet: str  # the spreadsheet's sheet name (at most 31 characters, no []:*?/\\)
    table: Table  # widths for a landscape page


@dataclass(frozen=True, slots=True)
class Appendix:
    heading: str  # "PHỤ LỤC"
    subtitle: str  # "(Kèm theo Báo cáo ...)"
    tables: tuple[AppendixTable, ...]


@dataclass(frozen=True, slots=True)
class Signature:
    authority: str | None  # "KT. CHỦ TỊCH"
    title: str  # "PHÓ CHỦ TỊCH"
    name: str | None


@dataclass(frozen=True, slots=True)
class OfficialDocument:
    superior_body: str  # the plan's drafting.superior_body, upper-cased
    issuing_body: str  # "PHÒNG VĂN HÓA VÀ THÔNG TIN"
    number_line: str  # "Số:      /BC-VHTT"
    place_date: str  # "Lục Nam, ngày 09 tháng 10 năm 2024"
    title: str  # "BÁO CÁO"
    summary: str  # the trích yếu
    blocks: tuple[Block, ...]
    recipients: tuple[str, ...]
    signature: Signature
    appendix: Appendix | None = None
