"""The read API (JSON, under /api/v1/): indicators with their explanations, overall readiness
next to the target, units with their records and ranking, the obligations ledger, history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, StringConstraints

from minhbach.events.catalogue import ObligationKind, ObligationStatus
from minhbach.plan import Target
from scoring import messages
from scoring.domain.obligations import Obligation
from scoring.domain.records import StatusCounts, UnitRecord
from scoring.scorer import Scorer
from scoring.service import LedgerFilter, ScoringService

MAX_PAGE = 1000
# A filter value PostgreSQL can compare: bounded, and without NUL (which it cannot store).
FilterText = Annotated[str, StringConstraints(max_length=200, pattern="^[^\\x00]*$")]
MAX_OFFSET = 10_000_000  # far past any ledger; a bigger number would overflow PostgreSQL's bigint


class EvidenceItemOut(BaseModel):
    label: str
    ok: bool | None  # None: not checked yet ("chưa kiểm tra"), counted nowhere
    ref: str | None = None


class SignalOut(BaseModel):
    code: str
    name: str
    value: float
    weight: float
    evidence: str
    items: list[EvidenceItemOut] = []
    # False: "Chưa có dữ liệu", left out of the readiness (weights renormalised over the
    # others); `missing` says why (decision 0014).
    has_data: bool = True
    missing: str | None = None


class LastChangeOut(BaseModel):
    """The figure as last announced (`scoring.indicator.changed`) and what caused it."""

    readiness: float
    computed_at: datetime
    caused_by: UUID | None


class IndicatorOut(BaseModel):
    number: int
    title: str
    target: Target | None
    readiness: float
    has_data: bool  # False: no signal has data, the readiness 0 says nothing
    signals: list[SignalOut]
    computed_at: datetime
    last_change: LastChangeOut | None


class ReadinessOut(BaseModel):
    readiness: float
    target: Target
    target_share: float
    meets_target_share: bool | None  # None: some indicator has no data, it cannot be said
    indicators: dict[int, float]
    indicators_without_data: list[int]  # left out of the mean
    note: str


class HistoryPoint(BaseModel):
    readiness: float
    signals: dict[str, float]
    computed_at: datetime
    caused_by: UUID | None


class CountsOut(BaseModel):
    pending: int
    due_soon: int
    overdue: int
    fulfilled_on_time: int
    fulfilled_late: int


class UnitOut(BaseModel):
    unit_code: str
    name: str
    kind: str
    rank: int | None
    score: float | None
    obligations: CountsOut
    portal_checks_passed: int
    portal_checks_total: int


class ObligationOut(BaseModel):
    obligation_id: str
    unit_code: str
    kind: ObligationKind
    title: str
    due_at: datetime
    due_soon_at: datetime
    status: ObligationStatus
    status_label: str
    task_code: str | None
    period: str | None
    document_kind: str | None
    document_url: str | None
    fulfilled_at: datetime | None
    fulfilled_by: str | None


class ObligationPage(BaseModel):
    total: int
    items: list[ObligationOut]


def _scoring(request: Request) -> ScoringService:
    scoring: ScoringService = request.app.state.scoring
    return scoring


def _scorer(request: Request) -> Scorer:
    scorer: Scorer = request.app.state.scorer
    return scorer


def _counts(c: StatusCounts) -> CountsOut:
    return CountsOut(
        pending=c.pending,
        due_soon=c.due_soon,
        overdue=c.overdue,
        fulfilled_on_time=c.fulfilled_on_time,
        fulfilled_late=c.fulfilled_late,
    )


def _unit_out(r: UnitRecord) -> UnitOut:
    return UnitOut(
        unit_code=r.unit_code,
        name=r.name,
        kind=r.kind,
        rank=r.rank,
        score=r.score,
        obligations=_counts(r.counts),
        portal_checks_passed=r.checks_passed,
        portal_checks_total=r.checks_total,
    )


router = APIRouter(prefix="/api/v1", tags=["scoring"])


async def _indicators(request: Request) -> list[IndicatorOut]:
    """Figures computed now, with every signal's evidence items, next to the last announced."""
    scorer = _scorer(request)
    current = await _scoring(request).current_figures()
    now = current.computed_at
    out = []
    for figure in current.figures:
        indicator = scorer.plan.indicator(figure.indicator)
        row = current.last.get(figure.indicator)
        out.append(
            IndicatorOut(
                number=figure.indicator,
                title=indicator.title,
                target=indicator.target,
                readiness=figure.readiness,
                has_data=figure.has_data,
                signals=[
                    SignalOut(
                        code=s.code,
                        name=s.name,
                        value=s.value,
                        weight=s.weight,
                        evidence=s.evidence,
                        items=[EvidenceItemOut(label=i.label, ok=i.ok, ref=i.ref) for i in s.items],
                        has_data=s.has_data,
                        missing=s.missing or None,
                    )
                    for s in figure.signals
                ],
                computed_at=now,
                last_change=LastChangeOut(
                    readiness=row.readiness, computed_at=row.computed_at, caused_by=row.caused_by
                )
                if row
                else None,
            )
        )
    return out


@router.get("/indicators", response_model=list[IndicatorOut])
async def list_indicators(request: Request) -> list[IndicatorOut]:
    """Every indicator's readiness with its signals and the evidence behind each."""
    return await _indicators(request)


@router.get("/indicators/{number}", response_model=IndicatorOut)
async def get_indicator(request: Request, number: int) -> IndicatorOut:
    for indicator in await _indicators(request):
        if indicator.number == number:
            return indicator
    raise HTTPException(404, messages.NO_SUCH_INDICATOR.format(number=number))


@router.get("/indicators/{number}/history", response_model=list[HistoryPoint])
async def indicator_history(
    request: Request,
    number: int,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 200,
) -> list[HistoryPoint]:
    """The indicator's figure each time it moved, oldest first (the latest `limit` points)."""
    if number not in _scorer(request).all_indicators:
        raise HTTPException(404, messages.NO_SUCH_INDICATOR.format(number=number))
    points = await _scoring(request).history(number, limit)
    return [HistoryPoint.model_validate(point, from_attributes=True) for point in points]


@router.get("/readiness", response_model=ReadinessOut)
async def overall_readiness(request: Request) -> ReadinessOut:
    """The mean readiness of the indicators that have data next to the plan's overall target."""
    indicators = await _indicators(request)
    scorer = _scorer(request)
    known = [i.readiness for i in indicators if i.has_data]
    target = scorer.plan.meta.overall_target
    readiness = round(sum(known) / len(known), 6) if known else 0.0
    return ReadinessOut(
        readiness=readiness,
        target=target,
        target_share=round(target.share, 6),
        meets_target_share=None
        if any(not i.has_data for i in indicators)
        else target.is_met_by_share(readiness),
        indicators={i.number: i.readiness for i in indicators},
        indicators_without_data=[i.number for i in indicators if not i.has_data],
        note=messages.readiness_note(scorer.plan.words.place),
    )


async def _records(request: Request) -> list[UnitRecord]:
    return await _scoring(request).unit_records()


@router.get("/units", response_model=list[UnitOut])
async def list_units(request: Request) -> list[UnitOut]:
    """Each unit's record (obligations by status, portal checks) ranked best first."""
    return [_unit_out(r) for r in await _records(request)]


@router.get("/units/{unit_code}", response_model=UnitOut)
async def get_unit(request: Request, unit_code: str) -> UnitOut:
    for record in await _records(request):
        if record.unit_code == unit_code:
            return _unit_out(record)
    raise HTTPException(404, messages.NO_SUCH_UNIT.format(unit=unit_code))


@router.get("/obligations", response_model=ObligationPage)
async def list_obligations(
    request: Request,
    status: Annotated[list[ObligationStatus] | None, Query()] = None,
    unit: Annotated[list[FilterText] | None, Query()] = None,
    kind: Annotated[list[ObligationKind] | None, Query()] = None,
    period: Annotated[list[FilterText] | None, Query()] = None,
    task: Annotated[list[FilterText] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ObligationPage:
    """The ledger, with statuses as of now; filters combine (AND), repeated values are OR."""
    where = LedgerFilter(status or (), unit or (), kind or (), period or (), task or ())
    found = await _scoring(request).obligations(where, limit, offset)
    return ObligationPage(total=found.total, items=[_obligation_out(*item) for item in found.items])


def _obligation_out(ob: Obligation, status: ObligationStatus) -> ObligationOut:
    return ObligationOut(
        obligation_id=ob.obligation_id,
        unit_code=ob.unit_code,
        kind=ob.kind,
        title=ob.title,
        due_at=ob.due_at,
        due_soon_at=ob.due_soon_at,
        status=status,
        status_label=messages.OBLIGATION_STATUS[status],
        task_code=ob.task_code,
        period=ob.period,
        document_kind=ob.document_kind,
        document_url=ob.document_url,
        fulfilled_at=ob.fulfilled_at,
        fulfilled_by=ob.fulfilled_by,
    )
