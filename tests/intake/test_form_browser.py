"""The Vietnamese HTML form in a real headless Chromium (Debian's), against the real service.

Playwright drives the system browser (`executable_path`); no browser is downloaded.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from intake import messages as msg
from intake.db import report_versions, reports
from tests.intake.builders import COMMUNES
from tests.intake.conftest import RunningIntake

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

Issue = Callable[[str], Awaitable[str]]

pytestmark = pytest.mark.slow


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


async def test_a_commune_fills_the_form_sees_errors_next_to_fields_then_a_receipt(
    browser: object,
    intake_server: RunningIntake,
    issue: Issue,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    from playwright.async_api import Browser

    assert isinstance(browser, Browser)
    unit = COMMUNES.take()
    token = await issue(unit)
    led = [task.code for task in intake_server.plan.tasks_led_by(unit)]
    page = await browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    await page.goto(intake_server.url + "/")

    await page.fill("#token", token)
    await page.select_option("#period", "Q2")
    await page.click("button[value=report]")
    legends = await page.locator("legend").all_inner_texts()
    assert [f"Nhiệm vụ {code}" for code in led] == legends[: len(led)]

    # The second task "not started" with no reason, the last one left without a status, the
    # others done; no analysis. All four problems are told at once.
    last = len(led) - 1
    for index in range(last):
        status = "not_started" if index == 1 else "done"
        await page.check(f"input[name='tasks-{index}-status'][value='{status}']")
    await page.fill("#t0-evidence_urls", "https://example.invalid/van-ban/1\nftp://sai/2")
    await page.click("button[type=submit]")

    assert await page.locator("[role=alert]").count() == 1
    analysis_error = page.locator("#analysis ~ p.error[data-field='analysis']")
    assert await analysis_error.inner_text() == msg.ANALYSIS_REQUIRED
    reason_error = page.locator("#t1-difficulties ~ p.error[data-field='tasks[1].difficulties']")
    assert await reason_error.inner_text() == msg.REASON_REQUIRED
    status_error = page.locator(f"p.error[data-field='tasks[{last}].status']")
    assert await status_error.inner_text() == msg.MISSING_BY_FIELD["status"]
    await page.check(f"input[name='tasks-{last}-status'][value='done']")
    await page.click("button[type=submit]")  # now well-formed: the plan's own checks speak
    url_error = page.locator("p.error[data-field='tasks[0].evidence']")
    assert await url_error.inner_text() == f"{msg.URL_NOT_HTTP} (ftp://sai/2)"
    assert await reason_error.inner_text() == msg.REASON_REQUIRED
    # What the official typed is still there.
    assert (
        await page.input_value("#t0-evidence_urls")
        == "https://example.invalid/van-ban/1\nftp://sai/2"
    )
    assert await page.is_checked("input[name='tasks-1-status'][value='not_started']")

    await page.fill("#t0-evidence_urls", "https://example.invalid/van-ban/1")
    await page.fill("#t0-document_numbers", "113/KH-UBND")
    await page.fill("#t1-difficulties", "Chưa bố trí được cán bộ phụ trách cổng.")
    await page.fill("#analysis", "Cập nhật văn bản còn chậm; đề xuất tập huấn biên tập viên.")
    await page.click("button[type=submit]")

    assert await page.inner_text("#receipt") == "Biên nhận báo cáo"
    assert await page.inner_text("#version") == "1"
    assert await page.inner_text("#timeliness") == "Đúng hạn"
    report_id = await page.inner_text("#report-id")
    async with sessions() as session:
        stored = (
            await session.execute(
                select(reports.c.unit_code, report_versions.c.tasks, report_versions.c.analysis)
                .join(report_versions, report_versions.c.report_id == reports.c.report_id)
                .where(reports.c.report_id == report_id)
            )
        ).one()
    assert stored.unit_code == unit
    assert stored.tasks[1]["status"] == "not_started"
    assert stored.tasks[0]["evidence"] == [
        {
            "url": "https://example.invalid/van-ban/1",
            "document_number": None,
            "issued_on": None,
            "title": None,
        },
        {"url": None, "document_number": "113/KH-UBND", "issued_on": None, "title": None},
    ]

    # Opening the same period again pre-fills the last version and says it will amend it.
    await page.goto(intake_server.url + "/bao-cao")
    await page.fill("#token", token)
    await page.select_option("#period", "Q2")
    await page.click("button[value=report]")
    assert "phiên bản 2" in await page.inner_text(".note")
    assert await page.input_value("#t1-difficulties") == "Chưa bố trí được cán bộ phụ trách cổng."
    await page.click("button[type=submit]")
    assert await page.inner_text("#version") == "2"
    await page.close()


async def test_a_wrong_token_is_told_next_to_the_token_field(
    browser: object, intake_server: RunningIntake
) -> None:
    from playwright.async_api import Browser

    assert isinstance(browser, Browser)
    page = await browser.new_page()
    await page.goto(intake_server.url + "/bao-cao")
    await page.fill("#token", "sai-ma")
    await page.click("button[value=report]")
    assert await page.inner_text("#token-error") == msg.TOKEN_INVALID
    await page.close()


async def test_evidence_through_the_form(
    browser: object, intake_server: RunningIntake, issue: Issue
) -> None:
    from playwright.async_api import Browser

    assert isinstance(browser, Browser)
    unit = COMMUNES.take()
    page = await browser.new_page()
    await page.goto(intake_server.url + "/bao-cao")
    await page.fill("#token", await issue(unit))
    await page.click("button[value=evidence]")
    await page.select_option("#task_code", "2.1")
    await page.fill("#document_number", "số năm")
    await page.click("button[type=submit]")
    error = page.locator("p.error[data-field='evidence.document_number']")
    assert await error.inner_text() == msg.DOCUMENT_NUMBER_FORMAT
    await page.fill("#document_number", "21/QĐ-UBND")
    await page.fill("#url", "https://example.invalid/uu-dai/21")
    await page.fill("#issued_on", "2024-06-20")
    await page.click("button[type=submit]")
    assert await page.inner_text("#receipt") == msg.FORM_EVIDENCE_SAVED.format(code="2.1")
    await page.close()
