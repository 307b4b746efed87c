"""The consolidated report a Chairman reads: the seed's Q3 of the demo year and a province of 120
lead units and 25 tasks, drafted, rendered to PDF by LibreOffice and measured. The body stays
within a few pages (seed <= 8, province <= 12; printed), the appendix follows on landscape
pages, the .xlsx carries its tables, no signal code or English word shows, every unit with a
task not done is named in the body with its reason, each grouped difficulty names all its
units, and the readiness printed is scoring's (its readiness model over the same events)."""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path

import pytest

from minhbach.events.catalogue import TaskStatus
from minhbach.plan import Plan, default_plan_path, load_plan
from reporting import messages as msg
from reporting.domain.consolidated import ConsolidatedReport, consolidated_report
from reporting.domain.schedule import DEADLINE, report_periods
from reporting.drafting import build_files
from reporting.names import short_name
from reporting.render.document import OfficialDocument, Paragraph, Table
from reporting.render.pdf import docx_to_pdf, find_soffice
from reporting.report_document import consolidated_document
from scoring.domain.readiness import ReadinessModel
from tests.reporting import scenarios

pytestmark = pytest.mark.slow

# Words of the code that must never reach a page: English status words, trigger names...
ENGLISH = re.compile(
    r"\b(done|in_progress|not_started|pending|overdue|deadline|all_filed|unreachable|none|"
    r"true|false|signal|readiness|check_failed|section_\w+|\w+_\w+)\b",
    re.IGNORECASE,
)


def draft(plan: Plan, quarter: scenarios.Quarter) -> tuple[ConsolidatedReport, OfficialDocument]:
    period = next(p for p in report_periods(plan, plan.working_calendar()) if p.period == "Q3")
    report = consolidated_report(
        plan,
        period,
        quarter.reports,
        quarter.figures,
        quarter.probes,
        scenarios.DRAFT_AT,
        DEADLINE,
        previous=quarter.previous,
    )
    return report, consolidated_document(plan, report, 1)


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True)
    return text.stdout.split("\f")[:-1]


def page_size(pdf: Path, page: int) -> tuple[float, float]:
    info = subprocess.run(
        ["pdfinfo", "-f", str(page), "-l", str(page), pdf], capture_output=True, text=True
    ).stdout
    width, height = re.search(r"size:\s+([\d.]+) x ([\d.]+)", info).groups()  # type: ignore[union-attr]
    return float(width), float(height)


def named(plan: Plan, unit: str, text: str) -> bool:
    """The unit's name, or its name without the words its kind shares, stands in `text`."""
    for name in (plan.unit(unit).name, short_name(plan, unit)):
        if re.search(rf"(?<!\w){re.escape(name)}(?![\w])", text):
            return True
    return False


def check_text(
    plan: Plan, quarter: scenarios.Quarter, report: ConsolidatedReport, doc: OfficialDocument
) -> None:
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    cells = [c for t in tables for row in (t.columns, *t.rows) for c in row]
    body = "\n".join([*paragraphs, *cells])
    appendix = doc.appendix
    assert appendix is not None
    appendix_cells = [
        c
        for item in appendix.tables
        for row in (item.table.columns, *item.table.rows)
        for c in row
        if not c.startswith("http")
    ]
    everything = "\n".join([body, *appendix_cells, *(i.title for i in appendix.tables)])
    codes = {s.code for s in plan.readiness_signals}
    assert not [c for c in codes if c in everything], "a signal code in the document"
    found = ENGLISH.findall(everything)
    assert not found, f"English words in the document: {sorted(set(found))[:10]}"
    assert "cổng ttđt" not in everything.replace("Cổng TTĐT", "")

    # Every unit with a task not done is named with its reason (or said to give none).
    lagging = [p for p in paragraphs if p.startswith("- ")]
    for group in report.lagging:
        label = msg.STATUS_LABELS[group.status]
        reason = group.reason.rstrip(".") if group.reason else msg.LAGGING_NO_REASON
        line = next(
            p
            for p in lagging
            if p.startswith(f"- {label}") and (group.status is None or reason in p)
        )
        missing = [u for u, _ in group.units if not named(plan, u, line)]
        assert not missing, f"not named with their reason: {missing}"
    not_done = {line.unit_code for line in report.tasks if line.status is not TaskStatus.DONE}
    assert set(report.not_done_units) == not_done

    # Each grouped difficulty names every unit that wrote it.
    for said in report.difficulties:
        line = next(p for p in paragraphs if p.startswith(f"- “{said.text.rstrip('.')}”"))
        units = dict.fromkeys(u for u, _ in said.sources)
        assert all(named(plan, u, line) for u in units), said.text

    # The readiness printed is scoring's, each indicator's and the overall mean of those known.
    overall = ReadinessModel(plan).overall(quarter.scoring)
    known = sum(f.has_data for f in quarter.scoring)
    line = msg.OVERALL_LINE.format(
        readiness=msg.percent(overall.readiness), known=known, total=len(quarter.scoring)
    )
    assert line in paragraphs
    indicators = next(t for t in tables if t.columns == msg.INDICATOR_COLUMNS)
    for figure, row in zip(quarter.scoring, indicators.rows, strict=True):
        expected = msg.percent(figure.readiness) if figure.has_data else msg.NO_FIGURE
        assert (int(row[0]), row[3]) == (figure.indicator, expected)


def measure(plan: Plan, quarter: scenarios.Quarter, out: Path, aim: int, name: str) -> None:
    report, doc = draft(plan, quarter)
    check_text(plan, quarter, report, doc)
    docx, _, xlsx = build_files(doc)
    assert xlsx is not None and xlsx.startswith(b"PK")
    (out / f"{name}.docx").write_bytes(docx)
    (out / f"{name}.xlsx").write_bytes(xlsx)
    soffice = find_soffice()
    if soffice is None:
        print(f"SKIP {name} pdf: LibreOffice not installed (bash deploy/system-deps.sh)")
        return
    pdf = out / f"{name}.pdf"
    pdf.write_bytes(asyncio.run(docx_to_pdf(docx, soffice, 600)))
    pages = pdf_pages(pdf)
    appendix = next(i for i, page in enumerate(pages, 1) if msg.APPENDIX_HEADING in page)
    body = appendix - 1
    print(f"{name}: body {body} pages (aim <= {aim}), appendix {len(pages) - body} pages")
    assert body <= aim
    assert msg.APPENDIX_FILING in pages[appendix - 1]
    assert any(msg.APPENDIX_TASKS in page for page in pages[appendix - 1 :])
    width, height = page_size(pdf, appendix)
    assert width > height, "the appendix is on landscape pages"
    width, height = page_size(pdf, 1)
    assert width < height, "the body is on portrait pages"
    assert "TRƯỞNG PHÒNG" in pages[body - 1]  # the signature ends the body, before the appendix
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", pdf, out / name], check=True
    )
    assert len(list(out.glob(f"{name}-*.png"))) == 2


def test_the_seed_q3_report_has_a_short_body_and_its_detail_in_an_appendix(
    tmp_path: Path,
) -> None:
    plan = load_plan(default_plan_path())
    measure(plan, scenarios.seed_q3(plan), tmp_path, 8, "seed")


def test_a_province_report_of_120_units_and_25_tasks_stays_within_twelve_pages(
    tmp_path: Path,
) -> None:
    plan = scenarios.province_plan()
    assert len(plan.lead_unit_codes_all()) == 120 and len(plan.tasks) == 25
    measure(plan, scenarios.province_q3(plan), tmp_path, 12, "province")
