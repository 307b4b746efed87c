"""The consolidated report's words, without I/O: evidence with no data is named as missing with
why (the plan's names, never a code) and weighs nothing; a portal never probed is "chưa kiểm
tra", in no finding; the readiness printed is scoring's; the appendix tables go to the .xlsx
with Vietnamese headers, a frozen header row and filters."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from minhbach.events.catalogue import ProbeOutcome
from minhbach.plan import Plan, default_plan_path, load_plan
from reporting import messages as msg
from reporting.domain.consolidated import ConsolidatedReport, consolidated_report
from reporting.domain.schedule import DEADLINE, report_periods
from reporting.render.document import OfficialDocument, Paragraph, Table
from reporting.render.xlsx import render_xlsx
from reporting.report_document import consolidated_document
from tests.reporting import scenarios

PLAN: Plan = load_plan(default_plan_path())
Q3 = next(p for p in report_periods(PLAN, PLAN.working_calendar()) if p.period == "Q3")


@pytest.fixture(scope="module")
def drafted() -> tuple[scenarios.Quarter, ConsolidatedReport, OfficialDocument]:
    quarter = scenarios.seed_q3(PLAN)
    report = consolidated_report(
        PLAN,
        Q3,
        quarter.reports,
        quarter.figures,
        quarter.probes,
        scenarios.DRAFT_AT,
        DEADLINE,
        previous=quarter.previous,
    )
    return quarter, report, consolidated_document(PLAN, report, 1)


def body_text(doc: OfficialDocument) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def test_evidence_without_data_is_named_with_why_and_weighs_nothing(
    drafted: tuple[scenarios.Quarter, ConsolidatedReport, OfficialDocument],
) -> None:
    quarter, report, doc = drafted
    names = {s.code: s.name for s in PLAN.readiness_signals}
    unknown = {(s.code, s.missing) for f in quarter.scoring for s in f.signals if not s.has_data}
    assert unknown, "the seed's Q3 has evidence without data (no posting fell due yet)"
    lines = body_text(doc)
    assert msg.GAPS_INTRO in lines
    for code, why in unknown:
        gap = next(g for g in report.gaps if g.signal == code and g.why == why)
        expected = msg.GAP_LINE.format(
            signal=names[code], indicators=", ".join(map(str, gap.indicators)), why=why
        )
        assert expected in lines
    # The readiness printed is scoring's, renormalised over the signals with data.
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.columns[0] == "STT")
    for figure, row in zip(quarter.scoring, table.rows, strict=True):
        known = [s for s in figure.signals if s.has_data]
        share = sum(s.value * s.weight for s in known) / sum(s.weight for s in known)
        assert figure.readiness == pytest.approx(share, abs=1e-6)
        assert row[3] == msg.percent(figure.readiness)
    text = "\n".join(lines)
    assert not any(re.search(rf"\b{code}\b", text) for code in names)


def test_a_portal_never_probed_is_not_checked_and_in_no_finding(
    drafted: tuple[scenarios.Quarter, ConsolidatedReport, OfficialDocument],
) -> None:
    quarter, report, doc = drafted
    probed = {p.portal_unit_code for p in quarter.probes}
    never = [u.code for u in PLAN.portal_units() if u.code not in probed]
    assert len(never) == 15 and report.unchecked_portals == tuple(never)
    assert all(set(kind.units) <= probed for kind in report.finding_kinds)
    lines = body_text(doc)
    unchecked = next(line for line in lines if line.startswith("Chưa kiểm tra"))
    kinds = [line for line in lines if line.startswith("- ") and "cổng):" in line]
    assert kinds and all(PLAN.unit(u).name not in " ".join(kinds) for u in never)
    assert all(PLAN.unit(u).name.split()[-1] in unchecked for u in never)
    unreachable = next(line for line in kinds if "truy cập được" in line)
    assert unreachable.startswith("- Không truy cập được Cổng TTĐT (")  # its capitals kept
    # Scoring's portal signals count only the portals a probe reached, never the others.
    reached = [p for p in quarter.probes if p.outcome is not ProbeOutcome.UNREACHABLE]
    qa = next(s for f in quarter.scoring for s in f.signals if s.code == "qa_active")
    assert qa.has_data and qa.evidence.split()[0].endswith(f"/{len(reached)}")
    unchecked_items = [i for i in qa.items if i.ok is None]
    assert len(unchecked_items) == len(PLAN.portal_units()) - len(reached)


def test_the_appendix_spreadsheet_has_one_sheet_per_table_frozen_and_filtered(
    drafted: tuple[scenarios.Quarter, ConsolidatedReport, OfficialDocument],
) -> None:
    _, report, doc = drafted
    assert doc.appendix is not None
    book = zipfile.ZipFile(io.BytesIO(render_xlsx(doc.appendix)))
    workbook = book.read("xl/workbook.xml").decode()
    sheets = re.findall(r'<sheet name="([^"]+)"', workbook)
    assert sheets == list(msg.SHEETS)
    tasks = book.read("xl/worksheets/sheet2.xml").decode()
    assert '<pane ySplit="1"' in tasks and 'state="frozen"' in tasks
    assert f'<autoFilter ref="A1:D{len(report.tasks) + 1}"/>' in tasks
    strings = book.read("xl/sharedStrings.xml").decode()
    assert all(column in strings for column in msg.TASK_COLUMNS)
