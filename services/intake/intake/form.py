"""The plain Vietnamese HTML form (no JavaScript): token first, then the unit's tasks pre-listed.

The token travels in a hidden field of each page (no cookie, so no cross-site request to
guard against); the form posts to the same use cases as the JSON API and shows the same
messages next to the fields they concern. A period already reported is amended (a new version).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError

from intake import messages as msg
from intake.auth import Caller, TokenVerifier
from intake.domain import FieldError, IntakeRules, Reporter, local_today
from intake.errors import IntakeError, from_pydantic
from intake.form_fields import (
    EVIDENCE_FIELDS,
    FormErrors,
    display_values,
    early_plan_errors,
    evidence_payload,
    form_errors,
    form_fields,
    report_payload,
    values_from_version,
)
from intake.models import EvidenceFilingIn, ReportIn, ReportReceipt
from intake.reads import Reads, VersionRow
from intake.service import Intake
from minhbach.events.catalogue import Period
from minhbach.periods import period_first_day, period_title

FORM_PREFIX = "/bao-cao"

templates = Environment(
    loader=PackageLoader("intake", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def form_router(intake: Intake, reads: Reads, verifier: TokenVerifier) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    plan = intake.rules.plan
    page_context = {
        "plan_title": plan.meta.title,
        "issuer": plan.meta.issuer,
        "prefix": FORM_PREFIX,
        "fix_errors": msg.FORM_FIX_ERRORS,
    }

    def render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = templates.get_template(name).render(**page_context, **context)
        return HTMLResponse(html, status_code=status_code)

    def start_page(status_code: int = 200, token_error: str | None = None) -> HTMLResponse:
        now = intake.clock.now()
        return render(
            "start.html",
            status_code,
            periods=[(p, period_title(p, plan.year)) for p in intake.rules.periods],
            default_period=_default_period(intake.rules, now),
            errors={"token": [token_error]} if token_error else {},
        )

    async def caller_for(token: str) -> Caller | None:
        unit_code = await verifier.unit_for(token) if token else None
        if unit_code is None:
            return None
        return Caller(unit_code, intake.rules.is_focal_unit(unit_code))

    @router.get("/", response_class=HTMLResponse)
    async def root() -> RedirectResponse:
        return RedirectResponse(FORM_PREFIX, status_code=303)

    @router.get(FORM_PREFIX, response_class=HTMLResponse)
    async def start() -> HTMLResponse:
        return start_page()

    @router.post(FORM_PREFIX + "/mo", response_class=HTMLResponse)
    async def open_form(request: Request) -> HTMLResponse:
        form = await form_fields(request)
        caller = await caller_for(form.get("token", ""))
        if caller is None:
            return start_page(401, msg.TOKEN_INVALID if form.get("token") else msg.TOKEN_MISSING)
        if form.get("action") == "evidence":
            return evidence_page(caller, form["token"], {})
        reporter: Reporter = "focal_unit" if form.get("consolidated") else "lead_units"
        refusal = intake.rules.filing_refusal(caller.unit_code, reporter)
        if refusal:
            return start_page(403, refusal)
        period = cast(
            Period, form.get("period") if form.get("period") in intake.rules.periods else "year"
        )
        current = await reads.current_version(caller, plan.year, period, reporter)
        return report_page(
            caller,
            form["token"],
            period,
            reporter,
            values_from_version(current.tasks) if current else {},
            current.analysis if current else "",
            FormErrors({}, []),
            amending_note=_amending_note(current),
        )

    @router.post(FORM_PREFIX + "/gui", response_class=HTMLResponse)
    async def submit_report(request: Request) -> HTMLResponse:
        form = await form_fields(request)
        caller = await caller_for(form.get("token", ""))
        if caller is None:
            return start_page(401, msg.TOKEN_INVALID)
        payload = report_payload(form)
        period = cast(
            Period, payload["period"] if payload["period"] in intake.rules.periods else "year"
        )
        reporter = cast(
            Reporter, payload["reporter"] if payload["reporter"] == "focal_unit" else "lead_units"
        )
        try:
            report = ReportIn.model_validate(payload)
            outcome = await intake.file_report(caller, report, amend_if_filed=True)
        except ValidationError as error:
            # Also say now what the plan's checks would say once the form is well-formed, so an
            # official fixes everything in one round instead of meeting new errors after each.
            errors = (*from_pydantic(error.errors()), *early_plan_errors(payload))
            status_code = 422
        except IntakeError as error:
            errors, status_code = error.errors, error.status_code
        else:
            return receipt_page(caller, outcome.body)
        current = await reads.current_version(caller, plan.year, period, reporter)
        return report_page(
            caller,
            form["token"],
            period,
            reporter,
            dict(enumerate(payload["tasks"])),
            str(payload["analysis"]),
            form_errors(errors, payload["tasks"]),
            status_code,
            amending_note=_amending_note(current),
        )

    @router.post(FORM_PREFIX + "/minh-chung", response_class=HTMLResponse)
    async def submit_evidence(request: Request) -> HTMLResponse:
        form = await form_fields(request)
        caller = await caller_for(form.get("token", ""))
        if caller is None:
            return start_page(401, msg.TOKEN_INVALID)
        payload = evidence_payload(form)
        try:
            filing = EvidenceFilingIn.model_validate(payload)
            await intake.file_evidence(caller, filing)
        except ValidationError as error:
            return evidence_page(caller, form["token"], form, from_pydantic(error.errors()), 422)
        except IntakeError as error:
            return evidence_page(caller, form["token"], form, error.errors, error.status_code)
        saved = msg.FORM_EVIDENCE_SAVED.format(code=filing.task_code)
        return evidence_page(caller, form["token"], {}, saved=saved)

    def report_page(
        caller: Caller,
        token: str,
        period: Period,
        reporter: Reporter,
        values: Mapping[int, Mapping[str, Any]],
        analysis: str,
        errors: FormErrors,
        status_code: int = 200,
        amending_note: str | None = None,
    ) -> HTMLResponse:
        tasks = intake.rules.expected_tasks(caller.unit_code, reporter)
        return render(
            "report.html",
            status_code,
            unit_name=plan.unit(caller.unit_code).name,
            reporter_label=msg.REPORTER_LABELS[reporter],
            period_label=msg.period_label(period, plan.year),
            due_text=_due_text(intake.rules, reporter, period),
            amending_note=amending_note,
            token=token,
            plan_year=plan.year,
            period=period,
            reporter=reporter,
            statuses=list(msg.STATUS_LABELS.items()),
            tasks=[
                {
                    "index": index,
                    "code": task.code,
                    "text": task.text,
                    "short_text": msg.shorten(task.text, 140),
                    "entered": display_values(values.get(index, {})),
                }
                for index, task in enumerate(tasks)
            ],
            analysis=analysis,
            errors=errors.by_field,
            general_errors=errors.general,
        )

    def receipt_page(caller: Caller, body: str) -> HTMLResponse:
        receipt = ReportReceipt.model_validate_json(body)
        return render(
            "receipt.html",
            201,
            receipt=receipt,
            unit_name=plan.unit(caller.unit_code).name,
            reporter_label=msg.REPORTER_LABELS[receipt.reporter],
            period_label=msg.period_label(receipt.period, receipt.plan_year),
            submitted_label=msg.local_time_label(receipt.submitted_at),
            due_text=msg.due_label(receipt.due_at),
            on_time_label=msg.on_time_label(receipt.on_time),
            not_done=msg.list_codes(receipt.not_done_task_codes),
        )

    def evidence_page(
        caller: Caller,
        token: str,
        values: Mapping[str, str],
        errors: Sequence[FieldError] = (),
        status_code: int = 200,
        saved: str | None = None,
    ) -> HTMLResponse:
        codes = sorted(intake.rules.involved_task_codes(caller.unit_code), key=_task_order)
        by_field: dict[str, list[str]] = {}
        shown = {"task_code", "evidence", "evidence.url", "evidence.document_number"}
        shown |= {"evidence.issued_on", "evidence.title", "note"}
        general = []
        for error in errors:
            if error.field in shown:
                by_field.setdefault(error.field, []).append(error.message)
            else:
                general.append(error.message)
        return render(
            "evidence.html",
            status_code,
            unit_name=plan.unit(caller.unit_code).name,
            token=token,
            plan_year=plan.year,
            tasks=[(code, f"{code}: {msg.shorten(plan.task(code).text, 90)}") for code in codes],
            values={key: values.get(key, "") for key in EVIDENCE_FIELDS},
            errors=by_field,
            general_errors=general,
            saved=saved,
        )

    return router


def _task_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


def _default_period(rules: IntakeRules, now: datetime) -> Period:
    """The started period whose lead-unit report falls due next (else the last started one)."""
    today = local_today(now)
    year = rules.year
    started = [p for p in rules.periods if period_first_day(year, p) <= today] or [
        rules.periods[0] if rules.periods else "year"
    ]
    upcoming = []
    for period in started:
        due = rules.due("lead_units", period, year)
        if due is not None and due.due_at > now:
            upcoming.append((due.due_at, period))
    return min(upcoming)[1] if upcoming else started[-1]


def _due_text(rules: IntakeRules, reporter: Reporter, period: Period) -> str:
    due = rules.due(reporter, period, rules.year)
    return msg.due_label(due.due_at) if due else ""


def _amending_note(current: VersionRow | None) -> str | None:
    if current is None:
        return None
    return msg.FORM_AMENDING.format(
        version=current.version_no,
        when=msg.local_time_label(current.submitted_at),
        next_version=current.version_no + 1,
    )
