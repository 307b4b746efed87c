"""What the importer reads and what it makes of it: plain frozen dataclasses, no I/O.

The adapters (`docx_reader`, `xlsx`) turn files into `SourceDocument` and `UnitRow`s; the pure
readers (`metadata`, `appendix`, `duties`) turn those into a `PlanDraft`; `schema` alone turns a
draft into the plan file. A value the importer guessed or could not find carries a `Note`, which
becomes a "KIỂM TRA: ..." comment in the file and a line of the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

# --- what the adapters hand over ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """One grid position of a table. A merged cell is given once with its text; the positions it
    also covers say so (`continues_above`: a vertical merge; `continues_left`: a horizontal one)."""

    text: str
    continues_above: bool = False
    continues_left: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    number: int  # 1 = the document's first table
    rows: tuple[tuple[Cell, ...], ...]

    def lines(self) -> tuple[str, ...]:
        """The text of every cell once, row by row (for tables that are not the appendix: the
        header and signature blocks are often laid out as tables)."""
        out: list[str] = []
        for row in self.rows:
            for cell in row:
                if not cell.continues_above and not cell.continues_left:
                    out.extend(line for line in cell.text.splitlines() if line.strip())
        return tuple(out)


Block = str | Table  # a paragraph's text, or a table


@dataclass(frozen=True, slots=True)
class SourceDocument:
    name: str  # the file's name, for messages
    blocks: tuple[Block, ...]

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Table))


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One row of the unit directory, as typed (cleaned of spaces), with its row number."""

    row: int
    code: str
    name: str
    kind: str
    email: str
    portal: str
    parent: str
    person: str = ""
    aliases: tuple[str, ...] = ()


# --- what the readers make of it ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Note:
    """Something a person must check: `about` names the value (("task", "3.1", "lead"))."""

    about: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class TargetDraft:
    value: float
    unit: Literal["points", "percent"]
    comparison: Literal[">=", "<="]
    text: str


@dataclass(frozen=True, slots=True)
class Reference:
    number: str
    date: date
    issuer: str
    title: str


@dataclass(frozen=True, slots=True)
class MetaDraft:
    title: str | None = None
    issuer: str | None = None  # "UBND tỉnh Hưng Nam"
    level_word: str | None = None  # "tỉnh", as the document writes it
    locality: str | None = None  # "Lục Nam"
    province: str | None = None
    place: str | None = None  # "Lục Nam, ngày ..."
    number: str | None = None
    symbol: str | None = None
    issued_on: date | None = None
    issued_month: int | None = None
    issued_year: int | None = (
        None  # the year of the date line (a plan may be signed before its year)
    )
    year: int | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    references: tuple[Reference, ...] = ()
    overall_target: TargetDraft | None = None
    focal_unit_name: str | None = None


@dataclass(frozen=True, slots=True)
class TimingDraft:
    kind: Literal["ongoing", "after_issue", "on_change", "fixed_deadline"]
    text: str
    deadline: date | None = None
    within_working_days: int | None = None  # "trong vòng 05 ngày làm việc"


@dataclass(frozen=True, slots=True)
class UnitRef:
    """A name in a lead or supporting cell: a group phrase (`group` set) or one unit's name."""

    text: str
    group: str | None = None


@dataclass(frozen=True, slots=True)
class TaskDraft:
    code: str
    indicator: int
    text: str
    lead: tuple[UnitRef, ...]
    supporting: tuple[UnitRef, ...]
    supporting_role: str | None
    timing: TimingDraft
    merged_cells_from: str | None
    row: int  # the table row it starts on (1 = the header)
    table: int | None = None  # the table, when the appendix goes on in several


@dataclass(frozen=True, slots=True)
class IndicatorDraft:
    number: int
    title: str
    target: TargetDraft | None
    tasks: tuple[str, ...]
    row: int


@dataclass(frozen=True, slots=True)
class DutyDraft:
    """A reporting duty of "Tổ chức thực hiện": who reports to whom, per period, before when."""

    reporter: Literal["lead_units", "focal_unit"]
    period: Literal["quarter", "half_year", "nine_months", "year"]
    due_before_day: int
    due_before_month: int | None  # a yearly duty's fixed month
    recipient: str  # the words naming the recipient ("đơn vị đầu mối", "Chủ tịch UBND tỉnh")
    text: str
    # A periodic duty's month: "next" (the month after the period), "first", "last" or the
    # month's number in the period (decision 0017).
    due_month: str | int = "next"
    fold_last_into_year: bool = False  # Q4 (H2) is covered by the annual report
    data_cutoff_day: int | None = None  # figures up to this day of the period's last month


@dataclass(frozen=True, slots=True)
class PlanDraft:
    meta: MetaDraft
    indicators: tuple[IndicatorDraft, ...]
    tasks: tuple[TaskDraft, ...]
    duties: tuple[DutyDraft, ...]
    notes: tuple[Note, ...] = field(default=())
    corrections: tuple[str, ...] = field(default=())  # typos corrected, for the summary
