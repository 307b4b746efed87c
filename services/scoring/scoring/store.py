"""The scoring schema as seen by the service: projections in, derived ledger and figures out.

Thin: rows to facts and back, a few bounded queries, and the diff that decides which
obligations and figures changed (and so which events leave). Every rule lives in the pure
modules.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Row, and_, bindparam, delete, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from minhbach.events.catalogue import (
    IndicatorChanged,
    ObligationChanged,
    ObligationKind,
    ObligationStatus,
    ProbeOutcome,
    Signal,
    TaskStatus,
)
from scoring import db
from scoring.facts import CheckFact, DocumentFact, EvidenceFact, Facts, ProbeFact, ReportFact
from scoring.obligations import Obligation, derive_status
from scoring.readiness import (
    AVAILABILITY_DAYS,
    IndicatorFigure,
    ReadinessInputs,
    ReadinessModel,
    SignalFigure,
    TaskState,
)

# One writer at a time: the ledger and the figures are read, recomputed and written as a whole.
LOCK_KEY = 0x5C0_21_1E  # arbitrary, unique to scoring
MOVE_EPSILON = 1e-9


# Statements of the per-event path, built once (building them is most of SQLAlchemy's cost).
_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_INSERT_EVIDENCE = pg_insert(db.evidence).on_conflict_do_nothing()
_INSERT_PROBE = pg_insert(db.probes).on_conflict_do_nothing()
_OBLIGATIONS_BY_ID = select(db.obligations).where(
    db.obligations.c.obligation_id.in_(bindparam("ids", expanding=True))
)


# The report path in two round trips instead of five (the consumer handles one event at a
# time, so round trips, not CPU, bound its rate): the fact is stored while the lock is taken;
# then task states are merged while the unit's obligations are read, after the lock is held.
_SAVE_REPORT_AND_LOCK = text(
    f"""
    WITH saved AS (
        INSERT INTO {db.SCHEMA}.reports (report_id, version_no, unit_code, plan_year, period,
            reporter, rule_code, submitted_at, first_submitted_at, tasks)
        VALUES (:report_id, :version_no, :unit_code, :plan_year, :period, :reporter, :rule_code,
            :submitted_at, :first_submitted_at, CAST(:tasks AS jsonb))
        ON CONFLICT DO NOTHING
    )
    SELECT pg_advisory_xact_lock(:key)
    """
)
_MERGE_STATES_AND_READ_OBLIGATIONS = text(
    f"""
    WITH merged AS (
        INSERT INTO {db.SCHEMA}.task_states AS old
            (task_code, unit_code, status, report_id, reported_at, version_no)
        SELECT task_code, unit_code, status, report_id, reported_at, version_no
        FROM jsonb_to_recordset(CAST(:states AS jsonb)) AS r(task_code text, unit_code text,
            status text, report_id uuid, reported_at timestamptz, version_no int)
        ON CONFLICT (task_code, unit_code) DO UPDATE SET status = EXCLUDED.status,
            report_id = EXCLUDED.report_id, reported_at = EXCLUDED.reported_at,
            version_no = EXCLUDED.version_no
        WHERE (EXCLUDED.reported_at, EXCLUDED.version_no, EXCLUDED.report_id)
            > (old.reported_at, old.version_no, old.report_id)
    )
    SELECT * FROM {db.SCHEMA}.obligations WHERE obligation_id = ANY(:ids)
    """
)


async def save_report_and_lock(session: AsyncSession, fact: ReportFact) -> None:
    """Store the report and take scoring's lock, in one round trip."""
    await session.execute(
        _SAVE_REPORT_AND_LOCK,
        {
            "report_id": fact.report_id,
            "version_no": fact.version_no,
            "unit_code": fact.unit_code,
            "plan_year": fact.plan_year,
            "period": fact.period,
            "reporter": fact.reporter,
            "rule_code": fact.rule_code,
            "submitted_at": fact.submitted_at,
            "first_submitted_at": fact.first_submitted_at,
            "tasks": json.dumps([list(pair) for pair in fact.tasks]),
            "key": LOCK_KEY,
        },
    )


async def merge_states_and_read_obligations(
    session: AsyncSession, states: Iterable[TaskState], obligation_ids: Iterable[str]
) -> dict[str, Any]:
    """Merge task states (the latest report wins, by the rank of `TaskState.rank`: PostgreSQL
    orders uuids as their hex strings) and read the given obligations, in one round trip; the
    lock must be held already (the read must come after it)."""
    rows = [
        {
            **_task_state_row(s),
            "report_id": str(s.report_id),
            "reported_at": s.reported_at.isoformat(),
        }
        for s in states
    ]
    found = await session.execute(
        _MERGE_STATES_AND_READ_OBLIGATIONS,
        {"states": json.dumps(rows), "ids": list(obligation_ids)},
    )
    return {r.obligation_id: r._mapping for r in found}


async def lock(session: AsyncSession) -> None:
    """Serialise the writers of scoring's ledger (handlers, the time loop, a rebuild)."""
    await session.execute(_LOCK, {"key": LOCK_KEY})


_LOCK_FIGURES = text(f"LOCK TABLE {db.SCHEMA}.figures IN SHARE ROW EXCLUSIVE MODE")
_REPEATABLE_READ = text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


async def lock_figures(session: AsyncSession, *, snapshot_after: bool = False) -> None:
    """Serialise the writers of the figures (flushers, the full pass, a rebuild); readers are
    not held up. Always taken after `lock` when both are needed, so the two never deadlock.

    With `snapshot_after` (first statement of the transaction), the transaction reads one
    snapshot taken at its first query after the lock: a lock table, unlike a SELECT, takes no
    snapshot, so the caller can take its marks between the two and read exactly what they name."""
    if snapshot_after:
        await session.execute(_REPEATABLE_READ)
    await session.execute(_LOCK_FIGURES)


# --- projections: write -------------------------------------------------------------------------


async def save_evidence(session: AsyncSession, fact: EvidenceFact) -> None:
    await session.execute(
        _INSERT_EVIDENCE,
        {
            "evidence_id": fact.evidence_id,
            "unit_code": fact.unit_code,
            "task_code": fact.task_code,
            "plan_year": fact.plan_year,
            "submitted_at": fact.submitted_at,
            "url": fact.url,
            "document_number": fact.document_number,
            "title": fact.title,
        },
    )


async def save_document(session: AsyncSession, doc: DocumentFact) -> None:
    values = _document_row(doc)
    await session.execute(
        pg_insert(db.documents)
        .values(**values)
        .on_conflict_do_update(index_elements=["document_id"], set_=values)
    )


def _document_row(doc: DocumentFact) -> dict[str, Any]:
    return {
        "document_id": doc.document_id,
        "portal_unit_code": doc.portal_unit_code,
        "url": doc.url,
        "title": doc.title,
        "section": doc.section,
        "kind": doc.kind,
        "document_number": doc.document_number,
        "issued_on": doc.issued_on,
        "full_text_available": doc.full_text_available,
        "first_seen_at": doc.first_seen_at,
        "revised_at": doc.revised_at,
        "revision_event": doc.revision_event,
        "number_key": doc.number_key,
        "title_key": doc.title_key,
    }


async def save_probe(session: AsyncSession, fact: ProbeFact) -> None:
    await session.execute(
        _INSERT_PROBE,
        {
            "probe_id": fact.probe_id,
            "portal_unit_code": fact.portal_unit_code,
            "finished_at": fact.finished_at,
            "outcome": fact.outcome,
            "checks": [
                {
                    "check": c.check,
                    "passed": c.passed,
                    "section": c.section,
                    "detail": c.detail,
                    "evidence_url": c.evidence_url,
                }
                for c in fact.checks
            ],
        },
    )


# --- projections: read --------------------------------------------------------------------------


def _report(row: Row[Any]) -> ReportFact:
    return ReportFact(
        report_id=row.report_id,
        version_no=row.version_no,
        unit_code=row.unit_code,
        plan_year=row.plan_year,
        period=row.period,
        reporter=row.reporter,
        rule_code=row.rule_code,
        submitted_at=row.submitted_at,
        first_submitted_at=row.first_submitted_at,
        tasks=tuple((code, status) for code, status in row.tasks),
    )


def _evidence(row: Row[Any]) -> EvidenceFact:
    return EvidenceFact(
        evidence_id=row.evidence_id,
        unit_code=row.unit_code,
        task_code=row.task_code,
        plan_year=row.plan_year,
        submitted_at=row.submitted_at,
        url=row.url,
        document_number=row.document_number,
        title=row.title,
    )


def _document(row: Row[Any]) -> DocumentFact:
    return DocumentFact(
        document_id=row.document_id,
        portal_unit_code=row.portal_unit_code,
        url=row.url,
        title=row.title,
        section=row.section,
        kind=row.kind,
        document_number=row.document_number,
        issued_on=row.issued_on,
        full_text_available=row.full_text_available,
        first_seen_at=row.first_seen_at,
        revised_at=row.revised_at,
        revision_event=row.revision_event,
    )


def _probe(row: Row[Any]) -> ProbeFact:
    return ProbeFact(
        probe_id=row.probe_id,
        portal_unit_code=row.portal_unit_code,
        finished_at=row.finished_at,
        outcome=row.outcome,
        checks=tuple(
            CheckFact(
                c["check"],
                bool(c["passed"]),
                c.get("section"),
                c.get("detail") or "",
                c.get("evidence_url"),
            )
            for c in row.checks
        ),
    )


async def unit_reports(session: AsyncSession, unit_code: str, year: int) -> list[ReportFact]:
    rows = await session.execute(
        select(db.reports).where(
            db.reports.c.unit_code == unit_code, db.reports.c.plan_year == year
        )
    )
    return [_report(row) for row in rows]


async def unit_evidence(session: AsyncSession, unit_code: str, year: int) -> list[EvidenceFact]:
    rows = await session.execute(
        select(db.evidence).where(
            db.evidence.c.unit_code == unit_code, db.evidence.c.plan_year == year
        )
    )
    return [_evidence(row) for row in rows]


async def get_document(session: AsyncSession, document_id: UUID) -> DocumentFact | None:
    row = (
        await session.execute(select(db.documents).where(db.documents.c.document_id == document_id))
    ).first()
    return _document(row) if row else None


async def documents_like(session: AsyncSession, docs: Iterable[DocumentFact]) -> list[DocumentFact]:
    """Documents sharing a number or a title with any of `docs` (candidates for the same one)."""
    numbers = {d.number_key for d in docs if d.number_key}
    titles = {d.title_key for d in docs if d.title_key}
    if not numbers and not titles:
        return []
    rows = await session.execute(
        select(db.documents).where(
            or_(db.documents.c.number_key.in_(numbers), db.documents.c.title_key.in_(titles))
        )
    )
    return [_document(row) for row in rows]


async def all_facts(session: AsyncSession) -> Facts:
    reports = [_report(r) for r in await session.execute(select(db.reports))]
    evidence = [_evidence(r) for r in await session.execute(select(db.evidence))]
    documents = [_document(r) for r in await session.execute(select(db.documents))]
    probes = [_probe(r) for r in await session.execute(select(db.probes))]
    return Facts(tuple(reports), tuple(evidence), tuple(documents), tuple(probes))


async def figure_probes(session: AsyncSession, now: datetime) -> list[ProbeFact]:
    """Enough probes for every figure: each portal's latest that reached it, and the window's."""
    probes = db.probes.c
    latest = (
        select(db.probes)
        .where(probes.outcome != ProbeOutcome.UNREACHABLE.value)
        .order_by(probes.portal_unit_code, probes.finished_at.desc(), probes.probe_id.desc())
        .ext(distinct_on(probes.portal_unit_code))
    )
    window = select(db.probes).where(
        probes.finished_at >= now - timedelta(days=AVAILABILITY_DAYS), probes.finished_at <= now
    )
    found = {row.probe_id: _probe(row) for row in await session.execute(latest)}
    found.update({row.probe_id: _probe(row) for row in await session.execute(window)})
    return list(found.values())


# --- task states --------------------------------------------------------------------------------


def _task_state_row(state: TaskState) -> dict[str, Any]:
    return {
        "task_code": state.task_code,
        "unit_code": state.unit_code,
        "status": state.status,
        "report_id": state.report_id,
        "reported_at": state.reported_at,
        "version_no": state.version_no,
    }


async def replace_task_states(
    session: AsyncSession, states: Iterable[TaskState], unit_code: str | None = None
) -> None:
    """Replace one unit's rows (or, with no unit, every row)."""
    query = delete(db.task_states)
    if unit_code is not None:
        query = query.where(db.task_states.c.unit_code == unit_code)
    await session.execute(query)
    rows = [_task_state_row(s) for s in states]
    if rows:
        await session.execute(pg_insert(db.task_states), rows)


async def count_done(session: AsyncSession, task_codes: Iterable[str]) -> dict[str, int]:
    """Done (task, lead unit) pairs per task (only plan pairs are stored)."""
    c = db.task_states.c
    rows = await session.execute(
        select(c.task_code, func.count())
        .where(c.task_code.in_(list(task_codes)), c.status == TaskStatus.DONE.value)
        .group_by(c.task_code)
    )
    return {code: int(count) for code, count in rows}


async def load_task_states(
    session: AsyncSession, task_codes: Iterable[str] | None = None, *, done_only: bool = False
) -> dict[tuple[str, str], TaskState]:
    query = select(db.task_states)
    if task_codes is not None:
        query = query.where(db.task_states.c.task_code.in_(list(task_codes)))
    if done_only:
        query = query.where(db.task_states.c.status == TaskStatus.DONE.value)
    return {
        (r.task_code, r.unit_code): TaskState(
            r.task_code, r.unit_code, r.status, r.report_id, r.reported_at, r.version_no
        )
        for r in await session.execute(query)
    }


# --- obligations --------------------------------------------------------------------------------

_ANNOUNCED = ("title", "due_at", "due_soon_at", "fulfilled_at", "status", "document_url")
_STORED = (
    *_ANNOUNCED,
    "unit_code",
    "kind",
    "task_code",
    "period",
    "document_id",
    "document_kind",
    "fulfilled_by",
)


def _obligation_row(ob: Obligation, now: datetime) -> dict[str, Any]:
    return {
        "obligation_id": ob.obligation_id,
        "unit_code": ob.unit_code,
        "kind": ob.kind.value,
        "title": ob.title,
        "due_at": ob.due_at,
        "due_soon_at": ob.due_soon_at,
        "task_code": ob.task_code,
        "period": ob.period,
        "document_id": ob.document_id,
        "document_kind": ob.document_kind,
        "document_url": ob.document_url,
        "fulfilled_at": ob.fulfilled_at,
        "fulfilled_by": ob.fulfilled_by,
        "status": ob.status(now).value,
        "updated_at": now,
    }


def obligation_from_row(row: Row[Any]) -> Obligation:
    return Obligation(
        obligation_id=row.obligation_id,
        unit_code=row.unit_code,
        kind=ObligationKind(row.kind),
        title=row.title,
        due_at=row.due_at,
        due_soon_at=row.due_soon_at,
        task_code=row.task_code,
        period=row.period,
        document_id=row.document_id,
        document_kind=row.document_kind,
        document_url=row.document_url,
        fulfilled_at=row.fulfilled_at,
        fulfilled_by=row.fulfilled_by,
    )


def obligation_event(
    row: dict[str, Any], previous: str | None, caused_by: UUID | None
) -> ObligationChanged:
    return ObligationChanged(
        obligation_id=row["obligation_id"],
        unit_code=row["unit_code"],
        kind=ObligationKind(row["kind"]),
        title=row["title"],
        due_at=row["due_at"],
        task_code=row["task_code"],
        period=row["period"],
        document_url=row["document_url"],
        fulfilled_at=row["fulfilled_at"],
        status=ObligationStatus(row["status"]),
        due_soon_at=row["due_soon_at"],
        previous_status=ObligationStatus(previous) if previous else None,
        document_kind=row["document_kind"],
        caused_by=caused_by,
    )


@dataclass(frozen=True)
class Scope:
    """Which stored obligations a recomputation covers, so that ones it no longer yields go."""

    document_ids: frozenset[UUID] = frozenset()
    everything: bool = False


async def sync_obligations(
    session: AsyncSession,
    computed: Sequence[Obligation],
    now: datetime,
    caused_by: UUID | None = None,
    scope: Scope = Scope(),
    *,
    keep_earlier_fulfilment: bool = False,
    existing: dict[str, Any] | None = None,
) -> list[ObligationChanged]:
    """Write what changed; one event per obligation that appeared or changed what it announces.

    With `keep_earlier_fulfilment`, `computed` was derived from one new fact only: a stored
    fulfilment that came first stays (fulfilment is the earliest of all facts, so merging by
    minimum is exact whatever order facts arrive in)."""
    rows = {ob.obligation_id: _obligation_row(ob, now) for ob in computed}
    table = db.obligations
    if existing is not None:
        pass  # read by the caller, in the same round trip as its own writes
    elif scope.everything:
        existing = _by_id(await session.execute(select(table)))
    elif scope.document_ids:
        found = await session.execute(
            select(table).where(
                or_(
                    table.c.obligation_id.in_(list(rows)),
                    table.c.document_id.in_(list(scope.document_ids)),
                )
            )
        )
        existing = _by_id(found)
    else:
        existing = _by_id(await session.execute(_OBLIGATIONS_BY_ID, {"ids": list(rows)}))

    inserts, updates, events = [], [], []
    for oid, row in rows.items():
        old = existing.get(oid)
        if keep_earlier_fulfilment and old is not None:
            _keep_earlier(row, old, now)
        if old is None:
            inserts.append(row)
            events.append(obligation_event(row, None, caused_by))
        elif any(old[f] != row[f] for f in _STORED):
            updates.append({**row, "oid": oid})
            if any(old[f] != row[f] for f in _ANNOUNCED):
                events.append(obligation_event(row, old["status"], caused_by))
    stale = [oid for oid in existing if oid not in rows]
    if inserts:
        await session.execute(pg_insert(table), inserts)
    if updates:
        await session.execute(_UPDATE_OBLIGATION, updates)
    if stale:
        await session.execute(delete(table).where(table.c.obligation_id.in_(stale)))
    return events


def _by_id(rows: Iterable[Row[Any]]) -> dict[str, Any]:
    return {r.obligation_id: r._mapping for r in rows}


_UPDATE_OBLIGATION = (
    update(db.obligations)
    .where(db.obligations.c.obligation_id == bindparam("oid"))
    .values({f: bindparam(f) for f in (*_STORED, "updated_at")})
    .execution_options(synchronize_session=False)
)


def _keep_earlier(row: dict[str, Any], old: Any, now: datetime) -> None:
    if old["fulfilled_at"] is None:
        return
    if row["fulfilled_at"] is not None and (row["fulfilled_at"], row["fulfilled_by"]) < (
        old["fulfilled_at"],
        old["fulfilled_by"],
    ):
        return
    row["fulfilled_at"], row["fulfilled_by"] = old["fulfilled_at"], old["fulfilled_by"]
    row["status"] = derive_status(row["due_at"], row["due_soon_at"], row["fulfilled_at"], now).value


async def existing_obligation_ids(session: AsyncSession, ids: Iterable[str]) -> set[str]:
    rows = await session.execute(
        select(db.obligations.c.obligation_id).where(db.obligations.c.obligation_id.in_(list(ids)))
    )
    return {r.obligation_id for r in rows}


def live_status(now: datetime) -> Any:
    """SQL for an obligation's status at `now` (the same rule as `derive_status`)."""
    c = db.obligations.c
    from sqlalchemy import case, literal

    at = literal(now)
    return case(
        (and_(c.fulfilled_at.is_not(None), c.fulfilled_at < c.due_at), "fulfilled_on_time"),
        (c.fulfilled_at.is_not(None), "fulfilled_late"),
        (c.due_at <= at, "overdue"),
        (c.due_soon_at <= at, "due_soon"),
        else_="pending",
    )


async def announce_status_changes(session: AsyncSession, now: datetime) -> list[ObligationChanged]:
    """Open obligations whose status moved as time passed (into due soon, into overdue)."""
    table = db.obligations
    status_now = live_status(now).label("status_now")
    rows = (
        await session.execute(
            select(table, status_now).where(
                table.c.fulfilled_at.is_(None), table.c.status != live_status(now)
            )
        )
    ).all()
    events = []
    for row in rows:
        data = dict(row._mapping)
        previous, data["status"] = data["status"], data.pop("status_now")
        events.append(obligation_event(data, previous, None))
    if rows:
        await session.execute(
            update(table)
            .where(table.c.obligation_id == bindparam("oid"))
            .values(status=bindparam("new_status"), updated_at=now),
            [{"oid": e.obligation_id, "new_status": e.status.value} for e in events],
            execution_options={"synchronize_session": False},
        )
    return events


async def figure_obligations(
    session: AsyncSession, kinds: Iterable[ObligationKind]
) -> list[Obligation]:
    rows = await session.execute(
        select(db.obligations).where(db.obligations.c.kind.in_([k.value for k in kinds]))
    )
    return [obligation_from_row(r) for r in rows]


async def status_counts(session: AsyncSession, now: datetime) -> list[tuple[str, str, int]]:
    """(unit, status, count) with statuses derived at `now`."""
    status = live_status(now).label("status")
    rows = await session.execute(
        select(db.obligations.c.unit_code, status, func.count()).group_by(
            db.obligations.c.unit_code, status
        )
    )
    return [(r[0], r[1], int(r[2])) for r in rows]


# --- figures ------------------------------------------------------------------------------------


def signals_json(signals: Sequence[SignalFigure]) -> list[dict[str, Any]]:
    """What a stored figure keeps of its signals (the evidence items are computed on reading)."""
    return [
        {
            "code": s.code,
            "name": s.name,
            "value": s.value,
            "weight": s.weight,
            "evidence": s.evidence,
        }
        for s in signals
    ]


def figure_from_row(row: Row[Any]) -> IndicatorFigure:
    return IndicatorFigure(
        row.indicator,
        row.readiness,
        tuple(
            SignalFigure(s["code"], s["name"], s["value"], s["weight"], s["evidence"])
            for s in row.signals
        ),
    )


async def stored_figures(
    session: AsyncSession, numbers: Iterable[int] | None = None
) -> list[Row[Any]]:
    query = select(db.figures).order_by(db.figures.c.indicator)
    if numbers is not None:
        query = query.where(db.figures.c.indicator.in_(list(numbers)))
    return list(await session.execute(query))


PROBE_SIGNALS = frozenset(
    {"sections_present_fresh", "qa_active", "legal_links_present", "portal_available"}
)


async def readiness_inputs(
    session: AsyncSession,
    model: ReadinessModel,
    numbers: Iterable[int],
    now: datetime,
    signals: Iterable[str] | None = None,
    *,
    done_only: bool = False,
) -> ReadinessInputs:
    """Load only what the given signals (default: all) of the given indicators read. With
    `done_only`, task states are counted, not loaded (enough for the value; not for the
    evidence items, which name every pair)."""
    indicators = [model.plan.indicator(n) for n in numbers]
    wanted = {code for i in indicators for code in i.readiness_weights}
    if signals is not None:
        wanted &= set(signals)
    states: dict[tuple[str, str], TaskState] = {}
    done_counts: dict[str, int] | None = None
    if "tasks_reported_done" in wanted:
        tasks = {t for i in indicators for t in i.tasks}
        if done_only:
            done_counts = await count_done(session, tasks)
        else:
            states = await load_task_states(session, tasks)
    kinds = []
    if "documents_posted_on_time" in wanted:
        kinds.append(ObligationKind.DOCUMENT_POSTING)
    if "fixed_deadline_met" in wanted:
        kinds.append(ObligationKind.FIXED_DEADLINE_TASK)
    obligations = await figure_obligations(session, kinds) if kinds else []
    probes = await figure_probes(session, now) if wanted & PROBE_SIGNALS else []
    documents: list[DocumentFact] = []
    if "directive_section_clean" in wanted:
        rows = await session.execute(
            select(db.documents).where(db.documents.c.section.in_(model.directive_sections()))
        )
        documents = [_document(r) for r in rows]
    return ReadinessInputs(states, obligations, probes, documents, done_counts)


def _announced(figure: IndicatorFigure) -> tuple[object, ...]:
    return (
        figure.readiness,
        tuple((s.code, s.value, s.weight, s.evidence) for s in figure.signals),
    )


async def write_figures(
    session: AsyncSession,
    figures: Sequence[IndicatorFigure],
    now: datetime,
    causes: Mapping[int, Sequence[UUID]] | None = None,
    stored: dict[int, IndicatorFigure] | None = None,
) -> list[IndicatorChanged]:
    """Store figures; history and an event for each figure that moved, naming the input events
    that moved it (`causes`, per indicator; the last one is `caused_by`)."""
    if stored is None:
        found = await stored_figures(session, [f.indicator for f in figures])
        stored = {r.indicator: figure_from_row(r) for r in found}
    events: list[IndicatorChanged] = []
    rows: list[dict[str, Any]] = []
    moved_rows: list[dict[str, Any]] = []
    for figure in figures:
        old = stored.get(figure.indicator)
        if old is not None and _announced(old) == _announced(figure):
            continue
        by = tuple(dict.fromkeys((causes or {}).get(figure.indicator, ())))
        caused_by = by[-1] if by else None
        row = {
            "indicator": figure.indicator,
            "readiness": figure.readiness,
            "signals": signals_json(figure.signals),
            "computed_at": now,
            "caused_by": caused_by,
        }
        rows.append(row)
        if old is not None and abs(old.readiness - figure.readiness) <= MOVE_EPSILON:
            continue  # the explanation changed, the figure did not: no history, no event
        moved_rows.append(row)
        events.append(
            IndicatorChanged(
                indicator=figure.indicator,
                readiness=figure.readiness,
                previous=None if old is None else old.readiness,
                signals=tuple(
                    Signal(name=s.code, value=s.value, weight=s.weight, evidence=s.evidence)
                    for s in figure.signals
                ),
                computed_at=now,
                caused_by=caused_by,
                caused_by_events=by,
            )
        )
    if rows:
        upsert = pg_insert(db.figures)
        await session.execute(
            upsert.on_conflict_do_update(
                index_elements=["indicator"],
                set_={
                    c: upsert.excluded[c]
                    for c in ("readiness", "signals", "computed_at", "caused_by")
                },
            ),
            rows,
        )
    if moved_rows:
        await session.execute(pg_insert(db.figure_history), moved_rows)
    return events
