"""The consolidated report end to end, on real NATS, PostgreSQL and HTTP: reports filed (as
intake announces them) move scoring's figures; reporting drafts the Q3 report at the focal
deadline minus two working days, naming the unit that did not file and the one that filed late,
quoting the reason of a task not started; the .docx is read back with python-docx and its figures
compared with scoring's API at the same instant; the PDF is rasterised with pdftoppm."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import uuid
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Mm
from sqlalchemy import select

from minhbach.events.catalogue import ReportSubmitted, TaskReport, TaskStatus
from minhbach.plan import Plan
from minhbach.settings import Settings
from reporting import messages as msg
from reporting.db import figures
from tests.reporting.conftest import SERVICE_TOKEN, Stack, get_json, running_stack, vn
from tests.support.documents import check_decree30_page, shown
from tests.support.servers import eventually

pytestmark = pytest.mark.slow

LEAD_DUE = vn(2024, 10, 2, 0)  # Q3 lead reports: before 02/10/2024
DRAFT_AT = vn(2024, 10, 7, 8)  # focal deadline (before 10/10: last day Wed 09/10) - 2 working days
LATE_UNIT, IDLE_UNIT, NOT_STARTED_TASK = "tu-phap", "ktht", "1.2"
REASON = "Chưa bố trí được kinh phí rà soát, số hóa hồ sơ quy hoạch xây dựng"


def q3_report(plan: Plan, unit: str, submitted_at: datetime) -> ReportSubmitted:
    tasks = []
    for index, task in enumerate(plan.tasks_led_by(unit)):
        if unit == IDLE_UNIT and task.code == NOT_STARTED_TASK:
            status, difficulties = TaskStatus.NOT_STARTED, REASON
        elif index % 3 == 2:
            status, difficulties = TaskStatus.IN_PROGRESS, "Đang chờ hướng dẫn của tỉnh"
        else:
            status, difficulties = TaskStatus.DONE, ""
        tasks.append(
            TaskReport(
                task_code=task.code,
                status=status,
                work_done="Đã đăng tải đầy đủ trên Cổng TTĐT",
                difficulties=difficulties,
                proposals="Đề nghị tỉnh tập huấn" if index == 0 else "",
            )
        )
    return ReportSubmitted(
        report_id=uuid.uuid4(),
        version_no=1,
        unit_code=unit,
        plan_year=2024,
        period="Q3",
        submitted_at=submitted_at,
        first_submitted_at=submitted_at,
        due_at=LEAD_DUE,
        on_time=submitted_at < LEAD_DUE,
        tasks=tuple(tasks),
        analysis="Kết quả thực chất, còn tồn tại về kinh phí.",
    )


async def _figures_agree(stack: Stack) -> list[dict[str, Any]] | None:
    """Scoring's live figures equal what it last announced, and reporting has taken those in."""
    response = await get_json(stack.scoring_url, "/api/v1/indicators")
    indicators: list[dict[str, Any]] = response.json()
    if any(
        i["last_change"] is None or abs(i["readiness"] - i["last_change"]["readiness"]) > 1e-9
        for i in indicators
    ):
        return None
    async with stack.reporting_sessions() as session:
        taken = {r.indicator: r.readiness for r in await session.execute(select(figures))}

    if any(abs(taken.get(i["number"], -1) - i["readiness"]) > 1e-9 for i in indicators):
        return None
    return indicators


async def test_q3_report_is_drafted_with_gaps_named_and_figures_of_scoring(
    settings: Settings, database_url: str, private_nats: str, seed: Plan, tmp_path: Path
) -> None:
    leads = list(seed.lead_unit_codes_all())
    missing = leads[-1]
    async with running_stack(settings, database_url, private_nats, seed, DRAFT_AT) as stack:
        await stack.publish(
            *[
                q3_report(
                    seed, unit, vn(2024, 10, 3, 9) if unit == LATE_UNIT else vn(2024, 10, 1, 9)
                )
                for unit in leads
                if unit != missing
            ]
        )
        indicators = await eventually(lambda: _figures_agree(stack), timeout=240)
        reader = await stack.token("vhtt")
        assert (await get_json(stack.reporting_url, "/api/v1/drafts", reader)).json() == []

        stack.reporting_clock.set(DRAFT_AT)  # scoring's instant

        async def q3_draft() -> dict[str, Any] | None:
            drafts = (await get_json(stack.reporting_url, "/api/v1/drafts", reader)).json()
            return next((d for d in drafts if d["period_key"] == "2024-Q3"), None)

        draft = await eventually(q3_draft, timeout=300)
        assert draft["trigger"] == "deadline" and draft["missing_units"] == [missing]

        # Who may fetch it: no token 401, a unit 403, a reader and the notifier's token 200.
        unit_token = await stack.token("tckh")
        docx_path = draft["docx_path"]
        assert (await get_json(stack.reporting_url, docx_path)).status_code == 401
        assert (await get_json(stack.reporting_url, docx_path, "nonsense")).status_code == 401
        assert (await get_json(stack.reporting_url, docx_path, unit_token)).status_code == 403
        assert (
            await get_json(stack.reporting_url, "/api/v1/drafts", SERVICE_TOKEN)
        ).status_code == 403
        by_service = await get_json(stack.reporting_url, docx_path, SERVICE_TOKEN)
        assert by_service.status_code == 200
        response = await get_json(stack.reporting_url, docx_path, reader)
        assert response.status_code == 200 and response.content == by_service.content

        sources = (
            await get_json(
                stack.reporting_url, f"/api/v1/drafts/{draft['draft_id']}/sources", reader
            )
        ).json()["sources"]
        assert len(sources["reports"]) == len(leads) - 1 and len(sources["figures"]) == 8
        xlsx = await get_json(stack.reporting_url, draft["xlsx_path"], reader)
        assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")

        _check_document(Document(BytesIO(response.content)), seed, indicators, missing)

        # The coordinator gets the draft by e-mail, the very .docx attached, once.
        def mailed() -> list[Any]:
            return [
                r.message
                for r in stack.smtp.to(seed.focal_unit.email)
                if r.message["X-Minhbach-Draft"] == draft["draft_id"]
            ]

        (mail,) = await eventually(mailed, timeout=180)
        (attachment,) = list(mail.iter_attachments())
        assert attachment.get_filename() == "du-thao-bao-cao-2024-Q3-v1.docx"
        assert attachment.get_content() == response.content
        assert "Kết quả triển khai thực hiện nhiệm vụ" in mail.get_body(("plain",)).get_content()
        await asyncio.sleep(2)  # more sending rounds: still one e-mail
        assert len(mailed()) == 1
        if draft["pdf_path"]:
            pdf = await get_json(stack.reporting_url, draft["pdf_path"], reader)
            _check_pdf(pdf.content, tmp_path)
        else:
            assert not shutil.which("soffice"), "LibreOffice is installed but no PDF was made"
            print("SKIP pdf: LibreOffice not installed (bash deploy/system-deps.sh)")


def _check_document(doc: Any, plan: Plan, indicators: list[dict[str, Any]], missing: str) -> None:
    check_decree30_page(doc)
    section = doc.sections[0]
    # Page numbers from page 2: a different first page, a PAGE field in the other pages' header.
    assert section.different_first_page_header_footer
    assert (
        "PAGE" in section.header._element.xml
        and "PAGE" not in section.first_page_header._element.xml
    )

    header = doc.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs][:2] == [
        "UBND HUYỆN LỤC NAM",
        "PHÒNG VĂN HÓA VÀ THÔNG TIN",
    ]
    assert left.paragraphs[1].runs[0].font.bold and "w:pBdr" in left.paragraphs[2]._p.xml
    assert [p.text for p in right.paragraphs][:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert all(p.runs[0].font.bold for p in right.paragraphs[:2])
    assert Mm(4.2) <= right.paragraphs[0].runs[0].font.size <= Mm(4.6)  # 12-13 pt
    number, place = header.rows[1].cells
    assert number.text.startswith("Số:") and number.text.endswith("/BC-VHTT")
    assert place.text == "Lục Nam, ngày 07 tháng 10 năm 2024" and place.paragraphs[0].runs[0].italic

    body = [p for p in doc.paragraphs if p.text.strip()]
    title = next(p for p in body if p.text == "BÁO CÁO")
    assert title.runs[0].bold and title.runs[0].font.size.pt == 14
    text = "\n".join(p.text for p in body)
    assert "quý III năm 2024" in text
    assert plan.unit(missing).name in next(
        p.text for p in body if p.text.startswith("Chưa gửi báo cáo")
    )
    assert plan.unit(LATE_UNIT).name in next(
        p.text for p in body if p.text.startswith("Gửi báo cáo muộn")
    )
    idle = msg.LAGGING_LINE.format(
        status=msg.STATUS_LABELS[TaskStatus.NOT_STARTED],
        reason=msg.LAGGING_REASON.format(reason=REASON),
        units=plan.unit(IDLE_UNIT).name + msg.LAGGING_TASKS.format(tasks=NOT_STARTED_TASK),
    )
    assert idle in text
    justified = [p for p in body if p.alignment is not None and p.alignment == 3]
    assert justified and all(p.paragraph_format.first_line_indent for p in justified)

    figures_table = next(
        t for t in doc.tables if tuple(c.text for c in t.rows[0].cells) == msg.INDICATOR_COLUMNS
    )
    readiness_shown = {int(row.cells[0].text): row.cells[3].text for row in figures_table.rows[1:]}
    heading, figure = figures_table.rows[0].cells[0].paragraphs[0], figures_table.rows[1].cells[3]
    assert shown(heading, heading.runs[0], "bold")
    assert heading.style.paragraph_format.alignment == 1  # centred
    assert shown(figure.paragraphs[0], figure.paragraphs[0].runs[0], "size").pt == 12
    assert readiness_shown == {
        i["number"]: msg.percent(i["readiness"]) if i["has_data"] else msg.NO_FIGURE
        for i in indicators
    }
    # Evidence scoring has no data for is named as missing, by its Vietnamese name.
    names = {s.code: s.name for s in plan.readiness_signals}
    for indicator in indicators:
        for signal in indicator["signals"]:
            if not signal["has_data"]:
                assert any(
                    p.startswith(f"- {names[signal['code']]} (") and signal["missing"] in p
                    for p in text.splitlines()
                )
    assert not any(code in text for code in names)

    # The detail: a landscape appendix after the signature, its tables in the .xlsx too.
    appendix = doc.sections[-1]
    assert len(doc.sections) == 2 and appendix.page_width > appendix.page_height
    assert msg.APPENDIX_HEADING in text and msg.APPENDIX_TASKS in text
    pairs = next(
        t for t in doc.tables if tuple(c.text for c in t.rows[0].cells) == msg.TASK_COLUMNS
    )
    assert len(pairs.rows) - 1 == sum(len(plan.tasks_led_by(u)) for u in plan.lead_unit_codes_all())

    closing = next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    recipients, signature = closing.rows[0].cells
    label = recipients.paragraphs[0].runs[0]
    assert label.text == "Nơi nhận:" and label.bold and label.italic and label.font.size.pt == 12
    assert {r.font.size.pt for p in recipients.paragraphs[1:] for r in p.runs} == {11}
    assert signature.paragraphs[0].text == "TRƯỞNG PHÒNG"


def _check_pdf(pdf: bytes, tmp: Path) -> None:
    assert pdf.startswith(b"%PDF")
    if not shutil.which("pdftoppm"):
        print("SKIP rasterising: poppler-utils not installed (bash deploy/system-deps.sh)")
        return
    (tmp / "draft.pdf").write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", tmp / "draft.pdf"], capture_output=True, text=True, check=True
    )
    pages = int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
    subprocess.run(["pdftoppm", "-r", "30", "-gray", tmp / "draft.pdf", tmp / "page"], check=True)
    images = sorted(tmp.glob("page-*.pgm"))
    assert len(images) == pages >= 2
    first = images[0].read_bytes()
    pixels = first.split(b"\n", 3)[3]  # P5 header: magic, size, maxval
    dark = sum(1 for value in pixels if value < 128)
    assert dark > len(pixels) * 0.002, "the first page is blank"
