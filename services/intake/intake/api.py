"""The JSON API under /api/v1 (OpenAPI at /openapi.json). Thin: the use cases are in service.py
(filing) and reads.py (reading back); the routes are given them, and the caller, by deps.py."""

from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from intake import messages as msg
from intake.deps import CurrentCaller, IntakeDep, ReadsDep, current_caller
from intake.domain import FieldError
from intake.domain.idempotency import Outcome
from intake.errors import IntakeError, errors_body, from_pydantic
from intake.metrics import EVIDENCE_REJECTED, REPORTS_REJECTED
from intake.middleware import BodyTooLarge, too_large_error
from intake.models import (
    ErrorsOut,
    EvidenceFilingIn,
    EvidenceReceipt,
    ReportDetail,
    ReportIn,
    ReportReceipt,
    ReportSummary,
    ReportVersionOut,
    UnitOut,
    UnitStatus,
)
from minhbach.calendar import FIRST_PLAN_YEAR, LAST_PLAN_YEAR

API_PREFIX = "/api/v1"

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorsOut, "description": description}
    for status, description in {
        401: "Missing or wrong token",
        403: "Another unit's data, or a report this unit does not file",
        404: "Not found",
        413: "Request body too large",
        422: "Invalid request; each error names its field",
    }.items()
}

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Retrying a POST with the same key returns the first answer.",
    ),
]
UnitQuery = Annotated[str | None, Query(alias="unit", max_length=64)]
YearQuery = Annotated[int | None, Query(ge=FIRST_PLAN_YEAR, le=LAST_PLAN_YEAR)]


M = TypeVar("M", bound=BaseModel)
BODY_MODELS: tuple[type[BaseModel], ...] = (ReportIn, EvidenceFilingIn)


def json_body(model: type[M]) -> Any:
    """The request body parsed by pydantic straight from the bytes (faster than FastAPI's
    json.loads then validation); errors take FastAPI's usual path, with `body` in the location."""

    async def parse(request: Request) -> M:
        try:
            return model.model_validate_json(await request.body())
        except ValidationError as error:
            located = [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
            raise RequestValidationError(located) from None

    return Depends(parse)


ReportBody = Annotated[ReportIn, json_body(ReportIn)]
EvidenceBody = Annotated[EvidenceFilingIn, json_body(EvidenceFilingIn)]


def _request_body(model: type[BaseModel]) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def add_body_schemas(app: FastAPI) -> None:
    """Put the body models (parsed by `json_body`, so unseen by FastAPI) in the OpenAPI document."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            _, definitions = models_json_schema(
                [(model, "validation") for model in BODY_MODELS],
                ref_template="#/components/schemas/{model}",
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for name, schema in definitions.get("$defs", {}).items():
                schemas.setdefault(name, schema)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# Authentication first: a router dependency is solved before the route's own parameters and body,
# so a request without a valid token is a 401 whatever its body, path or query; the routes'
# `caller` parameters reuse this result (FastAPI caches a dependency per request).
router = APIRouter(
    prefix=API_PREFIX,
    tags=["intake"],
    responses=_ERRORS,
    dependencies=[Depends(current_caller)],
)


@router.get("/me", response_model=UnitOut, summary="The calling unit and its tasks")
async def me(caller: CurrentCaller, reads: ReadsDep) -> UnitOut:
    return reads.unit_info(caller)


@router.post(
    "/reports",
    status_code=201,
    response_model=ReportReceipt,
    responses={409: {"model": ErrorsOut, "description": "Period already reported: amend"}},
    summary="File a periodic report (quarter, half year, nine months or year)",
    openapi_extra=_request_body(ReportIn),
)
async def file_report(
    report: ReportBody,
    caller: CurrentCaller,
    intake: IntakeDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    outcome = await intake.file_report(caller, report, idempotency_key=idempotency_key)
    return _respond(outcome)


@router.post(
    "/reports/{report_id}/versions",
    status_code=201,
    response_model=ReportReceipt,
    summary="Amend a report: a new version; earlier versions stay readable",
    openapi_extra=_request_body(ReportIn),
)
async def amend_report(
    report_id: UUID,
    report: ReportBody,
    caller: CurrentCaller,
    intake: IntakeDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    outcome = await intake.file_report(
        caller, report, amend_report_id=report_id, idempotency_key=idempotency_key
    )
    return _respond(outcome)


@router.get("/reports", response_model=list[ReportSummary], summary="Reports and their state")
async def list_reports(
    caller: CurrentCaller, reads: ReadsDep, unit: UnitQuery = None, plan_year: YearQuery = None
) -> list[ReportSummary]:
    return await reads.list_reports(caller, unit, plan_year)


@router.get("/reports/{report_id}", response_model=ReportDetail, summary="One report")
async def report_detail(report_id: UUID, caller: CurrentCaller, reads: ReadsDep) -> ReportDetail:
    return await reads.report_detail(caller, report_id)


@router.get(
    "/reports/{report_id}/versions/{version_no}",
    response_model=ReportVersionOut,
    summary="One version of a report",
)
async def report_version(
    report_id: UUID,
    version_no: Annotated[int, Path(ge=1, le=100_000)],
    caller: CurrentCaller,
    reads: ReadsDep,
) -> ReportVersionOut:
    return await reads.report_version(caller, report_id, version_no)


@router.get(
    "/units/{unit_code}/status",
    response_model=UnitStatus,
    summary="Every report the unit owes this year: on time, late, overdue, missing tasks",
)
async def unit_status(
    unit_code: Annotated[str, Path(max_length=64)],
    caller: CurrentCaller,
    intake: IntakeDep,
    reads: ReadsDep,
    plan_year: YearQuery = None,
) -> UnitStatus:
    year = plan_year or intake.rules.year
    return await reads.unit_status(caller, unit_code, year)


@router.post(
    "/evidence",
    status_code=201,
    response_model=EvidenceReceipt,
    summary="File evidence for one task (a posted document)",
    openapi_extra=_request_body(EvidenceFilingIn),
)
async def file_evidence(
    filing: EvidenceBody,
    caller: CurrentCaller,
    intake: IntakeDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    outcome = await intake.file_evidence(caller, filing, idempotency_key=idempotency_key)
    return _respond(outcome)


@router.get("/evidence", response_model=list[EvidenceReceipt], summary="Evidence filed")
async def list_evidence(
    caller: CurrentCaller, reads: ReadsDep, unit: UnitQuery = None, plan_year: YearQuery = None
) -> list[EvidenceReceipt]:
    return await reads.list_evidence(caller, unit, plan_year)


def _respond(outcome: Outcome) -> Response:
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
    return Response(
        outcome.body,
        status_code=outcome.status_code,
        media_type="application/json",
        headers=headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Every error of the API has the shape `{"errors": [{"field", "message"}]}`."""

    @app.exception_handler(IntakeError)
    async def intake_error(request: Request, error: IntakeError) -> Response:
        if not getattr(error, "counted", False):
            _count_outside_service(request, error.errors)
        return _json(error.status_code, error.errors, error.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        errors = from_pydantic(error.errors())
        _count_outside_service(request, errors)
        return _json(422, errors)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if isinstance(error, BodyTooLarge):
            errors: tuple[FieldError, ...] = (too_large_error(error.limit),)
            _count_outside_service(request, errors)
        else:
            message = msg.NOT_FOUND if error.status_code == 404 else msg.INVALID
            errors = (FieldError("", message, "http"),)
        return _json(error.status_code, errors, error.headers)


def _json(status_code: int, errors: tuple[FieldError, ...], headers: Any = None) -> JSONResponse:
    return JSONResponse(errors_body(errors), status_code=status_code, headers=headers)


def _count_outside_service(request: Request, errors: tuple[FieldError, ...]) -> None:
    """Refusals before the use case ran (token, schema, size) still count as rejections."""
    if request.method != "POST":
        return
    path = request.url.path
    counter = EVIDENCE_REJECTED if path.endswith("/evidence") else REPORTS_REJECTED
    for reason in sorted({error.reason for error in errors}):
        counter.labels(reason).inc()
