"""Portal-monitor's use cases, one function each, every one in one transaction through the unit
of work: a probe (a work-queue request), a person's correction of a document's kind (HTTP), the
schedule's registering and claiming (the scheduler's tick) and the reads the routes and gauges
answer.

A probe observes the portal first (the network phase, no transaction open), then concludes in
one transaction: the documents and postings it read are stored (`store/`), judged and turned
into events (`domain/`), the pure verdict (`domain/verdict.py`) decides outcome, checks and next
due instant, and the record and the events commit together. A probe that finds the portal
unreachable is retried later (`portal_probe_attempts`) before `unreachable` is reported.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from minhbach.db.session import Sessions
from minhbach.db.unit_of_work import Outcome, Session, UnitOfWork
from minhbach.events.catalogue import ProbeOutcome
from minhbach.messaging.outbox import Outbox
from minhbach.observability.logging import get_logger
from minhbach.plan import Plan, Unit
from portal_monitor import db, metrics, store
from portal_monitor.conclusion import ProbeReport, conclude_probe
from portal_monitor.deps import ProbeDeps
from portal_monitor.domain.attachments import AttachmentCheck
from portal_monitor.observe import NetworkPhase, check_attachments, observe

log = get_logger(__name__)


async def probe_portal(
    deps: ProbeDeps, unit_code: str, due_at: datetime | None = None
) -> ProbeReport | None:
    """Probe one portal; None when `due_at` is given and the portal was probed since (a stale
    request from the work queue)."""
    unit = deps.plan.unit(unit_code)
    portal_url = unit.portal
    if portal_url is None:
        raise ValueError(f"unit {unit_code!r} has no portal")
    started_at = deps.clock.now()
    started = time.perf_counter()
    state = await deps.unit_of_work.run(  # one short read before the network phase
        lambda session: _portal_state(session, unit_code, portal_url)
    )
    if due_at is not None and (state.next_probe_at is None or state.next_probe_at > due_at):
        return None
    attempt = 1 + state.failed_attempts
    network = await observe(deps, unit, state.validators, set(state.sections))
    attachments = await _check_attachments(deps, unit, network, state)

    async def work(session: Session) -> Outcome[ProbeReport]:
        report = await conclude_probe(
            deps, session, unit, network, attempt, started_at, state, attachments
        )
        return Outcome(report, report.events)

    report = await deps.unit_of_work.run(work)
    metrics.PROBE_SECONDS.observe(time.perf_counter() - started)
    if report.final:
        metrics.PROBES.labels(report.outcome.value).inc()
        reachable = report.outcome != ProbeOutcome.UNREACHABLE
        metrics.PORTAL_REACHABLE.labels(unit.code).set(1 if reachable else 0)
    return report


async def _portal_state(session: Session, unit_code: str, url: str) -> Outcome[store.PortalState]:
    return Outcome(await store.portal_state(session, unit_code, url))


async def _check_attachments(
    deps: ProbeDeps, unit: Unit, network: NetworkPhase, state: store.PortalState
) -> tuple[dict[str, AttachmentCheck], list[AttachmentCheck]]:
    """The stored checks of the files listed now (and of the stored task 4.1 items, which a
    section answered 304 reuses), and the new checks made (at most
    `attachment_checks_per_probe`, directive section first): each file is fetched once, and
    again only when it was not there a day ago. No transaction is open while fetching."""
    now = deps.clock.now()
    drafts = sorted(
        (d for read in network.sections for d in read.drafts or () if d.attachment_url),
        key=lambda d: d.section != deps.monitoring.directive_section,
    )
    stored = [i.attachment_url for s in state.sections.values() for i in s.directive_items]
    listed = list(dict.fromkeys(u for u in [*stored, *(d.attachment_url for d in drafts)] if u))
    budget = deps.attachment_checks_per_probe

    async def read(session: Session) -> Outcome[tuple[dict[str, AttachmentCheck], list[str]]]:
        known = await store.attachment_checks(session, listed)
        backlog = await store.attachments_due(session, unit.code, now, budget) if budget else []
        return Outcome((known, backlog))

    known, backlog = await deps.unit_of_work.run(read)
    due = [u for u in listed if u not in known or known[u].due_again(now)]
    due += [u for u in backlog if u not in due]
    return known, await check_attachments(deps, unit, due[:budget])


# --- the schedule, a person's correction, the reads -----------------------------------------


def unit_of_work(sessions: Sessions) -> UnitOfWork:
    """A unit of work where no relay runs alongside (the scheduler's and the tests' calls): an
    event it emits is published at the relay's next poll."""
    return UnitOfWork(sessions, Outbox(db.messaging).emit)


def monitored_units(plan: Plan) -> list[tuple[str, str]]:
    if plan.portal_monitoring is None:
        return []
    return [(u.code, u.portal) for u in plan.portal_units() if u.portal is not None]


async def register_portals(sessions: Sessions, plan: Plan, now: datetime) -> None:
    """Every portal of the plan gets a schedule row (due now when new)."""
    units = monitored_units(plan)
    if units:

        async def register(session: Session) -> Outcome[None]:
            await store.register_portals(session, units, now)
            return Outcome(None)

        await unit_of_work(sessions).run(register)


async def claim_due(
    sessions: Sessions,
    unit_codes: Sequence[str],
    now: datetime,
    lease: timedelta,
    limit: int = 500,
) -> list[tuple[str, datetime]]:
    """The due portals not offered within `lease`, oldest due first; returns (unit, due)."""

    async def claim(session: Session) -> Outcome[list[tuple[str, datetime]]]:
        return Outcome(await store.claim_due(session, unit_codes, now, lease, limit))

    return await unit_of_work(sessions).run(claim)


async def correct_kind(
    uow: UnitOfWork,
    document_id: uuid.UUID,
    kind: str,
    corrected_by: str,
    note: str | None,
    now: datetime,
) -> list[str]:
    """A person corrects a document's kind (issue 19): the portals posting it, probed next.
    Raises `store.UnknownDocument`."""

    async def correct(session: Session) -> Outcome[list[str]]:
        units = await store.correct_kind(session, document_id, kind, corrected_by, note, now)
        return Outcome(units)

    return await uow.run(correct)


async def portal_schedule(uow: UnitOfWork) -> list[dict[str, Any]]:
    async def read(session: Session) -> Outcome[list[dict[str, Any]]]:
        return Outcome(await store.portal_schedule(session))

    return await uow.run(read)


async def labelled_examples(uow: UnitOfWork) -> list[str]:
    async def read(session: Session) -> Outcome[list[str]]:
        return Outcome(await store.labelled_examples(session))

    return await uow.run(read)


async def portal_gauges(
    uow: UnitOfWork, units: Sequence[str], now: datetime
) -> tuple[list[tuple[str, str]], int, datetime | None]:
    """The last outcome of each portal, how many are due and the oldest due instant."""

    async def read(session: Session) -> Outcome[tuple[list[tuple[str, str]], int, datetime | None]]:
        outcomes = await store.last_outcomes(session)
        due, oldest = await store.due_backlog(session, units, now)
        return Outcome((outcomes, due, oldest))

    return await uow.run(read)
