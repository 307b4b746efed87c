"""The unit directory (.xlsx rows): read, checked and made into the plan's units.

Pure: `UnitRow`s from the spreadsheet adapter in, a `Directory` out, or one `ImportFailure`
that lists every wrong cell by row and column. The columns are this command's own form (the
template `minhbach units template` writes); what a kind or an address must look like in the
plan file is asked of `schema`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from minhbach.plan_import import messages, schema
from minhbach.plan_import.errors import ImportFailure
from minhbach.plan_import.model import Note, UnitRow
from minhbach.plan_import.text import clean, fold, slug

# (field, the column's title in the template, folded words a header may use), most specific first.
COLUMNS: Final[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
    ("aliases", "Tên khác", ("ten khac", "ten goi khac", "ten trong ke hoach")),
    ("parent", "Đơn vị cấp trên", ("cap tren", "truc thuoc", "don vi chu quan")),
    ("person", "Người phụ trách", ("nguoi phu trach", "ho ten", "nguoi dung dau")),
    ("code", "Mã", ("ma don vi", "ma")),
    ("name", "Tên đơn vị", ("ten don vi", "ten co quan", "ten")),
    ("kind", "Loại", ("loai", "cap")),
    ("email", "Thư điện tử", ("thu dien tu", "email", "e-mail", "e mail", "hop thu")),
    ("portal", "Cổng TTĐT", ("cong ttdt", "cong thong tin", "trang thong tin", "website")),
)
REQUIRED: Final = ("name", "kind", "email")
MAX_PROBLEMS: Final = 20  # a wrong column makes every row wrong: show the first ones
TITLE: Final[Mapping[str, str]] = {field: title for field, title, _ in COLUMNS}


@dataclass(frozen=True, slots=True)
class DirectoryUnit:
    code: str
    name: str
    kind: str  # the plan schema's kind
    email: str
    portal: str | None
    parent: str | None
    person: str | None
    aliases: tuple[str, ...]
    row: int


@dataclass(frozen=True, slots=True)
class Directory:
    source: str
    units: tuple[DirectoryUnit, ...]
    notes: tuple[Note, ...] = ()


def header_columns(header: Sequence[str]) -> dict[str, int]:
    """Which spreadsheet column holds each field (by the header's words)."""
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        words = fold(title)
        if not words:
            continue
        for field, _, keys in COLUMNS:
            if field in columns:
                continue
            if any(words == key or words.startswith(key + " ") for key in keys) or (
                len(keys[0]) > 4 and keys[0] in words
            ):
                columns[field] = index
                break
    return columns


def check_header(source: str, header: Sequence[str]) -> dict[str, int]:
    columns = header_columns(header)
    missing = [f"“{TITLE[field]}”" for field in REQUIRED if field not in columns]
    if missing:
        raise ImportFailure(messages.units_missing_columns(source, missing))
    return columns


def build_directory(source: str, rows: Sequence[UnitRow]) -> Directory:
    """Every row checked; all problems reported together, naming row and column."""
    if not rows:
        raise ImportFailure(messages.no_units(source))
    problems: list[str] = []
    notes: list[Note] = []
    first_row: dict[str, int] = {}
    units: list[DirectoryUnit] = []

    def problem(row: int, field: str, text: str) -> None:
        problems.append(messages.units_cell(source, row, TITLE[field], text))

    for row in rows:
        name = clean(row.name)
        if not name:
            problem(row.row, "name", messages.required(TITLE["name"]))
            continue
        code = clean(row.code).lower()
        if not code:
            code = _free_code(slug(schema.short_name(name)), first_row)
            notes.append(Note(("unit", code, "code"), messages.code_made(name, code)))
        elif not schema.valid_code(code):
            problem(row.row, "code", messages.bad_code(code))
        if code in first_row:
            problem(row.row, "code", messages.duplicate_code(code, first_row[code]))
        first_row.setdefault(code, row.row)
        kind = schema.unit_kind(row.kind)
        if kind is None:
            problem(row.row, "kind", messages.unknown_kind(row.kind, schema.KIND_HELP))
        email = clean(row.email)
        if not email:
            problem(row.row, "email", messages.required(TITLE["email"]))
        elif not schema.valid_email(email):
            problem(row.row, "email", messages.bad_email(email))
        portal = clean(row.portal) or None
        if portal and not portal.startswith(("http://", "https://")):
            portal = f"https://{portal}"
        if portal and not schema.valid_portal(portal):
            problem(row.row, "portal", messages.bad_portal(row.portal))
        if kind is not None and schema.needs_portal(kind) and not portal:
            problem(row.row, "portal", messages.portal_required(row.kind))
        units.append(
            DirectoryUnit(
                code=code,
                name=name,
                kind=kind or "",
                email=email,
                portal=portal,
                parent=(p.lower() if schema.valid_code(p.lower()) else p)
                if (p := clean(row.parent))
                else None,
                person=clean(row.person) or None,
                aliases=tuple(clean(a) for a in row.aliases if clean(a)),
                row=row.row,
            )
        )
    codes = {unit.code for unit in units}
    by_name = {fold(unit.name): unit.code for unit in units}
    for index, unit in enumerate(units):
        if unit.parent and unit.parent not in codes:
            parent = by_name.get(fold(unit.parent))  # the parent written by its name
            if parent is None:
                problem(unit.row, "parent", messages.unknown_parent(unit.parent))
            else:
                units[index] = replace(unit, parent=parent)
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(messages.more_problems(len(problems) - MAX_PROBLEMS))
        raise ImportFailure("\n".join(shown))
    return Directory(source, tuple(units), tuple(notes))


def with_codes(directory: Directory, codes: Mapping[str, str]) -> Directory:
    """The directory with some units' codes replaced (a base plan's codes kept)."""
    units = tuple(replace(unit, code=codes.get(unit.code, unit.code)) for unit in directory.units)
    renamed = {old: new for old, new in codes.items()}
    units = tuple(
        replace(unit, parent=renamed.get(unit.parent, unit.parent)) if unit.parent else unit
        for unit in units
    )
    return replace(directory, units=units)


def _free_code(code: str, used: Mapping[str, int]) -> str:
    candidate, number = code, 2
    while candidate in used:
        candidate, number = f"{code}-{number}", number + 1
    return candidate
