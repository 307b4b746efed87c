"""The coordinator's page (Vietnamese, server-rendered, no JavaScript): the current period at a
glance, each unit's history, every draft (HTML view, .docx, PDF), and a form that imports a
plan from its .docx and unit .xlsx (`minhbach.plan_import`). Readers only (`access`)."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

from minhbach.calendar import TZ, format_vn_date_short, last_on_time_day
from minhbach.db.unit_of_work import UnitOfWork
from minhbach.plan_import.commands import check_count, import_bytes
from minhbach.plan_import.errors import ImportFailure
from minhbach.runtime import Runtime
from reporting import messages as msg
from reporting import service as use_cases
from reporting.access import COOKIE, Access, AccessDenied, Reader
from reporting.domain.corrections import (
    NOTE_LIMIT,
    RecordedCorrection,
    Refusal,
    kind_choices,
    kind_name,
    read_correction,
)
from reporting.drafting import draft_uuid
from reporting.monitor_client import Sent, send_correction
from reporting.templates import environment

PAGE_PREFIX = "/bao-cao-tong-hop"


def page_router(runtime: Runtime, access: Access) -> APIRouter:
    router = APIRouter(prefix=PAGE_PREFIX, include_in_schema=False)
    plan = runtime.plan
    uow = UnitOfWork(runtime.sessions, runtime.emit)
    choices = kind_choices(plan, msg.OTHER_KIND_NAME)
    section_names = {s.code: s.name for s in plan.portal_sections}

    def render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = (
            environment()
            .get_template(name)
            .render(
                prefix=PAGE_PREFIX,
                plan_title=plan.meta.title,
                unit_name=lambda code: plan.unit(code).name if plan.has_unit(code) else code,
                date=lambda moment: format_vn_date_short(moment.astimezone(TZ).date()),
                moment=lambda at: at.astimezone(TZ).strftime("%H:%M ngày %d/%m/%Y"),
                kind_choices=choices,
                kind_name=lambda code: kind_name(choices, code),
                section_name=lambda code: section_names.get(code, code),
                due_day=lambda due: format_vn_date_short(last_on_time_day(due)),
                percent=msg.percent,
                no_figure=msg.NO_FIGURE,
                not_checked=msg.NOT_CHECKED,
                has_portal=lambda code: plan.has_unit(code) and bool(plan.unit(code).portal),
                signal_names={s.code: s.name for s in plan.readiness_signals},
                period_label=msg.period_label,
                statuses=msg.STATUS_LABELS,
                problems=msg.PROBLEM_LABELS,
                draft_kinds={
                    kind: text.format(chairman=plan.chairman.name)
                    for kind, text in msg.DRAFT_KINDS.items()
                },
                words=plan.words,
                chairman=plan.chairman.name,
                triggers=msg.TRIGGERS,
                **context,
            )
        )
        return HTMLResponse(html, status_code=status_code)

    def refused(denied: AccessDenied) -> HTMLResponse:
        if denied.status_code == 401:
            return render("login.html", 401, error=denied.message)
        return render("refused.html", denied.status_code, error=denied.message)

    @router.get("")
    async def overview(request: Request) -> Response:
        try:
            reader = await access.reader(request)
        except AccessDenied as denied:
            return refused(denied)
        data = await use_cases.overview(uow, plan, runtime.clock.now())
        return render("overview.html", reader=reader, view=data, indicators=plan.indicators)

    @router.post("/dang-nhap")
    async def login(request: Request) -> Response:
        form = await request.form()
        token = str(form.get("token", "")).strip()
        try:
            await access.check(token)
        except AccessDenied as denied:
            return refused(denied)
        response = RedirectResponse(PAGE_PREFIX, status_code=303)
        response.set_cookie(
            COOKIE, token, httponly=True, samesite="strict", path=PAGE_PREFIX, max_age=8 * 3600
        )
        return response

    @router.post("/dang-xuat")
    async def logout() -> Response:
        response = RedirectResponse(PAGE_PREFIX, status_code=303)
        response.delete_cookie(COOKIE, path=PAGE_PREFIX)
        return response

    async def unit_page(
        reader: Reader,
        unit_code: str,
        status_code: int = 200,
        error: str | None = None,
        failed_id: str | None = None,
        corrected_id: str | None = None,
    ) -> Response:
        history = await use_cases.unit_history(uow, unit_code)
        tasks = {t.code: t for t in plan.tasks}
        done = None
        for doc in history.documents:
            if str(doc.document_id) == corrected_id and doc.correction is not None:
                done = msg.CORRECTION_DONE.format(
                    title=doc.title, kind=kind_name(choices, doc.correction.kind)
                )
        return render(
            "unit.html",
            status_code,
            reader=reader,
            history=history,
            tasks=tasks,
            error=error,
            failed_id=failed_id,
            done=done,
            note_limit=NOTE_LIMIT,
        )

    @router.get("/don-vi/{unit_code}")
    async def unit(request: Request, unit_code: str) -> Response:
        try:
            reader = await access.reader(request)
        except AccessDenied as denied:
            return refused(denied)
        if not plan.has_unit(unit_code):
            return render("refused.html", 404, error=msg.UNKNOWN_UNIT.format(code=unit_code))
        return await unit_page(reader, unit_code, corrected_id=request.query_params.get("da-sua"))

    @router.post("/van-ban/{document_id}/loai")
    async def correct_kind(request: Request, document_id: str) -> Response:
        """The focal unit (a reader) corrects a document's kind: sent to portal-monitor, which
        owns the kind and re-reads the portals posting it; recorded here (who, when) only once
        portal-monitor has accepted it. Anything wrong: a Vietnamese error, nothing changed."""
        try:
            reader = await access.reader(request)
        except AccessDenied as denied:
            return refused(denied)
        uid = _uuid(document_id)
        posting = None if uid is None else await use_cases.document_posting(uow, uid)
        if uid is None or posting is None:
            return render("refused.html", 404, reader=reader, error=msg.UNKNOWN_DOCUMENT)
        unit_code, current_kind = posting
        form = await request.form()
        read = read_correction(
            choices, current_kind, str(form.get("loai", "")), str(form.get("ghi_chu", ""))
        )
        if isinstance(read, Refusal):
            error = msg.CORRECTION_ERRORS[read.reason].format(limit=NOTE_LIMIT)
            return await unit_page(reader, unit_code, 422, error, document_id)
        who = reader.unit_code or ""
        sent = await send_correction(
            runtime.settings.portal_monitor_url,
            runtime.settings.portal_monitor_timeout_seconds,
            uid,
            read.kind,
            plan.unit(who).name if plan.has_unit(who) else who,
            read.note,
        )
        if sent is not Sent.ACCEPTED:
            status = {Sent.UNKNOWN_DOCUMENT: 404, Sent.REFUSED: 422}.get(sent, 503)
            error = msg.CORRECTION_ERRORS[str(sent)]
            return await unit_page(reader, unit_code, status, error, document_id)
        record = RecordedCorrection(read.kind, current_kind, who, runtime.clock.now(), read.note)
        await use_cases.record_correction(uow, uid, record)
        return RedirectResponse(
            f"{PAGE_PREFIX}/don-vi/{unit_code}?da-sua={uid}#van-ban-{uid}", status_code=303
        )

    @router.get("/du-thao/{draft_id}")
    async def draft(request: Request, draft_id: str) -> Response:
        try:
            reader = await access.reader(request)
        except AccessDenied as denied:
            return refused(denied)
        found = await _draft(runtime, draft_id, "html")
        if found is None:
            return render("refused.html", 404, error=msg.UNKNOWN_DRAFT)
        return render("draft.html", reader=reader, draft=found, document=found[0])

    @router.get("/du-thao/{draft_id}/{filename}")
    async def download(request: Request, draft_id: str, filename: str) -> Response:
        try:
            await access.reader(request)
        except AccessDenied as denied:
            return refused(denied)
        return await file_response(runtime, draft_id, filename.rpartition(".")[2])

    @router.get("/nhap-ke-hoach")
    async def import_form(request: Request) -> Response:
        try:
            reader = await access.reader(request)
        except AccessDenied as denied:
            return refused(denied)
        return render("import.html", reader=reader, keep=False, error=None, summary=None)

    @router.post("/nhap-ke-hoach")
    async def import_plan(request: Request) -> Response:
        """The two uploaded files -> the same summary and plan file as `minhbach plan import`;
        nothing is stored or changed."""
        try:
            reader = await access.reader(request)
        except AccessDenied as denied:
            return refused(denied)
        form = await request.form()
        keep = form.get("giu_ma") == "1"
        uploads = [form.get("ke_hoach"), form.get("don_vi")]
        files: list[tuple[bytes, str]] = []
        for upload in uploads:
            if not isinstance(upload, StarletteUpload) or not upload.filename:
                return _import_error(render, reader, keep, msg.IMPORT_MISSING_FILE)
            data = await upload.read(IMPORT_LIMIT_MB * 1024 * 1024 + 1)
            if len(data) > IMPORT_LIMIT_MB * 1024 * 1024:
                error = msg.IMPORT_TOO_LARGE.format(name=upload.filename, limit=IMPORT_LIMIT_MB)
                return _import_error(render, reader, keep, error)
            files.append((data, upload.filename))
        base = runtime.settings.plan_file.read_text(encoding="utf-8") if keep else None
        (docx, docx_name), (xlsx, xlsx_name) = files
        try:
            result = await asyncio.to_thread(import_bytes, docx, docx_name, xlsx, xlsx_name, base)
        except ImportFailure as failure:
            return _import_error(render, reader, keep, failure.message)
        return render(
            "import.html",
            reader=reader,
            keep=keep,
            error=None,
            summary=result.summary,
            text=result.text,
            checks=check_count(result.text),
            filename=f"ke-hoach-{result.plan.year}.yaml",
        )

    return router


IMPORT_LIMIT_MB = 10


def _import_error(render: Any, reader: Any, keep: bool, error: str) -> Response:
    response: Response = render(
        "import.html",
        422,
        reader=reader,
        keep=keep,
        error=error,
        not_written=msg.IMPORT_NOT_WRITTEN,
        summary=None,
    )
    return response


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


async def _draft(runtime: Runtime, draft_id: str, column: str) -> Any:
    uid = draft_uuid(draft_id)
    if uid is None:
        return None
    return await use_cases.draft_file(UnitOfWork(runtime.sessions, runtime.emit), uid, column)


MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


async def file_response(runtime: Runtime, draft_id: str, extension: str) -> Response:
    """A draft's .docx, PDF or .xlsx (its appendix) as a download named after the draft."""
    if extension not in MEDIA_TYPES:
        return _plain(404, msg.UNKNOWN_DRAFT)
    found = await _draft(runtime, draft_id, extension)
    if found is None:
        return _plain(404, msg.UNKNOWN_DRAFT)
    if found[0] is None:
        return _plain(404, msg.NO_XLSX if extension == "xlsx" else msg.NO_PDF)
    name = f"du-thao-{found.kind}-{found.period_key}-v{found.version_no}.{extension}"
    return Response(
        bytes(found[0]),
        media_type=MEDIA_TYPES[extension],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _plain(status_code: int, message: str) -> Response:
    return Response(message, status_code=status_code, media_type="text/plain; charset=utf-8")
