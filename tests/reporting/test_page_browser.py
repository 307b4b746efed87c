"""The coordinator's page in a real headless Chromium (Debian's), against the real service:
the login form, the period at a glance, a draft's HTML view and download, a unit refused (403)
and no token refused (401). Playwright drives the system browser; none is downloaded."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from minhbach.events.catalogue import CheckResult, ProbeFinished, ProbeOutcome
from minhbach.plan import Plan
from minhbach.settings import Settings
from reporting import messages as msg
from tests.reporting.conftest import running_reporting, vn
from tests.reporting.test_consolidated_report import IDLE_UNIT, REASON, q3_report
from tests.support.servers import eventually

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]

pytestmark = pytest.mark.slow

NOW = vn(2024, 10, 3, 9)


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[object]:
    if not shutil.which("chromium"):
        print("SKIP reason: Debian's chromium is not installed (bash deploy/system-deps.sh)")
        pytest.skip("chromium is not installed (deploy/system-deps.sh installs it)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


def _probe(plan: Plan, unit: str) -> ProbeFinished:
    missing = unit == "bao-dai"
    return ProbeFinished(
        probe_id=uuid.uuid4(),
        portal_unit_code=unit,
        portal_url=plan.unit(unit).portal or "",
        started_at=NOW,
        finished_at=NOW,
        outcome=ProbeOutcome.OK,
        checks=(
            CheckResult(
                check="section_present",
                passed=not missing,
                section="qa",
                detail="Không tìm thấy chuyên mục “Hỏi đáp”." if missing else "Có chuyên mục.",
                evidence_url="https://baodai.example.invalid/hoi-dap",
            ),
        ),
    )


async def test_the_focal_unit_reads_the_page_and_a_draft_a_unit_gets_403(
    browser: object, settings: Settings, database_url: str, private_nats: str, seed: Plan
) -> None:
    from playwright.async_api import Browser

    assert isinstance(browser, Browser)
    async with running_reporting(settings, database_url, private_nats, seed, NOW) as reporting:
        leads = seed.lead_unit_codes_all()
        await reporting.publish(*[q3_report(seed, u, vn(2024, 10, 1, 9)) for u in leads])
        await reporting.publish(*[_probe(seed, u.code) for u in seed.portal_units()])
        reader, unit_token = await reporting.token("chu-tich"), await reporting.token("tckh")

        async def kinds() -> set[str]:
            async with httpx.AsyncClient(base_url=reporting.url, timeout=60) as http:
                response = await http.get(
                    "/api/v1/drafts", headers={"Authorization": f"Bearer {reader}"}
                )
            return {d["kind"] for d in response.json()}

        await eventually(
            lambda: _has(kinds(), {"consolidated_report", "inspection_notice"}), timeout=60
        )

        page = await browser.new_page()
        answer = await page.goto(reporting.url + "/bao-cao-tong-hop")
        assert answer is not None and answer.status == 401
        await page.fill("#token", unit_token)
        await page.click("button[type=submit]")
        refusal = msg.NOT_A_READER.format(leadership=seed.words.leadership)
        assert refusal in await page.inner_text("[role=alert]")

        await page.goto(reporting.url + "/bao-cao-tong-hop")
        await page.fill("#token", reader)
        await page.click("button[type=submit]")
        overview = await page.inner_text("main")
        assert "Kỳ hiện tại: quý III năm 2024" in overview
        assert f"Đã gửi: {len(leads)}/{len(leads)} đơn vị." in overview
        assert seed.unit("bao-dai").name in await page.inner_text("#cong-ttdt")
        drafts = await page.inner_text("#du-thao")
        assert msg.DRAFT_KINDS["consolidated_report"].format(chairman=seed.chairman.name) in drafts
        assert msg.DRAFT_KINDS["inspection_notice"] in drafts

        await page.click("#du-thao tr:has-text('2024-Q3') a:has-text('Kết quả triển khai')")
        assert await page.inner_text("h2.ten-loai") == "BÁO CÁO"
        view = await page.inner_text("main")
        assert REASON in view and "Nơi nhận:" in view
        async with page.expect_download() as download_info:
            await page.click("text=Tải .docx")
        download = await download_info.value
        assert download.suggested_filename.endswith(".docx")
        assert (await download.path()).read_bytes()[:2] == b"PK"  # type: ignore[union-attr]

        await page.goto(f"{reporting.url}/bao-cao-tong-hop/don-vi/{IDLE_UNIT}")
        assert REASON in await page.inner_text("main")

        await page.click("text=Đăng xuất")
        answer = await page.goto(reporting.url + "/bao-cao-tong-hop")
        assert answer is not None and answer.status == 401
        await page.close()


async def _has(found: object, wanted: set[str]) -> bool:
    return wanted <= await found  # type: ignore[operator]
