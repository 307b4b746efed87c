"""Drafting passes: find the drafts that are due (pure rules in `domain.schedule`), build their
files off the event loop, store each new version with its sources and announce it.

Reading the facts, building the files and storing are three steps, so no transaction stays open
while LibreOffice runs; the unique (kind, period, version) key makes a version exist once even
when two replicas draft at the same moment (the second insert is dropped, and so is its event).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dt_time
from uuid import UUID, uuid4

from minhbach.calendar import TZ
from minhbach.db.session import Sessions
from minhbach.db.unit_of_work import Outcome, Session, UnitOfWork
from minhbach.events.catalogue import DraftKind, DraftReady
from minhbach.messaging.outbox import Emit
from minhbach.observability.logging import get_logger
from minhbach.plan import Plan
from reporting import compose, metrics, report_document, store
from reporting.domain.consolidated import consolidated_report
from reporting.domain.inspection import inspection_notice
from reporting.domain.planned import Planned, announcement
from reporting.domain.schedule import (
    ROUND_COMPLETE,
    ReportPeriod,
    report_periods,
    report_trigger,
    round_of_key,
    round_trigger,
)
from reporting.render.document import OfficialDocument
from reporting.render.docx import render_docx
from reporting.render.html import render_html
from reporting.render.pdf import PdfUnavailable, docx_to_pdf
from reporting.render.xlsx import render_xlsx

log = get_logger(__name__)


@dataclass
class Drafter:
    plan: Plan
    sessions: Sessions
    emit: Emit
    soffice: str | None
    pdf_timeout_seconds: float
    # True once every document event published so far is applied (None: do not wait).
    documents_applied: Callable[[], Awaitable[bool]] | None = None
    periods: tuple[ReportPeriod, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.uow = UnitOfWork(self.sessions, self.emit)  # reading the facts; storing a version
        self.periods = report_periods(self.plan, self.plan.working_calendar())

    async def run_pass(self, now: datetime) -> list[DraftReady]:
        """Draft every document due at `now`; return the announcements."""

        async def due(session: Session) -> Outcome[list[Planned]]:
            return Outcome(await self.due_drafts(session, now))

        planned = await self.uow.run(due)
        announced = []
        for draft in planned:
            event = await self._store(draft, now)
            if event is not None:
                announced.append(event)
        return announced

    async def due_drafts(self, session: Session, now: datetime) -> list[Planned]:
        found = []
        for period in self.periods:
            draft = await self._consolidated(session, period, now)
            if draft:
                found.append(draft)
        for round_key in await store.probed_rounds(session):
            draft = await self._inspection(session, round_key, now)
            if draft:
                found.append(draft)
        return found

    async def _consolidated(
        self, session: Session, period: ReportPeriod, now: datetime
    ) -> Planned | None:
        reports = await store.period_reports(session, period.plan_year, period.period)
        filed = {r.unit_code for r in reports if r.reporter == "lead_units"}
        trigger = report_trigger(period, self.plan.lead_unit_codes_all(), filed, now)
        if trigger is None:
            return None
        lead = [r for r in reports if r.reporter == "lead_units"]
        fingerprint = store.fingerprint_of([f"{r.report_id}:{r.version_no}" for r in lead])
        latest = await store.latest_draft(session, DraftKind.CONSOLIDATED_REPORT, period.key)
        if latest is not None and latest.fingerprint == fingerprint:
            return None
        figures = await store.latest_figures(session)
        probes = await store.latest_round_probes(session)
        previous = await store.figures_as_of(session, period_start(period))
        last_year = await store.figures_as_of(session, year_before(now))
        content = consolidated_report(
            self.plan,
            period,
            lead,
            figures,
            probes,
            now,
            trigger,
            previous=previous,
            last_year=last_year,
        )
        version = (latest.version_no if latest else 0) + 1
        return Planned(
            kind=DraftKind.CONSOLIDATED_REPORT,
            period_key=period.key,
            version_no=version,
            trigger=trigger,
            document=report_document.consolidated_document(self.plan, content, version),
            fingerprint=fingerprint,
            sources={
                "reports": [
                    {
                        "unit": r.unit_code,
                        "report_id": str(r.report_id),
                        "version_no": r.version_no,
                        "event_id": str(r.event_id),
                    }
                    for r in lead
                ],
                "figures": [
                    {
                        "indicator": f.indicator,
                        "readiness": f.readiness,
                        "computed_at": f.computed_at.isoformat(),
                        "event_id": str(f.event_id),
                    }
                    for f in figures.values()
                ],
                "probes": [
                    {
                        "portal": p.portal_unit_code,
                        "finished_at": p.finished_at.isoformat(),
                        "event_id": str(p.event_id),
                    }
                    for p in probes
                ],
            },
            missing_units=content.missing_units,
        )

    async def _inspection(self, session: Session, round_key: str, now: datetime) -> Planned | None:
        drafting = self.plan.drafting
        assert drafting is not None
        if await store.latest_draft(session, DraftKind.INSPECTION_NOTICE, round_key) is not None:
            return None  # one notice per round
        round_ = round_of_key(drafting.inspection_round, round_key)
        probes = await store.round_probes(session, round_key)
        portals = [u.code for u in self.plan.portal_units()]
        trigger = round_trigger(round_, portals, {p.portal_unit_code for p in probes}, now)
        if trigger is None:
            return None
        # A probe's documents travel on their own consumers: a notice drafted the moment its
        # last probe is applied would miss the documents still in flight. Once the round has
        # ended it is drafted whatever is in flight, so a busy bus cannot hold it back for good.
        applied = self.documents_applied
        still_running = now < round_.ends
        if trigger == ROUND_COMPLETE and still_running and applied and not await applied():
            return None
        documents = await store.documents_seen(session, round_.starts, round_.ends)
        notice = inspection_notice(round_, portals, probes, documents, now, trigger)
        return Planned(
            kind=DraftKind.INSPECTION_NOTICE,
            period_key=round_key,
            version_no=1,
            trigger=trigger,
            document=compose.inspection_document(self.plan, notice, 1),
            fingerprint=store.fingerprint_of([str(p.event_id) for p in probes]),
            sources={
                "probes": [
                    {
                        "portal": p.portal_unit_code,
                        "finished_at": p.finished_at.isoformat(),
                        "event_id": str(p.event_id),
                    }
                    for p in probes
                ],
                "documents": [
                    {"document_id": str(d.document_id), "event_id": str(d.event_id)}
                    for d in documents
                ],
            },
            missing_units=notice.not_inspected,
        )

    async def _store(self, draft: Planned, now: datetime) -> DraftReady | None:
        started = time.perf_counter()
        docx, html, xlsx = await asyncio.to_thread(build_files, draft.document)
        metrics.DRAFT_SECONDS.labels("document").observe(time.perf_counter() - started)
        pdf = await self._pdf(docx)
        draft_id = uuid4()
        digest = hashlib.sha256(docx).hexdigest()
        event = announcement(
            draft,
            draft_id,
            now,
            digest,
            has_pdf=pdf is not None,
            recipients=self.plan.drafting.draft_recipients if self.plan.drafting else (),
        )
        files = store.DraftFiles(docx=docx, docx_sha256=digest, pdf=pdf, html=html, xlsx=xlsx)

        async def add(session: Session) -> Outcome[bool]:
            if not await store.add_draft(session, draft_id, draft, now, files):
                return Outcome(False)  # another replica stored this version first
            return Outcome(True, [event])

        if not await self.uow.run(add):
            return None
        metrics.DRAFTS.labels(str(draft.kind), draft.trigger).inc()
        log.info(
            "draft stored",
            kind=str(draft.kind),
            period=draft.period_key,
            version=draft.version_no,
            trigger=draft.trigger,
            pdf=pdf is not None,
            missing=len(draft.missing_units),
        )
        return event

    async def _pdf(self, docx: bytes) -> bytes | None:
        started = time.perf_counter()
        try:
            pdf = await docx_to_pdf(docx, self.soffice, self.pdf_timeout_seconds)
        except PdfUnavailable as exc:
            metrics.PDF_FAILURES.inc()
            log.warning("draft without pdf", reason=str(exc))
            return None
        metrics.DRAFT_SECONDS.labels("pdf").observe(time.perf_counter() - started)
        return pdf


def build_files(document: OfficialDocument) -> tuple[bytes, str, bytes | None]:
    """The .docx, the HTML and the appendix's .xlsx (if it has one) of one document (CPU
    work: run it in a thread)."""
    xlsx = render_xlsx(document.appendix) if document.appendix is not None else None
    return render_docx(document), render_html(document), xlsx


def period_start(period: ReportPeriod) -> datetime:
    """The instant the period began (Vietnam time): the previous period's figures."""
    return datetime.combine(period.starts, dt_time(0), TZ)


def year_before(instant: datetime) -> datetime:
    """The same instant a year earlier (29 February: the 28th)."""
    try:
        return instant.replace(year=instant.year - 1)
    except ValueError:
        return instant.replace(year=instant.year - 1, day=28)


def draft_uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None
