"""A person corrects a document's kind on the coordinator's page, in a real headless Chromium
(Debian's), against the real services (issue 19): the portal simulator, portal-monitor, scoring
and reporting on real HTTP, NATS JetStream and PostgreSQL, one clock standing at T0.

A commune posts a directive (a "Chỉ thị" with its file) in its directives section: task 4.1 is
met, indicator 4's "directive section clean" signal counts it clean and the round's inspection
notice does not name it. The focal unit then says it is no document of the plan ("Khác") with
the form on the commune's page (no JavaScript). Before that: a unit's token is refused (403, in
Vietnamese) and a kind the plan does not know is refused (422, in Vietnamese), each changing
nothing anywhere. After it: the page shows the correction (the kind, who, when); portal-monitor
re-reads the commune's portal at once; scoring's signal counts the document as not clean and the
indicator's figure on the page moves; the next round's notice names the document."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import nats
import pytest

from minhbach import tokens
from minhbach.clock import FixedClock
from minhbach.db.session import make_engine, make_sessionmaker
from minhbach.infra.embedded import free_port
from minhbach.messaging.streams import declare_streams
from minhbach.plan import Plan
from minhbach.settings import Settings
from minhbach_dev.portal_simulator.content import SimItem
from portal_monitor.app import create_app as create_monitor
from reporting import messages as msg
from reporting.app import create_app as create_reporting
from reporting.db import reader_tokens
from scoring.app import create_app as create_scoring
from tests.portal_monitor.helpers import T0, fast_settings, make_plan, simulated, unit_code
from tests.reporting.conftest import fresh_database, get_json
from tests.reporting.test_page_browser import browser
from tests.support.servers import eventually, serving

__all__ = ["browser"]

pytestmark = pytest.mark.slow

INDICATOR = 4  # its readiness weighs task 4.1's "directive section clean"
SIGNAL = "directive_section_clean"
COMMUNE = "xa-1"


@dataclass
class Services:
    plan: Plan
    clock: FixedClock
    monitor_url: str
    scoring_url: str
    reporting_url: str
    reporting_db: str

    async def token(self, unit: str) -> str:
        engine = make_engine(self.reporting_db, pool_size=1)
        try:
            return await tokens.issue_token(make_sessionmaker(engine), reader_tokens, unit)
        finally:
            await engine.dispose()


@contextlib.asynccontextmanager
async def running(
    settings: Settings, database_url: str, nats_url: str, plan: Plan, world: Any
) -> AsyncIterator[Services]:
    clock = FixedClock(T0)
    monitor_db = await fresh_database(database_url, "portal_monitor")
    scoring_db = await fresh_database(database_url, "scoring")
    reporting_db = await fresh_database(database_url, "reporting")
    monitor_port = free_port()
    base = fast_settings(settings, world, nats_url=nats_url)
    monitor = create_monitor(
        settings=base.model_copy(update={"database_url": monitor_db}), clock=clock, plan=plan
    )
    scoring = create_scoring(
        settings=base.model_copy(update={"database_url": scoring_db, "scoring_tick_seconds": 0.3}),
        clock=clock,
        plan=plan,
    )
    reporting = create_reporting(
        settings=base.model_copy(
            update={
                "database_url": reporting_db,
                "reporting_tick_seconds": 0.3,
                "reporting_soffice": "/nonexistent/soffice",
                "portal_monitor_url": f"http://127.0.0.1:{monitor_port}",
            }
        ),
        clock=clock,
        plan=plan,
    )
    client = await nats.connect(nats_url)
    await declare_streams(client.jetstream(), 60, 1)
    await client.close()
    async with (
        serving(monitor, monitor_port) as monitor_url,
        serving(scoring) as scoring_url,
        serving(reporting) as reporting_url,
    ):
        yield Services(plan, clock, monitor_url, scoring_url, reporting_url, reporting_db)


def directive_item() -> SimItem:
    n = 100 + uuid.uuid4().int % 9000
    title = f"Chỉ thị số {n}/CT-UBND ngày 10/10/2024 về tăng cường kỷ luật, kỷ cương hành chính"
    return SimItem(960000 + n, title, f"{n}/CT-UBND", T0.date(), "Trích yếu", "UBND xã Thử")


async def signal_item_ok(services: Services, url_part: str) -> bool | None:
    """Whether scoring's signal counts the document clean (None: not counted yet)."""
    response = await get_json(services.scoring_url, f"/api/v1/indicators/{INDICATOR}")
    signal = next(s for s in response.json()["signals"] if s["code"] == SIGNAL)
    found = [i["ok"] for i in signal["items"] if i["ref"] and url_part in i["ref"]]
    return found[0] if found else None


async def notice_html(services: Services, reader: str, round_key: str) -> str | None:
    drafts = (await get_json(services.reporting_url, "/api/v1/drafts", reader)).json()
    draft = next(
        (d for d in drafts if d["kind"] == "inspection_notice" and d["period_key"] == round_key),
        None,
    )
    if draft is None:
        return None
    page = await get_json(
        services.reporting_url, f"/bao-cao-tong-hop/du-thao/{draft['draft_id']}", reader
    )
    return page.text


async def test_the_focal_unit_corrects_a_kind_and_the_figure_and_the_next_notice_follow(
    browser: object, settings: Settings, database_url: str, private_nats: str
) -> None:
    from playwright.async_api import Browser

    assert isinstance(browser, Browser)
    plan = make_plan(communes=1)
    assert plan.drafting is not None
    focal = plan.drafting.readers[0]
    commune = unit_code(plan, COMMUNE)
    item = directive_item()
    async with simulated(plan) as world:
        world.portal(COMMUNE).section("directives").items.insert(0, item)
        world.simulator.changed()
        async with running(settings, database_url, private_nats, plan, world) as services:
            reader, unit_token = await services.token(focal), await services.token("tckh")
            path = f"/tin-tuc/{item.id}.html"

            # Round 1: a directive with its file, counted clean; the notice does not name it.
            assert await eventually(lambda: signal_item_ok(services, path), timeout=120) is True
            first = await eventually(lambda: notice_html(services, reader, "2024-W41"), timeout=120)
            assert item.title not in first
            readiness_before = await indicator_on_page(services, reader)

            page = await browser.new_page()
            await page.goto(services.reporting_url + "/bao-cao-tong-hop")
            await page.fill("#token", reader)
            await page.click("button[type=submit]")
            unit_page = f"{services.reporting_url}/bao-cao-tong-hop/don-vi/{commune}"

            async def listed() -> str | None:
                await page.goto(unit_page)
                row = page.locator(f"tr.van-ban-dong:has-text('{item.number}')")
                return await row.get_attribute("id") if await row.count() else None

            row_id = await eventually(listed, timeout=60, interval=0.5)
            document_id = row_id.removeprefix("van-ban-")
            row = page.locator(f"#{row_id}")
            assert "Văn bản chỉ đạo, điều hành" in await row.locator("td.loai").inner_text()

            # A unit's token: 403 in Vietnamese; a kind the plan does not know: 422. Nothing
            # changes, here or in portal-monitor.
            form_url = f"{services.reporting_url}/bao-cao-tong-hop/van-ban/{document_id}/loai"
            async with httpx.AsyncClient(timeout=30) as http:
                refused = await http.post(
                    form_url,
                    data={"loai": "other"},
                    headers={"Authorization": f"Bearer {unit_token}"},
                )
                wrong = await http.post(
                    form_url,
                    data={"loai": "zoning"},
                    headers={"Authorization": f"Bearer {reader}"},
                )
                exported = (await http.get(services.monitor_url + "/corrections.tsv")).text
            assert refused.status_code == 403
            assert msg.NOT_A_READER.format(leadership=plan.words.leadership) in refused.text
            assert wrong.status_code == 422
            assert msg.CORRECTION_ERRORS["unknown_kind"] in wrong.text
            assert item.title not in exported
            await page.goto(unit_page)
            assert "Đã sửa" not in await row.inner_text()

            # The focal unit, a little later: "Khác", with a reason.
            services.clock.advance(timedelta(minutes=10))
            await row.locator("select[name=loai]").select_option("other")
            await row.locator("input[name=ghi_chu]").fill("Văn bản đăng nhầm chuyên mục")
            await row.locator("button[type=submit]").click()
            status = await page.inner_text("[role=status]")
            assert item.title in status and msg.OTHER_KIND_NAME in status
            shown = await page.locator(f"#{row_id} td.loai").inner_text()
            assert f"Đã sửa thành “{msg.OTHER_KIND_NAME}”" in shown
            assert plan.unit(focal).name in shown and "Văn bản đăng nhầm chuyên mục" in shown
            assert "ngày 10/10/2024" in shown

            # portal-monitor re-reads the commune's portal: the figure follows.
            assert await eventually(lambda: _is_false(signal_item_ok(services, path)), timeout=120)
            readiness_after = await eventually(
                lambda: _moved(indicator_on_page(services, reader), readiness_before), timeout=60
            )
            assert readiness_after != readiness_before

            async def applied() -> bool:
                await page.goto(unit_page)
                text = await page.locator(f"#{row_id} td.loai").inner_text()
                return text.startswith(msg.OTHER_KIND_NAME) and "đang chờ" not in text

            await eventually(applied, timeout=60, interval=0.5)

            # The next round: its notice names the document.
            services.clock.advance(timedelta(days=7))
            nxt = await eventually(lambda: notice_html(services, reader, "2024-W42"), timeout=180)
            assert item.title in nxt
            assert "không phải văn bản chỉ đạo, điều hành" in nxt
            await page.close()


async def indicator_on_page(services: Services, reader: str) -> str:
    """Indicator 4's readiness as the overview shows it."""
    html = (await get_json(services.reporting_url, "/bao-cao-tong-hop", reader)).text
    start = html.index(f"<td>{INDICATOR}. ")
    cells = html[start : html.index("</tr>", start)].split("<td")
    return cells[3].split(">", 1)[1].split("<", 1)[0]


async def _is_false(found: Any) -> bool:
    return (await found) is False


async def _moved(found: Any, before: str) -> str | None:
    value: str = await found
    return value if value != before else None
