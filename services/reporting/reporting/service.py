"""Reporting's use cases, each in one transaction through the unit of work: the facts a draft
needs, kept as their events arrive (in the consumer's transaction, with its inbox row), and what
the coordinator's page, the API and the operator's commands read and record. The drafting pass
(a loop's tick) is `drafting.Drafter.run_pass`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from minhbach.db.session import Sessions
from minhbach.db.unit_of_work import Outcome, Session, UnitOfWork
from minhbach.events.base import Event
from minhbach.events.catalogue import (
    DocumentChanged,
    DocumentFound,
    IndicatorChanged,
    ProbeFinished,
    ReportSubmitted,
)
from minhbach.messaging.outbox import Outbox
from minhbach.plan import Plan
from reporting import store, views
from reporting.db import messaging
from reporting.domain.corrections import RecordedCorrection
from reporting.domain.projections import document_row, figure_row, probe_row, report_row
from reporting.domain.schedule import inspection_round

T = TypeVar("T")


@dataclass(frozen=True)
class Facts:
    """The facts a draft needs, kept from events. Facts about units the plan does not name are
    not this deployment's: ignored."""

    plan: Plan
    round_kind: str  # the plan's `drafting.inspection_round`: week, month or quarter

    async def report(self, session: Session, event: ReportSubmitted) -> Sequence[Event]:
        if self.plan.has_unit(event.unit_code):
            await store.save_report(session, report_row(event))
        return ()

    async def figure(self, session: Session, event: IndicatorChanged) -> Sequence[Event]:
        await store.save_figure(session, figure_row(event))
        return ()

    async def probe(self, session: Session, event: ProbeFinished) -> Sequence[Event]:
        if self.plan.has_unit(event.portal_unit_code):
            round_key = inspection_round(self.round_kind, event.finished_at).key
            await store.save_probe(session, probe_row(event, round_key))
        return ()

    async def document(
        self, session: Session, event: DocumentFound | DocumentChanged
    ) -> Sequence[Event]:
        if self.plan.has_unit(event.document.portal_unit_code):
            await store.save_document(session, document_row(event))
        return ()


def unit_of_work(sessions: Sessions) -> UnitOfWork:
    """A unit of work for the operator's commands (no relay alongside: an event would leave at
    the service's next poll)."""
    return UnitOfWork(sessions, Outbox(messaging).emit)


async def _read(uow: UnitOfWork, query: Callable[[Session], Awaitable[T]]) -> T:
    async def work(session: Session) -> Outcome[T]:
        return Outcome(await query(session))

    return await uow.run(work)


async def overview(uow: UnitOfWork, plan: Plan, now: datetime) -> views.Overview:
    return await _read(uow, lambda session: views.overview(session, plan, now))


async def unit_history(uow: UnitOfWork, unit_code: str) -> views.UnitHistory:
    return await _read(uow, lambda session: views.unit_history(session, unit_code))


async def list_drafts(uow: UnitOfWork) -> list[store.DraftRow]:
    return await _read(uow, store.list_drafts)


async def draft_sources(uow: UnitOfWork, draft_id: UUID) -> dict[str, Any] | None:
    return await _read(uow, lambda session: store.draft_sources(session, draft_id))


async def draft_file(uow: UnitOfWork, draft_id: UUID, column: str) -> Any:
    return await _read(uow, lambda session: store.draft_file(session, draft_id, column))


async def document_posting(uow: UnitOfWork, document_id: UUID) -> tuple[str, str] | None:
    """The portal posting a document and its current kind (None: not a document of ours)."""
    return await _read(uow, lambda session: store.document_posting(session, document_id))


async def record_correction(
    uow: UnitOfWork, document_id: UUID, correction: RecordedCorrection
) -> None:
    """The page's record of a correction portal-monitor accepted."""
    await _read(uow, lambda session: store.record_correction(session, document_id, correction))
