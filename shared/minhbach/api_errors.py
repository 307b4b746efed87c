"""Errors every service's HTTP API answers the same way, whatever route raised them.

A year the working-day calendar does not cover is the caller's input, not a fault: 422 with a
Vietnamese message, never a 500. Routes validate years up front (`FIRST_PLAN_YEAR` ..
`LAST_PLAN_YEAR`); this handler covers any date that reaches the calendar another way.
"""

from __future__ import annotations

from typing import Final

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from minhbach.calendar import FIRST_PLAN_YEAR, LAST_PLAN_YEAR, CalendarRangeError
from minhbach.observability.logging import get_logger

log = get_logger(__name__)

YEAR_OUT_OF_CALENDAR: Final = (
    f"Năm ngoài lịch ngày làm việc của hệ thống: chỉ phục vụ các năm {FIRST_PLAN_YEAR}–"
    f"{LAST_PLAN_YEAR}."
)


async def calendar_range_error(request: Request, error: Exception) -> JSONResponse:
    log.info("year outside the calendar", path=request.url.path, error=str(error))
    return JSONResponse({"errors": [{"field": "", "message": YEAR_OUT_OF_CALENDAR}]}, 422)


def install_api_errors(app: FastAPI) -> None:
    app.add_exception_handler(CalendarRangeError, calendar_range_error)
