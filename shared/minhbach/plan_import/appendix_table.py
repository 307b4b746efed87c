"""Where the appendix table is in a document: the first table whose header names the columns it
needs, after the last "Phụ lục" heading, with the tables Word split from it; its columns found
by their header's words, in any order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from minhbach.plan_import import messages
from minhbach.plan_import.errors import ImportFailure
from minhbach.plan_import.model import Block, Cell, Table
from minhbach.plan_import.text import clean, fold

# Each column's role and the folded words its header contains; the first role a header matches
# wins, so the more specific come first ("Thời gian thực hiện" is the timing, "Đơn vị thực
# hiện" the lead, "Đơn vị phối hợp thực hiện" the supporting units).
COLUMNS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("supporting", ("phoi hop",)),
    ("timing", ("thoi gian", "thoi han", "tien do", "han hoan thanh", "moc hoan thanh")),
    ("lead", ("chu tri", "don vi thuc hien", "co quan thuc hien", "co quan don vi thuc hien")),
    ("target", ("muc tieu", "phan dau")),
    ("indicator", ("chi tieu", "chi so")),
    ("task", ("nhiem vu", "giai phap", "noi dung")),
    ("stt", ("stt", "so thu tu")),
)
TITLES: Final[Mapping[str, str]] = {
    "stt": "STT",
    "indicator": "Chỉ tiêu",
    "target": "Mục tiêu",
    "task": "Nhiệm vụ, giải pháp",
    "lead": "Cơ quan chủ trì",
    "supporting": "Cơ quan phối hợp",
    "timing": "Thời gian thực hiện",
}
REQUIRED: Final = ("task", "lead")


def find_columns(row: Sequence[Cell]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        if cell.continues_left:
            continue
        words = fold(cell.text)
        for role, keys in COLUMNS:
            if role in columns:
                continue
            exact_stt = role == "stt" and words in ("tt", "stt")
            if exact_stt or any(key in words for key in keys):
                columns[role] = index
                break
    return columns


def locate(blocks: Sequence[Block], source: str) -> tuple[list[Table], int, dict[str, int]]:
    """The appendix: its table(s), the header row and the columns; a clear error if there is
    none or a column it needs is missing. The first table with the columns after the last
    "Phụ lục" heading (else in the document) starts it; each table after it of the same width
    continues it (a table Word split at a page or section break, header repeated or not)."""
    tables = [block for block in blocks if isinstance(block, Table)]
    headings = [i for i, b in enumerate(blocks) if isinstance(b, str) and _is_appendix_title(b)]
    after = headings[-1] if headings else -1
    ordered = [b for b in blocks[after + 1 :] if isinstance(b, Table)] + [
        b for b in blocks[: after + 1] if isinstance(b, Table)
    ]
    partial: tuple[Table, int, dict[str, int]] | None = None
    for table in ordered:
        for index, row in enumerate(table.rows[:3]):
            columns = find_columns(row)
            if all(role in columns for role in REQUIRED):
                return [table, *_continued(blocks, table)], index, columns
            roles = set(columns)
            if len(roles) >= 2 and roles & {"task", "indicator", "lead"} and partial is None:
                partial = (table, index, columns)
    if partial is not None:
        table, index, columns = partial
        missing = [TITLES[role] for role in REQUIRED if role not in columns]
        header = [clean(cell.text) for cell in table.rows[index] if not cell.continues_left]
        raise ImportFailure(messages.missing_columns(source, table.number, missing, header))
    raise ImportFailure(messages.no_appendix(source, len(tables)))


def _continued(blocks: Sequence[Block], first: Table) -> list[Table]:
    """The tables after `first` that go on with it: same width, no new "Phụ lục" between."""
    out: list[Table] = []
    start = next(i for i, block in enumerate(blocks) if block is first)
    for block in blocks[start + 1 :]:
        if isinstance(block, str):
            if _is_appendix_title(block):
                break
            continue
        if _width(block) != _width(first):
            break
        out.append(block)
    return out


def _is_appendix_title(text: str) -> bool:
    return fold(text).startswith("phu luc")


def _width(table: Table) -> int:
    return max((len(row) for row in table.rows), default=0)
