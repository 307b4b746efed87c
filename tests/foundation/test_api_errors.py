"""A year the calendar cannot serve, reached by any route of any service, is a 422, not a 500."""

from __future__ import annotations

from datetime import date

import httpx
from fastapi import FastAPI

from minhbach.api_errors import install_api_errors
from minhbach.calendar import WorkingCalendar
from tests.support.servers import serving


async def test_a_calendar_range_error_anywhere_in_a_route_is_a_vietnamese_422() -> None:
    app = FastAPI()
    install_api_errors(app)

    @app.get("/deadline/{year}")
    async def deadline(year: int) -> dict[str, str]:
        calendar = WorkingCalendar()
        return {"day": calendar.add_working_days(date(year, 1, 2), 1).isoformat()}

    async with serving(app) as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/deadline/2150")
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert "Năm ngoài lịch ngày làm việc" in message and "2001–2099" in message
