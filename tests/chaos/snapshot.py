"""What a run left behind, read once at its end: the facts the invariants compare."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from uuid import UUID

import httpx
from sqlalchemy import text

from minhbach.db.session import make_engine
from minhbach.messaging.dead_letters import pending_dead_letters
from minhbach.services import SERVICES
from minhbach.settings import Settings
from reporting.domain.schedule import inspection_round
from tests.chaos.filer import Receipt
from tests.chaos.mailbox import Delivered
from tests.chaos.world import World


@dataclass(frozen=True)
class NoticeRow:
    recipient: str
    stage: str
    round_id: str
    message_id: str
    state: str
    decided_at: datetime
    items: tuple[tuple[str, str, int], ...]  # (obligation, stage, repeat) the notice is about


@dataclass(frozen=True)
class DraftRow:
    kind: str
    period_key: str
    version_no: int
    fingerprint: str
    drafted_at: datetime


@dataclass(frozen=True)
class Snapshot:
    name: str
    span_start: datetime
    span_end: datetime
    speed: float
    receipts: list[Receipt]
    refusals: list[str]
    stored_versions: dict[UUID, int]  # intake: report -> versions stored
    stored_periods: list[tuple[str, str, str]]  # intake: (unit, period, reporter), one per row
    scored_versions: dict[UUID, int]  # scoring: report -> latest version scored
    obligations: dict[str, tuple[str, str, datetime]]  # scoring API: id -> (kind, status, due)
    figures: dict[int, dict[str, float | None]]  # indicator -> signal values
    notices: list[NoticeRow]
    mail: list[Delivered]
    drafts: list[DraftRow]
    probes: dict[str, list[datetime]]  # portal -> probe start instants (clock)
    probe_rounds: set[tuple[str, str]]  # portal-monitor: (portal, inspection round) probed
    probes_not_scored: list[str]  # probe ids portal-monitor stored that scoring never applied
    rounds_reported: set[tuple[str, str]]  # reporting: (portal, round) it holds a probe for
    portals: list[str]  # every unit with a portal
    dead_letters: list[str]
    outages: list[tuple[str, float, float]]  # what, from, to: real seconds after span_start
    notifier_open: set[str] = field(default_factory=set)  # obligations the notifier holds open
    ready_at: float = 0.0  # real seconds after span_start when every service answered ready
    settled_in: float = 0.0  # real seconds after span_end until nothing was owed for the span
    owed: dict[str, int] | None = None  # what settling left owed (None: nothing)

    def real_seconds_at(self, moment: datetime) -> float:
        return (moment - self.span_start).total_seconds() / self.speed


# What a run still owes for the span once it has ended, each a count that must fall to zero
# before the snapshot: notices decided in the span not yet sent (nor cancelled or held for an
# operator), drafts of the span whose e-mail is not recorded, report versions stored and not
# scored, probes finished in the span (and announced) that scoring or reporting has not applied.
BACKLOG: Final = {
    "notices to send": (
        "SELECT count(*) FROM notifier.notices WHERE state IN ('pending', 'sending') "
        "AND decided_at < :end"
    ),
    "draft e-mails to record": (
        "SELECT count(*) FROM reporting.drafts d WHERE d.drafted_at < :end AND NOT EXISTS "
        "(SELECT 1 FROM notifier.draft_mails m WHERE m.draft_id = d.draft_id "
        "AND m.state = 'recorded')"
    ),
    "reports to score": (
        "SELECT count(*) FROM intake.report_versions v LEFT JOIN scoring.reports s "
        "USING (report_id, version_no) WHERE s.report_id IS NULL"
    ),
    "probes to score": (
        "SELECT count(*) FROM portal_monitor.probes p LEFT JOIN scoring.probes s "
        "USING (probe_id) WHERE s.probe_id IS NULL AND p.finished_at < :end "
        "AND NOT (p.outcome = 'unreachable' AND p.attempt < :attempts)"
    ),
}


async def backlog(world: World) -> dict[str, int]:
    """What the run still owes for its span (BACKLOG), by kind; raises if the database cannot
    be read (the caller waits and asks again)."""
    engine = make_engine(world.pg.url, pool_size=1)
    params = {"end": world.span.end, "attempts": Settings().portal_probe_attempts}
    try:
        async with engine.connect() as db:
            return {
                what: int((await db.execute(text(query), params)).scalar_one())
                for what, query in BACKLOG.items()
            }
    finally:
        await engine.dispose()


async def take(world: World, receipts: list[Receipt], refusals: list[str]) -> Snapshot:
    drafting = world.plan.drafting
    round_kind = drafting.inspection_round if drafting else "week"
    engine = make_engine(world.pg.url, pool_size=1)
    try:
        async with engine.connect() as db:
            versions = await db.execute(
                text("SELECT report_id, count(*) FROM intake.report_versions GROUP BY report_id")
            )
            periods = await db.execute(
                text("SELECT unit_code, period, reporter FROM intake.reports")
            )
            scored = await db.execute(
                text("SELECT report_id, max(version_no) FROM scoring.reports GROUP BY report_id")
            )
            notices = await db.execute(
                text(
                    "SELECT n.recipient_unit, n.stage, n.round_id, n.message_id, n.state, "
                    "n.decided_at, coalesce(json_agg(json_build_array(i.obligation_id, i.stage, "
                    "i.repeat_no)) FILTER (WHERE i.notice_key IS NOT NULL), '[]') "
                    "FROM notifier.notices n LEFT JOIN notifier.notice_items i "
                    "USING (notice_key) GROUP BY n.notice_key"
                )
            )
            drafts = await db.execute(
                text(
                    "SELECT kind, period_key, version_no, fingerprint, drafted_at, draft_id "
                    "FROM reporting.drafts"
                )
            )
            probes = await db.execute(
                text(
                    "SELECT unit_code, started_at, finished_at, outcome = 'unreachable' "
                    "AND attempt < :attempts FROM portal_monitor.probes "
                    "ORDER BY started_at"
                ),
                {"attempts": Settings().portal_probe_attempts},
            )
            not_scored = await db.execute(
                text(
                    # A failed attempt retried before it counts is never announced.
                    "SELECT p.probe_id FROM portal_monitor.probes p "
                    "LEFT JOIN scoring.probes s USING (probe_id) WHERE s.probe_id IS NULL "
                    "AND p.finished_at < :end AND NOT (p.outcome = 'unreachable' AND "
                    "p.attempt < :attempts)"
                ),
                {"end": world.span.end, "attempts": Settings().portal_probe_attempts},
            )
            still_open = await db.execute(
                text("SELECT obligation_id FROM notifier.obligations WHERE fulfilled_at IS NULL")
            )
            notifier_open = {str(r[0]) for r in still_open}
            reported = await db.execute(
                text("SELECT portal_unit_code, round_key FROM reporting.probes")
            )
            stored_versions = {UUID(str(r[0])): int(r[1]) for r in versions}
            stored_periods = [(r[0], r[1], r[2]) for r in periods]
            scored_versions = {UUID(str(r[0])): int(r[1]) for r in scored}
            draft_list = drafts.all()
            draft_rows = [DraftRow(*r[:5]) for r in draft_list]
            # A draft's notice is about "draft:<id>", an id each run draws for itself: it is
            # named by what was drafted instead, so the two runs' notices compare.
            draft_names = {f"draft:{r[5]}": f"draft:{r[0]}:{r[1]}:{r[2]}" for r in draft_list}
            notice_rows = [
                NoticeRow(r[0], r[1], r[2], r[3], r[4], r[5], notice_items(r[6], draft_names))
                for r in notices
            ]
            by_portal: dict[str, list[datetime]] = {}
            probe_rounds: set[tuple[str, str]] = set()
            for unit, started, finished, retried in probes:
                by_portal.setdefault(unit, []).append(started)
                # A retried attempt is never announced; later ones may still be on their way.
                if not retried and finished < world.span.end:
                    probe_rounds.add((unit, inspection_round(round_kind, finished).key))
            probes_not_scored = [str(r[0]) for r in not_scored]
            rounds_reported = {(r[0], r[1]) for r in reported}
    finally:
        await engine.dispose()
    dead = await pending_dead_letters(world.pg.url, SERVICES)
    obligations, figures = await _scoring_view(world)
    return Snapshot(
        name=world.name,
        span_start=world.span.start,
        span_end=world.span.end,
        speed=world.span.speed,
        receipts=list(receipts),
        refusals=list(refusals),
        stored_versions=stored_versions,
        stored_periods=stored_periods,
        scored_versions=scored_versions,
        obligations=obligations,
        figures=figures,
        notices=notice_rows,
        mail=list(world.mailbox.accepted),
        drafts=draft_rows,
        probes=by_portal,
        probe_rounds=probe_rounds,
        probes_not_scored=probes_not_scored,
        rounds_reported=rounds_reported,
        portals=[u.code for u in world.plan.portal_units()],
        dead_letters=[f"{d.service}#{d.id} {d.subject}: {d.error[:160]}" for d in dead],
        outages=list(world.outages),
        notifier_open=notifier_open,
        ready_at=world.ready_at,
        settled_in=world.settled_in,
        owed=dict(world.owed) or None,
    )


def notice_items(raw: object, names: dict[str, str]) -> tuple[tuple[str, str, int], ...]:
    """A notice's (obligation, stage, repeat) items, a draft's id replaced by its name."""
    rows = json.loads(raw) if isinstance(raw, str) else raw
    assert isinstance(rows, list)
    return tuple(sorted((names.get(str(o), str(o)), str(s), int(r)) for o, s, r in rows))


async def _scoring_view(
    world: World,
) -> tuple[dict[str, tuple[str, str, datetime]], dict[int, dict[str, float | None]]]:
    obligations: dict[str, tuple[str, str, datetime]] = {}
    async with httpx.AsyncClient(base_url=world.url("scoring") + "/api/v1", timeout=30) as http:
        offset = 0
        while True:
            page = (await http.get("/obligations", params={"limit": 1000, "offset": offset})).json()
            for item in page["items"]:
                due = datetime.fromisoformat(item["due_at"])
                obligations[item["obligation_id"]] = (item["kind"], item["status"], due)
            offset += len(page["items"])
            if not page["items"] or offset >= page["total"]:
                break
        indicators = (await http.get("/indicators")).json()
    figures = {
        int(i["number"]): {s["code"]: s.get("value") for s in i.get("signals", [])}
        for i in indicators
    }
    return obligations, figures
