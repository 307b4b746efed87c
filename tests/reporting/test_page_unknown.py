"""The coordinator's page says what is not known the way the report and scoring's API do: an
indicator whose signals have no data reads "chưa có dữ liệu" (not 0,0%), the evidence missing is
named with why by the plan's names, and a portal never probed is "Chưa kiểm tra", never a
finding. Real reporting service, NATS and PostgreSQL; the HTML read over HTTP."""

from __future__ import annotations

import uuid

import httpx
import pytest

from minhbach.events.catalogue import IndicatorChanged, Signal
from minhbach.plan import Plan
from minhbach.settings import Settings
from reporting import messages as msg
from tests.reporting.conftest import running_reporting, vn
from tests.reporting.test_page_browser import _probe
from tests.support.servers import eventually

pytestmark = pytest.mark.slow

NOW = vn(2024, 10, 3, 9)
WHY = "chưa phát hiện văn bản thuộc loại này đến hạn đăng tải"


def figure(number: int, readiness: float, *signals: Signal) -> IndicatorChanged:
    return IndicatorChanged(
        indicator=number,
        readiness=readiness,
        previous=None,
        signals=signals,
        computed_at=NOW,
        occurred_at=NOW,
        event_id=uuid.uuid4(),
    )


async def test_the_page_shows_unknown_as_unknown(
    settings: Settings, database_url: str, private_nats: str, seed: Plan
) -> None:
    probed = [u.code for u in seed.portal_units()][:3]
    never = [u.code for u in seed.portal_units()][3:]
    async with running_reporting(settings, database_url, private_nats, seed, NOW) as reporting:
        await reporting.publish(
            *[_probe(seed, u) for u in probed],
            # Indicator 1: one signal known (60%), one without data (left out: readiness 0.6).
            figure(
                1,
                0.6,
                Signal(name="tasks_reported_done", value=0.6, weight=0.3, evidence="3/5"),
                Signal(
                    name="documents_posted_on_time",
                    value=0,
                    weight=0.4,
                    evidence=f"Chưa có dữ liệu ({WHY})",
                    has_data=False,
                    missing=WHY,
                ),
            ),
            # Indicator 2: nothing known at all.
            figure(
                2,
                0.0,
                Signal(
                    name="documents_posted_on_time",
                    value=0,
                    weight=1,
                    evidence=f"Chưa có dữ liệu ({WHY})",
                    has_data=False,
                    missing=WHY,
                ),
            ),
        )
        reader = await reporting.token("chu-tich")

        async def page() -> str | None:
            async with httpx.AsyncClient(base_url=reporting.url, timeout=60) as http:
                response = await http.get(
                    "/bao-cao-tong-hop", headers={"Authorization": f"Bearer {reader}"}
                )
            html = response.text
            ready = "60,0%" in html and seed.unit(probed[-1]).name in html
            return html if response.status_code == 200 and ready else None

        html = await eventually(page, timeout=60)
        indicators = html[html.index('id="chi-tieu"') : html.index('id="cong-ttdt"')]
        rows = indicators.split("<tr>")[2:]
        assert "60,0%" in rows[0] and WHY in rows[0]
        names = {s.code: s.name for s in seed.readiness_signals}
        assert names["documents_posted_on_time"] in rows[0]
        assert msg.NO_FIGURE in rows[1] and "0,0%" not in rows[1]
        assert "documents_posted_on_time" not in html
        portals = html[html.index('id="cong-ttdt"') : html.index('id="du-thao"')]
        for unit in never:
            row = next(r for r in portals.split("<tr") if seed.unit(unit).name in r)
            assert msg.NOT_CHECKED in row and "Không" not in row

        async with httpx.AsyncClient(base_url=reporting.url, timeout=60) as http:
            one = await http.get(
                f"/bao-cao-tong-hop/don-vi/{never[0]}",
                headers={"Authorization": f"Bearer {reader}"},
            )
        assert one.status_code == 200 and msg.NOT_CHECKED in one.text
