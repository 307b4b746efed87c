"""The plain Vietnamese HTML form (no JavaScript): token first, then the unit's tasks pre-listed.

The token travels in a hidden field of each page (no cookie, so no cross-site request to
guard against); the form posts to the same use cases as the JSON API and shows the same
messages next to the fields they concern. A period already reported is amended (a new version).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError

from intake import messages as msg
from intake.auth import Caller
from intake.deps import FormCaller, FormFields, IntakeDep, ReadsDep
from intake.domain import FieldError, IntakeRules, Reporter, local_today
from intake.errors import IntakeError, from_pydantic
from intake.form_fields import (
    EVIDENCE_FIELDS,
    FormErrors,
    display_values,
    early_plan_errors,
    evidence_payload,
    form_errors,
    report_payload,
    values_from_version,
)
from intake.models import EvidenceFilingIn, ReportIn, ReportReceipt
from intake.reads import Reads, VersionRow
from intake.service import Intake
from minhbach.events.catalogue import Period
from minhbach.periods import period_first_day, period_title
from minhbach.plan import Plan, Task

FORM_PREFIX = "/bao-cao"

templates = Environment(
    loader=PackageLoader("intake", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_EVIDENCE_SHOWN = frozenset(
    {"task_code", "evidence", "evidence.url", "evidence.document_number"}
    | {"evidence.issued_on", "evidence.title", "note"}
)


router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def root() -> RedirectResponse:
    return RedirectResponse(FORM_PREFIX, status_code=303)


@router.get(FORM_PREFIX, response_class=HTMLResponse)
async def start(intake: IntakeDep) -> HTMLResponse:
    return start_page(intake)


@router.post(FORM_PREFIX + "/mo", response_class=HTMLResponse)
async def open_form(
    form: FormFields, caller: FormCaller, intake: IntakeDep, reads: ReadsDep
) -> HTMLResponse:
    if caller is None:
        return start_page(
            intake, 401, msg.TOKEN_INVALID if form.get("token") else msg.TOKEN_MISSING
        )
    rules = intake.rules
    if form.get("action") == "evidence":
        return evidence_page(rules, caller, form["token"], {})
    reporter: Reporter = "focal_unit" if form.get("consolidated") else "lead_units"
    refusal = rules.filing_refusal(caller.unit_code, reporter)
    if refusal:
        return start_page(intake, 403, refusal)
    period = _period(rules, form.get("period"))
    current = await reads.current_version(caller, rules.plan.year, period, reporter)
    values = values_from_version(current.tasks) if current else {}
    analysis = current.analysis if current else ""
    sheet = Sheet(form["token"], period, reporter, values, analysis, current)
    return report_page(rules, caller, sheet, FormErrors({}, []))


@router.post(FORM_PREFIX + "/gui", response_class=HTMLResponse)
async def submit_report(
    form: FormFields, caller: FormCaller, intake: IntakeDep, reads: ReadsDep
) -> HTMLResponse:
    if caller is None:
        return start_page(intake, 401, msg.TOKEN_INVALID)
    payload = report_payload(form)
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
        return receipt_page(intake.rules.plan, caller, outcome.body)
    return await refused_report_page(
        intake.rules, reads, caller, form["token"], payload, errors, status_code
    )


@router.post(FORM_PREFIX + "/minh-chung", response_class=HTMLResponse)
async def submit_evidence(form: FormFields, caller: FormCaller, intake: IntakeDep) -> HTMLResponse:
    if caller is None:
        return start_page(intake, 401, msg.TOKEN_INVALID)
    rules, token = intake.rules, form["token"]
    payload = evidence_payload(form)
    try:
        filing = EvidenceFilingIn.model_validate(payload)
        await intake.file_evidence(caller, filing)
    except ValidationError as error:
        return evidence_page(rules, caller, token, form, from_pydantic(error.errors()), 422)
    except IntakeError as error:
        return evidence_page(rules, caller, token, form, error.errors, error.status_code)
    saved = msg.FORM_EVIDENCE_SAVED.format(code=filing.task_code)
    return evidence_page(rules, caller, token, {}, saved=saved)


@dataclass(frozen=True)
class Sheet:
    """What the report page shows in its fields: the period and reporter, the values entered (or
    of the version on file) and the version it amends, if any."""

    token: str
    period: Period
    reporter: Reporter
    values: Mapping[int, Mapping[str, Any]]
    analysis: str
    current: VersionRow | None


def render(plan: Plan, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page of the form, with what every page shows (the plan's title and issuer)."""
    html = templates.get_template(name).render(
        plan_title=plan.meta.title,
        issuer=plan.meta.issuer,
        prefix=FORM_PREFIX,
        fix_errors=msg.FORM_FIX_ERRORS,
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def start_page(
    intake: Intake, status_code: int = 200, token_error: str | None = None
) -> HTMLResponse:
    rules = intake.rules
    return render(
        rules.plan,
        "start.html",
        status_code,
        periods=[(p, period_title(p, rules.plan.year)) for p in rules.periods],
        default_period=_default_period(rules, intake.clock.now()),
        errors={"token": [token_error]} if token_error else {},
    )


def report_page(
    rules: IntakeRules, caller: Caller, sheet: Sheet, errors: FormErrors, status_code: int = 200
) -> HTMLResponse:
    plan = rules.plan
    tasks = rules.expected_tasks(caller.unit_code, sheet.reporter)
    return render(
        plan,
        "report.html",
        status_code,
        unit_name=plan.unit(caller.unit_code).name,
        reporter_label=msg.REPORTER_LABELS[sheet.reporter],
        period_label=msg.period_label(sheet.period, plan.year),
        due_text=_due_text(rules, sheet.reporter, sheet.period),
        amending_note=_amending_note(sheet.current),
        token=sheet.token,
        plan_year=plan.year,
        period=sheet.period,
        reporter=sheet.reporter,
        statuses=list(msg.STATUS_LABELS.items()),
        tasks=_task_rows(tasks, sheet.values),
        analysis=sheet.analysis,
        errors=errors.by_field,
        general_errors=errors.general,
    )


async def refused_report_page(
    rules: IntakeRules,
    reads: Reads,
    caller: Caller,
    token: str,
    payload: Mapping[str, Any],
    errors: Sequence[FieldError],
    status_code: int,
) -> HTMLResponse:
    """The report page again, with what was entered and why it was refused."""
    period = _period(rules, payload["period"])
    reporter = cast(
        Reporter, payload["reporter"] if payload["reporter"] == "focal_unit" else "lead_units"
    )
    current = await reads.current_version(caller, rules.plan.year, period, reporter)
    values = dict(enumerate(payload["tasks"]))
    sheet = Sheet(token, period, reporter, values, str(payload["analysis"]), current)
    return report_page(rules, caller, sheet, form_errors(errors, payload["tasks"]), status_code)


def receipt_page(plan: Plan, caller: Caller, body: str) -> HTMLResponse:
    receipt = ReportReceipt.model_validate_json(body)
    return render(
        plan,
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
    rules: IntakeRules,
    caller: Caller,
    token: str,
    values: Mapping[str, str],
    errors: Sequence[FieldError] = (),
    status_code: int = 200,
    saved: str | None = None,
) -> HTMLResponse:
    plan = rules.plan
    codes = sorted(rules.involved_task_codes(caller.unit_code), key=_task_order)
    by_field, general = _evidence_errors(errors)
    return render(
        plan,
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


def _task_rows(
    tasks: Sequence[Task], values: Mapping[int, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    return [
        {
            "index": index,
            "code": task.code,
            "text": task.text,
            "short_text": msg.shorten(task.text, 140),
            "entered": display_values(values.get(index, {})),
        }
        for index, task in enumerate(tasks)
    ]


def _evidence_errors(errors: Sequence[FieldError]) -> tuple[dict[str, list[str]], list[str]]:
    """Errors by the evidence form's field they are shown next to, and the rest (on top)."""
    by_field: dict[str, list[str]] = {}
    general = []
    for error in errors:
        if error.field in _EVIDENCE_SHOWN:
            by_field.setdefault(error.field, []).append(error.message)
        else:
            general.append(error.message)
    return by_field, general


def _period(rules: IntakeRules, value: object) -> Period:
    """The period a form names, or the year when it names none the plan asks for."""
    return value if value in rules.periods else "year"


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
