"""Test documents written the way offices write them: the seed plan as a real .docx (python-docx,
the appendix's merged cells as the seed's layout implies) and unit directories as .xlsx."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from openpyxl import Workbook

from minhbach.plan import default_plan_path
from minhbach.plan_import.schema import KIND_LABELS

REPO = Path(__file__).resolve().parents[3]
SEED_DIR = REPO.parent / "shared" / "seed"


def seed_text() -> str:
    return next(SEED_DIR.glob("*.txt")).read_text(encoding="utf-8")


def _plain(line: str) -> str:
    line = re.sub(r"</?[bi]>", "", line)
    line = line.lstrip("#").strip()
    return line.replace("*", "").strip()


def seed_parts() -> tuple[list[str], list[str], list[list[str]]]:
    """The seed's body paragraphs, the appendix header cells and the appendix rows."""
    text = seed_text().replace("****", "\n").replace("***(", "\n(")
    body: list[str] = []
    header: list[str] = []
    rows: list[list[str]] = []
    for raw in text.splitlines():
        if "\t" in raw and not header:
            header = [_plain(c) for c in raw.split("\t")]
            continue
        if header:
            if raw.strip():
                rows.append([_plain(c) for c in raw.split("\t")])
            continue
        if raw.strip():
            body.append(_plain(raw))
    return body, header, rows


def _vmerge(cell: Any, restart: bool) -> None:
    properties = cell._tc.get_or_add_tcPr()
    for old in properties.findall(qn("w:vMerge")):
        properties.remove(old)
    merge = OxmlElement("w:vMerge")
    if restart:
        merge.set(qn("w:val"), "restart")
    properties.append(merge)


def table_docx(
    body: Sequence[str],
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    merge_down: Iterable[tuple[int, int]] = (),
    after: Sequence[str] = (),
    heading: Sequence[tuple[str, str]] = (),
    split_at: int | None = None,
    repeat_header: bool = True,
) -> bytes:
    """A document: a two-column heading table (issuer | national motto, as offices lay it out),
    paragraphs, one table (header + rows; `merge_down` = (row, column) cells that continue the
    cell above, rows counted from 1 under the header; a row of one cell spans the whole
    width), more paragraphs."""
    document = Document()
    if heading:
        top = document.add_table(rows=len(heading), cols=2)
        for r, (left, right) in enumerate(heading):
            top.cell(r, 0).text = left
            top.cell(r, 1).text = right
    for line in body:
        document.add_paragraph(line)
    appendix = document.add_section(WD_SECTION.NEW_PAGE)  # the appendix on landscape pages
    appendix.orientation = WD_ORIENT.LANDSCAPE
    appendix.page_width, appendix.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin"):
        setattr(appendix, side, Cm(1.5))
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    weights = [
        1 if len(title) <= 4 else 6 if "Nhiệm vụ" in title or "Nội dung" in title else 3
        for title in header
    ]
    for column, weight in zip(table.columns, weights, strict=True):
        for cell in column.cells:
            cell.width = Cm(26.7 * weight / sum(weights))
    for column, title in enumerate(header):
        table.cell(0, column).text = title
    merged = set(merge_down)
    for r, row in enumerate(rows, start=1):
        if len(row) == 1:
            merged_cell = table.cell(r, 0).merge(table.cell(r, len(header) - 1))
            merged_cell.text = row[0]
            continue
        for column, text in enumerate(row):
            if (r, column) in merged:
                _vmerge(table.cell(r, column), restart=False)
                above = r - 1
                while (above, column) in merged:
                    above -= 1
                _vmerge(table.cell(above, column), restart=True)
            else:
                table.cell(r, column).text = text
    if split_at is not None:  # Word split the table at a page break: rows move to a new one
        _split_table(document, table, split_at, repeat_header)
    for line in after:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _split_table(document: Any, table: Any, split_at: int, repeat_header: bool) -> None:
    import copy

    second = copy.deepcopy(table._tbl)
    rows_first, rows_second = table._tbl.tr_lst, second.tr_lst
    for tr in rows_first[1 + split_at :]:
        table._tbl.remove(tr)
    for tr in rows_second[1 : 1 + split_at]:
        second.remove(tr)
    if not repeat_header:
        second.remove(rows_second[0])
    gap = document.add_paragraph("")
    table._tbl.addnext(gap._p)
    gap._p.addnext(second)


def seed_docx(
    nfd_rows: Sequence[int] = (), split_at: int | None = None, repeat_header: bool = True
) -> bytes:
    """The seed plan as its office would have saved it: STT and "Chỉ tiêu" merged down over an
    indicator's tasks, 6.2-6.5's lead/supporting/timing merged with 6.1's, 8.1-8.3 in one cell,
    the rows a page break split (3.1, 7.1) as the seed shows them. `nfd_rows`: rows typed in
    NFD (decomposed Unicode)."""
    body, header, rows = seed_parts()
    width = len(header)
    grid = [(row + [""] * width)[:width] for row in rows]
    merges = []
    for r, row in enumerate(grid, start=1):
        coded = re.match(r"^\d+\.\d+\.", row[2]) is not None
        for column in (0, 1):
            if not row[column]:  # STT and "Chỉ tiêu" merge down over the indicator's rows
                merges.append((r, column))
        for column in (3, 4, 5):
            if not row[column] and coded:
                merges.append((r, column))
    for r in nfd_rows:
        grid[r - 1] = [unicodedata.normalize("NFD", cell) for cell in grid[r - 1]]
    return table_docx(body, header, grid, merges, split_at=split_at, repeat_header=repeat_header)


def seed_units() -> list[dict[str, Any]]:
    data = yaml.safe_load(default_plan_path().read_text(encoding="utf-8"))
    return list(data["units"])


UNIT_HEADER = [
    "Mã",
    "Tên đơn vị",
    "Loại",
    "Thư điện tử",
    "Cổng TTĐT",
    "Đơn vị cấp trên",
    "Người phụ trách",
    "Tên khác",
]


def units_xlsx(
    units: Sequence[dict[str, Any]],
    header: Sequence[str] = UNIT_HEADER,
    parent: str | None = "ubnd-huyen",
) -> bytes:
    """A unit directory as an office keeps it: kinds in Vietnamese words, parents named."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Đơn vị"
    sheet.append(list(header))
    for unit in units:
        kind = KIND_LABELS.get(unit["kind"], unit["kind"])
        up = "" if unit["kind"] in ("district",) or parent is None else parent
        sheet.append(
            [
                unit["code"],
                unit["name"],
                kind,
                unit.get("email", ""),
                unit.get("portal", ""),
                up,
                unit.get("person", ""),
                unit.get("aliases", ""),
            ][: len(header)]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _names(plan: Any, codes: Sequence[str]) -> str:
    return ", ".join(
        plan.unit(code).name if plan.has_unit(code) else plan.group(code).name for code in codes
    )


def _duty_sentences(plan: Any) -> list[str]:
    """ "Tổ chức thực hiện" as an office writes the plan's reporting rules."""

    def when(rules: Sequence[Any]) -> str:
        parts = []
        for rule in rules:
            day = f"trước ngày {rule.due_before_day:02d}"
            month = rule.due_month or "next"
            if rule.period == "year":
                parts.append(f"{day}/{rule.due_before_month:02d} hằng năm")
            elif rule.period == "quarter":
                which = {
                    "next": "tháng đầu tiên quý tiếp theo",
                    "last": "tháng cuối quý",
                    "first": "tháng đầu quý",
                }[str(month)]
                parts.append(f"{day} của {which}")
            else:  # "báo cáo 6 tháng trước ngày 20/06": the date of the first such report
                what = "6 tháng" if rule.period == "half_year" else "9 tháng"
                parts.append(f"báo cáo {what} {day}/{rule.due_month_index:02d}")
        extra = []
        if any(r.fold_last_into_year and r.period == "quarter" for r in rules):
            extra.append("báo cáo quý IV tổng hợp vào báo cáo năm")
        cutoff = next((r.data_cutoff_day for r in rules if r.data_cutoff_day), None)
        if cutoff:
            extra.append(f"số liệu tính đến ngày {cutoff} của tháng cuối kỳ")
        return "; ".join([" và ".join(parts), *extra])

    lead = [r for r in plan.reporting_rules if r.reporter == "lead_units"]
    focal = [r for r in plan.reporting_rules if r.reporter == "focal_unit"]
    out = []
    if lead:
        out.append(
            "1. Các cơ quan, đơn vị được giao chủ trì tổng hợp kết quả và gửi báo cáo "
            f"định kỳ tới đơn vị đầu mối (báo cáo gửi {when(lead)})."
        )
    if focal:
        recipient = plan.unit(focal[0].recipient).name
        out.append(
            f"2. Giao {plan.focal_unit.name} là cơ quan đầu mối tổng hợp, báo cáo "
            f"{recipient} theo quý, năm ({when(focal)})."
        )
    return out


def docx_from_plan(plan: Any) -> bytes:
    """Any plan file written back as the signed document its office would have: heading,
    body with the focal unit and the reporting duties, signature, and the appendix with each
    task's cells merged where the plan says `merged_cells_from`."""
    meta = plan.meta
    number = meta.document.number or ""
    day = meta.document.issued_on
    month = meta.document.issued_month
    # a plan signed before its year (tan-ky: December, in force from 1 January)
    signed_year = meta.year - 1 if month and month > meta.effective_from.month else meta.year
    date_line = (
        f"ngày {day.day:02d} tháng {day.month} năm {day.year}"
        if day
        else f"ngày   tháng {month or ''} năm {signed_year}"
    )
    place = plan.drafting.place if plan.drafting else meta.issuer.split()[-1]
    refs = "; ".join(
        f"Kế hoạch số {r.number} ngày {r.date.day}/{r.date.month}/{r.date.year} của {r.issuer} "
        f"{r.title.removeprefix('Kế hoạch ')}"
        for r in meta.references
    )
    title = meta.title.removeprefix("Kế hoạch ")
    body = [
        f"Số: {number}/{meta.document.symbol}",
        f"{place}, {date_line}",
        "KẾ HOẠCH",
        title,
        f"Thực hiện {refs}; {meta.issuer} ban hành Kế hoạch như sau:" if refs else "",
        f"a) Nhiệm vụ: {meta.overall_target.text}.",
        f"Đơn vị đầu mối: {plan.focal_unit.name}",
        "III. TỔ CHỨC THỰC HIỆN",
        *_duty_sentences(plan),
        "Nơi nhận:",
        "- Lưu: VT.",
        *meta.signer.title.split(" - "),
        meta.signer.name,
        "Phụ lục",
        f"(Kèm theo Kế hoạch số {number}/{meta.document.symbol} của {meta.issuer})",
    ]
    header = [
        "STT",
        "Chỉ tiêu",
        "Nhiệm vụ, giải pháp trọng tâm",
        "Cơ quan chủ trì thực hiện",
        "Cơ quan phối hợp thực hiện",
        "Thời gian thực hiện",
    ]
    rows: list[list[str]] = []
    merges: list[tuple[int, int]] = []
    for indicator in plan.indicators:
        target = f" ({indicator.target.text})" if indicator.target and indicator.target.text else ""
        for position, code in enumerate(indicator.tasks):
            task = plan.task(code)
            r = len(rows) + 1
            role = f" {task.supporting_role}" if task.supporting_role else ""
            rows.append(
                [
                    str(indicator.number) if position == 0 else "",
                    f"{indicator.title}{target}" if position == 0 else "",
                    f"{code}. {' '.join(task.text.split())}",
                    _names(plan, task.lead),
                    _names(plan, task.supporting) + role,
                    task.timing.text,
                ]
            )
            if position:
                merges += [(r, 0), (r, 1)]
            if task.merged_cells_from:
                merges += [(r, 3), (r, 4), (r, 5)]
    return table_docx([line for line in body if line], header, rows, merges)


def directory_from_plan(plan: Any) -> bytes:
    units = [
        {
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "email": u.email,
            "portal": u.portal or "",
            "person": u.person or "",
        }
        for u in plan.units
    ]
    return units_xlsx(units, parent=None)
