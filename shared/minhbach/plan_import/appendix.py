"""The appendix table ("Phụ lục"): indicators, targets, tasks, lead and supporting units, timing.

Pure: a `Table` from an adapter in, indicators and tasks out. Columns are found by their
header's words, in any order; merged cells (a vertical merge, or an empty cell under a task)
share the cell above, and say so (`merged_cells_from`); a row split by a page break (no code, no
unit) continues the row above; several coded tasks in one cell become several tasks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from minhbach.plan_import import messages
from minhbach.plan_import.appendix_table import TITLES, locate
from minhbach.plan_import.cells import (
    number_of,
    read_target,
    read_timing,
    read_units,
    split_role,
    split_target,
    split_tasks,
    task_code_of,
)
from minhbach.plan_import.errors import ImportFailure
from minhbach.plan_import.model import (
    Block,
    Cell,
    IndicatorDraft,
    Note,
    TaskDraft,
    TimingDraft,
    UnitRef,
)
from minhbach.plan_import.text import clean, correct_typos, fold


@dataclass
class Appendix:
    """What the table gives: indicators and tasks in order, notes, typos corrected, and the
    header as written (for messages)."""

    table: int
    header: dict[str, str]
    tables: list[int] = field(default_factory=list)  # more than one: split by Word
    indicators: list[IndicatorDraft] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)


@dataclass
class _Shared:
    """The lead/supporting/timing values a merged cell passes down, and the task it came from."""

    lead: tuple[UnitRef, ...]
    supporting: tuple[UnitRef, ...]
    role: str | None
    timing: TimingDraft
    source: str


def read_appendix(
    blocks: Sequence[Block], source: str, groups: Mapping[str, str], year: int | None
) -> Appendix:
    tables, header_index, columns = locate(blocks, source)
    table = tables[0]
    header = table.rows[header_index]
    out = Appendix(table.number, {role: clean(header[i].text) for role, i in columns.items()})
    out.tables = [t.number for t in tables]
    state = _Walk(out, columns, groups, year, source)
    for number, row in enumerate(table.rows[header_index + 1 :], start=header_index + 2):
        state.row(number, row)
    for more in tables[1:]:
        state.table = more.number
        for number, row in enumerate(more.rows, start=1):
            state.row(number, row)
    if not out.tasks:
        raise ImportFailure(messages.no_tasks(source, table.number))
    out.indicators = [
        IndicatorDraft(i.number, i.title, i.target, tuple(state.tasks_of[i.number]), i.row)
        for i in out.indicators
    ]
    return out


class _Walk:
    """The table read row by row, remembering the current indicator and the merged values."""

    def __init__(
        self,
        out: Appendix,
        columns: dict[str, int],
        groups: Mapping[str, str],
        year: int | None,
        source: str,
    ) -> None:
        self.out, self.columns, self.groups, self.year = out, columns, groups, year
        self.source = source
        self.table: int | None = None  # set when the appendix goes on in another table
        self.indicator: int | None = None
        self.shared: _Shared | None = None
        self.tasks_of: dict[int, list[str]] = {}

    def cell(self, row: Sequence[Cell], role: str) -> Cell | None:
        index = self.columns.get(role)
        if index is None or index >= len(row):
            return None
        cell = row[index]
        if cell.continues_left:
            return Cell("", continues_above=cell.continues_above, continues_left=True)
        raw = cell.text
        if role in ("lead", "supporting"):  # one unit per line is a list, not one long name
            raw = "; ".join(line for line in raw.splitlines() if line.strip())
        text, notes = correct_typos(clean(raw))
        self.out.corrections.extend(notes)
        return Cell(text, cell.continues_above)

    def text(self, row: Sequence[Cell], role: str) -> str:
        cell = self.cell(row, role)
        return "" if cell is None or cell.continues_above else cell.text

    def row(self, number: int, row: Sequence[Cell]) -> None:
        stt, task_text = self.text(row, "stt"), self.text(row, "task")
        title = self.text(row, "indicator")
        lead_cell = self.cell(row, "lead")
        lead_text = "" if lead_cell is None or lead_cell.continues_above else lead_cell.text
        if _is_numbering_row([c.text for c in row]) or fold(task_text) == fold(
            self.out.header.get("task", "")
        ):
            return  # the "(1) (2) (3)" row under a header, or the header repeated on a page
        code_in_stt = task_code_of(stt)
        parsed = number_of(stt) if code_in_stt is None else int(code_in_stt.split(".")[0])
        if title and self.repeats_indicator(parsed, title):
            pass  # each row repeats its indicator instead of merging the cells
        elif title and (parsed is not None or not self.out.indicators):
            self.new_indicator(number, parsed, title, self.text(row, "target"))
        elif title and self.out.indicators and not stt:
            self.continue_indicator(title)  # a title split by a page break
        if not task_text:
            if not title and stt and lead_text == "" and self.text(row, "indicator") == "":
                self.section_row(number, stt)
            elif lead_text and self.indicator is not None:  # units named, but no task
                self.note(
                    ("indicator", str(self.indicator)),
                    messages.row_without_task(messages.place_in_table(self.table, number)),
                )
            return
        pieces = split_tasks(task_text)
        starts_coded = pieces[0][0] is not None or code_in_stt is not None
        if not starts_coded and not stt and not lead_text and self.out.tasks:
            self.continue_task(task_text)  # the rest of the task above, after a page break
            return
        if "indicator" not in self.columns and not lead_text and not starts_coded:
            self.section_row(number, f"{stt} {task_text}".strip())
            return
        self.add_tasks(number, row, pieces, code_in_stt)

    def repeats_indicator(self, parsed: int | None, title: str) -> bool:
        if not self.out.indicators:
            return False
        last = self.out.indicators[-1]
        same_title = fold(split_target(title)[0]) == fold(last.title)
        return same_title and parsed in (None, last.number)

    def section_row(self, number: int, text: str) -> None:
        """A row that only names an indicator ("1. Tiếp cận ..."), in a table with no
        "Chỉ tiêu" column."""
        words = text.split(maxsplit=1)
        parsed = number_of(words[0]) if words else None
        title = words[1] if parsed is not None and len(words) > 1 else text
        self.new_indicator(number, parsed, title, "")

    def new_indicator(self, row: int, parsed: int | None, title: str, target_text: str) -> None:
        known = [i.number for i in self.out.indicators]
        number = parsed if parsed is not None and parsed not in known else max(known, default=0) + 1
        if parsed is None:
            self.note(("indicator", str(number)), messages.indicator_numbered(number))
        elif parsed != number:
            self.note(("indicator", str(number)), messages.indicator_renumbered(parsed, number))
        title, target, note = split_target(title)
        if target is None and target_text:
            target, note = read_target(target_text)
        if note:
            self.note(("indicator", str(number), "target"), note)
        if target is None:
            self.note(("indicator", str(number), "target"), messages.TARGET_NO_TARGET)
        self.out.indicators.append(IndicatorDraft(number, title, target, (), row))
        self.tasks_of[number] = []
        self.indicator = number

    def continue_indicator(self, more: str) -> None:
        last = self.out.indicators[-1]
        title, target, _ = split_target(f"{last.title} {more}")
        self.out.indicators[-1] = IndicatorDraft(
            last.number, title, last.target or target, last.tasks, last.row
        )

    def continue_task(self, more: str) -> None:
        last = self.out.tasks[-1]
        self.out.tasks[-1] = _replace_text(last, f"{last.text} {more}")

    def add_tasks(
        self,
        number: int,
        row: Sequence[Cell],
        pieces: list[tuple[str | None, str]],
        code_in_stt: str | None,
    ) -> None:
        if self.indicator is None:
            first = pieces[0][0] or code_in_stt
            major = int(first.split(".")[0]) if first else 1
            self.new_indicator(number, major, messages.indicator_placeholder(major), "")
        assert self.indicator is not None
        codes: list[str] = []
        for index, (code, _) in enumerate(pieces):
            code = code or (code_in_stt if index == 0 else None)
            if code is None or int(code.split(".")[0]) != self.indicator:
                guessed = f"{self.indicator}.{len(self.tasks_of[self.indicator]) + 1 + index}"
                self.note(("task", guessed), messages.task_numbered(code, guessed))
                code = guessed
            taken = {t.code for t in self.out.tasks} | set(codes)
            if code in taken:  # the same code twice: a typo in the table
                free = next(
                    f"{self.indicator}.{n}"
                    for n in range(1, 100)
                    if f"{self.indicator}.{n}" not in taken
                )
                self.note(("task", free), messages.task_code_repeated(code, free))
                code = free
            codes.append(code)
        shared = self.shared_values(number, row, codes[0])
        for code, (_, text) in zip(codes, pieces, strict=True):
            merged = shared.source if shared.source != code else None
            task = TaskDraft(
                code=code,
                indicator=self.indicator,
                text=text,
                lead=shared.lead,
                supporting=shared.supporting,
                supporting_role=shared.role,
                timing=shared.timing,
                merged_cells_from=merged,
                row=number,
                table=self.table,
            )
            if code == codes[0] and shared.source == "?":
                shared.source = code
                task = _replace_merged(task, None)
            self.out.tasks.append(task)
            self.tasks_of[self.indicator].append(code)

    def shared_values(self, number: int, row: Sequence[Cell], code: str) -> _Shared:
        """This row's lead/supporting/timing, or those of the cell above where merged."""
        lead_cell = self.cell(row, "lead")
        merged = lead_cell is None or lead_cell.continues_above or not lead_cell.text
        if merged and self.shared is not None and self.shared.source != "?":
            if lead_cell is not None and not lead_cell.continues_above:
                self.note(
                    ("task", code, "lead"),
                    messages.lead_empty_shared(number, self.shared.source),
                )
            own_supporting = self.text(row, "supporting")
            own_timing = self.text(row, "timing")
            if own_supporting or own_timing:  # only the lead is merged: a task of its own
                names, role = split_role(own_supporting)
                timing, timing_note = read_timing(own_timing, self.year)
                if timing_note and own_timing:
                    self.note(("task", code, "timing"), timing_note)
                self.shared = _Shared(
                    lead=self.shared.lead,
                    supporting=(
                        read_units(names, self.groups) if own_supporting else self.shared.supporting
                    ),
                    role=role if own_supporting else self.shared.role,
                    timing=timing if own_timing else self.shared.timing,
                    source="?",
                )
            return self.shared
        if merged:
            column = self.out.header.get("lead", TITLES["lead"])
            raise ImportFailure(
                messages.empty_lead(
                    self.source, messages.place_in_table(self.table, number), column, code
                )
            )
        assert lead_cell is not None
        lead_names, lead_role = split_role(lead_cell.text)
        supporting_names, role = split_role(self.text(row, "supporting"))
        timing, timing_note = read_timing(self.text(row, "timing"), self.year)
        self.shared = _Shared(
            lead=read_units(lead_names, self.groups),
            supporting=read_units(supporting_names, self.groups),
            role=role,
            timing=timing,
            source="?",
        )
        if lead_role:
            self.note(("task", code, "lead"), messages.lead_role_dropped(lead_role))
        if timing_note:
            self.note(("task", code, "timing"), timing_note)
        return self.shared

    def note(self, about: tuple[str, ...], text: str) -> None:
        self.out.notes.append(Note(about, text))


def _is_numbering_row(texts: Sequence[str]) -> bool:
    words = [t.strip().strip("()") for t in texts if t.strip()]
    return bool(words) and all(w.isdigit() for w in words) and len(words) >= 3


def _replace_text(task: TaskDraft, text: str) -> TaskDraft:
    return replace(task, text=text)


def _replace_merged(task: TaskDraft, merged: str | None) -> TaskDraft:
    return replace(task, merged_cells_from=merged)


__all__ = ["Appendix", "read_appendix"]
