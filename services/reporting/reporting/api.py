"""The JSON API (under /api/v1/): the drafts, their sources and their files. Readers, or the
notifier's service token for the files."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from minhbach.db.unit_of_work import UnitOfWork
from minhbach.runtime import Runtime
from reporting import messages as msg
from reporting import service as use_cases
from reporting.access import Access, AccessDenied
from reporting.page import file_response


class DraftOut(BaseModel):
    draft_id: UUID
    kind: str
    period_key: str
    version_no: int
    trigger: str
    title: str
    drafted_at: datetime
    missing_units: list[str]
    docx_path: str
    pdf_path: str | None
    xlsx_path: str | None  # the appendix's tables as a spreadsheet (consolidated reports)
    html_path: str


class DraftSources(BaseModel):
    draft_id: UUID
    sources: dict[str, Any]


def api_router(runtime: Runtime, access: Access, page_prefix: str) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["reporting"])
    uow = UnitOfWork(runtime.sessions, runtime.emit)

    @router.get("/drafts", response_model=list[DraftOut])
    async def list_drafts(request: Request) -> Any:
        """Every drafted version, newest first."""
        try:
            await access.reader(request)
        except AccessDenied as denied:
            return _denied(denied)
        rows = await use_cases.list_drafts(uow)
        return [
            DraftOut(
                draft_id=r.draft_id,
                kind=r.kind,
                period_key=r.period_key,
                version_no=r.version_no,
                trigger=r.trigger,
                title=r.title,
                drafted_at=r.drafted_at,
                missing_units=r.missing_units,
                docx_path=f"/api/v1/drafts/{r.draft_id}.docx",
                pdf_path=f"/api/v1/drafts/{r.draft_id}.pdf" if r.has_pdf else None,
                xlsx_path=f"/api/v1/drafts/{r.draft_id}.xlsx" if r.has_xlsx else None,
                html_path=f"{page_prefix}/du-thao/{r.draft_id}",
            )
            for r in rows
        ]

    @router.get("/drafts/{draft_id}/sources", response_model=DraftSources)
    async def sources(request: Request, draft_id: str) -> Any:
        """The events a draft was built from (report versions, figures, probes, documents)."""
        try:
            await access.reader(request)
        except AccessDenied as denied:
            return _denied(denied)
        try:
            uid = UUID(draft_id)
        except ValueError:
            return _denied(AccessDenied(404, msg.UNKNOWN_DRAFT))
        found = await use_cases.draft_sources(uow, uid)
        if found is None:
            return _denied(AccessDenied(404, msg.UNKNOWN_DRAFT))
        return DraftSources(draft_id=uid, sources=found)

    @router.get("/drafts/{filename}")
    async def draft_file(request: Request, filename: str) -> Response:
        """`{draft_id}.docx`, `{draft_id}.pdf` or `{draft_id}.xlsx`."""
        try:
            await access.reader(request, service_allowed=True)
        except AccessDenied as denied:
            return _denied(denied)
        draft_id, _, extension = filename.rpartition(".")
        return await file_response(runtime, draft_id, extension)

    return router


def _denied(denied: AccessDenied) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if denied.status_code == 401 else None
    return JSONResponse(
        {"errors": [{"field": "authorization", "message": denied.message}]},
        status_code=denied.status_code,
        headers=headers,
    )
