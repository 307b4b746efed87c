"""The chaos run's pure parts: the scenario is fixed by its seed, faults cover every kind, and
each invariant breaks on the counter-example it exists for."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from datetime import datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from tests.chaos import invariants
from tests.chaos.filer import Receipt
from tests.chaos.mailbox import Delivered
from tests.chaos.scenario import (
    FAULT_KINDS,
    Span,
    behaviours,
    fault_schedule,
    filings,
)
from tests.chaos.snapshot import DraftRow, NoticeRow, Snapshot, notice_items

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2024, 9, 12, tzinfo=TZ)
SPAN = Span("quarter", START, START + timedelta(days=44), real_seconds=60.0, faults=16)
SERVICES = ["intake", "portal-monitor", "scoring", "notifier", "reporting"]


def test_the_same_seed_gives_the_same_scenario_and_another_seed_another() -> None:
    units = [f"u{i}" for i in range(40)]
    assert behaviours(7, units) == behaviours(7, units)
    assert behaviours(7, units) != behaviours(8, units)
    assert fault_schedule(7, SPAN, SERVICES) == fault_schedule(7, SPAN, SERVICES)


def test_faults_cover_every_kind_every_service_and_stay_in_the_window() -> None:
    year = dataclasses.replace(SPAN, real_seconds=480.0, faults=104)
    faults = fault_schedule(3, year, SERVICES)
    kinds = Counter(f.kind for f in faults)
    assert set(kinds) == set(FAULT_KINDS) and min(kinds.values()) >= 10
    assert {f.target for f in faults if f.kind == "kill_service"} == set(SERVICES)
    moments = [f.at for f in faults]
    assert moments == sorted(moments)
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(moments))
    assert moments[0] >= 0.1 * 480 and moments[-1] <= 0.8 * 480 + len(faults)


def test_filings_keep_a_margin_wider_than_an_outage_from_their_deadline() -> None:
    due = START + timedelta(days=20)
    conduct = {"a": "on_time", "b": "late", "c": "amended", "d": "never"}
    deadlines = [(u, f"report:r:{u}:2024:Q3", "Q3", due) for u in conduct]
    planned = filings(conduct, deadlines, SPAN)  # type: ignore[arg-type]
    by_unit = {(f.unit, f.amends): f.at for f in planned}
    fifteen_real_seconds = timedelta(seconds=15 * SPAN.speed)
    assert due - by_unit[("a", False)] >= fifteen_real_seconds
    assert by_unit[("b", False)] - due >= fifteen_real_seconds
    assert by_unit[("c", True)] > by_unit[("c", False)]
    assert "d" not in {f.unit for f in planned}


def _snapshot(name: str, **changes: object) -> Snapshot:
    report = uuid4()
    base = Snapshot(
        name=name,
        span_start=START,
        span_end=SPAN.end,
        speed=SPAN.speed,
        receipts=[Receipt("a", "Q3", report, 1, True)],
        refusals=[],
        stored_versions={report: 1},
        stored_periods=[("a", "Q3", "lead_units")],
        scored_versions={report: 1},
        obligations={
            "report:r:a:2024:Q3": ("quarterly_report", "fulfilled_on_time", START + timedelta(1))
        },
        figures={1: {"tasks_reported_done": 1.0, "portal_available": 0.5}},
        notices=[
            NoticeRow(
                "a",
                "due_soon",
                "r1",
                "<1@x>",
                "sent",
                START + timedelta(hours=1),
                (("report:r:a:2024:Q3", "due_soon", 0),),
            )
        ],
        mail=[Delivered("<1@x>", ("a@x",), "Nhắc hạn", "h1")],
        drafts=[DraftRow("consolidated_report", "2024-Q3", 1, "f1", START + timedelta(2))],
        probes={"a": [START + timedelta(hours=h) for h in range(0, 44 * 24, 12)]},
        probe_rounds={("a", "2024-W37")},
        probes_not_scored=[],
        rounds_reported={("a", "2024-W37")},
        portals=["a"],
        dead_letters=[],
        outages=[],
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_two_equal_runs_hold_every_invariant() -> None:
    calm, chaos = _snapshot("calm"), _snapshot("chaos")
    verdicts = invariants.judge(calm, chaos, probe_bound_seconds=20)
    assert [v.name for v in verdicts if not v.held] == []


def test_a_row_without_a_receipt_and_a_version_not_scored_break_the_receipts_invariant() -> None:
    run = _snapshot("chaos")
    extra = uuid4()
    unreceipted = dataclasses.replace(run, stored_versions={**run.stored_versions, extra: 1})
    assert not invariants.receipts_stored_once(unreceipted).held
    unscored = dataclasses.replace(run, scored_versions={})
    assert not invariants.receipts_stored_once(unscored).held


def test_a_notice_sent_twice_or_not_at_all_is_caught() -> None:
    run = _snapshot("chaos")
    twice = dataclasses.replace(run, mail=run.mail * 2)
    assert "delivered 2 times" in invariants.notices_exactly_once(twice).detail
    lost = dataclasses.replace(run, mail=[])
    assert "not delivered" in invariants.notices_exactly_once(lost).detail


def test_a_status_that_moved_without_a_late_receipt_is_a_failure() -> None:
    calm = _snapshot("calm")
    key = "report:r:a:2024:Q3"
    moved = {key: ("quarterly_report", "fulfilled_late", START + timedelta(1))}
    unexplained = _snapshot("chaos", obligations=moved)
    assert not invariants.obligations_same(calm, unexplained).held
    late_receipt = [dataclasses.replace(calm.receipts[0], on_time=False)]
    explained = dataclasses.replace(unexplained, receipts=late_receipt)
    verdict = invariants.obligations_same(calm, explained)
    assert verdict.held and "1 filed late by an outage" in verdict.detail


def test_a_missing_draft_a_lost_probe_and_a_starved_portal_are_caught() -> None:
    calm = _snapshot("calm")
    assert not invariants.drafts_same(calm, _snapshot("chaos", drafts=[])).held
    lost = _snapshot("chaos", rounds_reported=set())
    assert not invariants.every_probe_applied(lost).held
    starved = _snapshot("chaos", probes={"a": [START]})
    assert not invariants.every_portal_its_turn(starved, bound_seconds=20).held
    outage = [("portal-monitor", 0.0, 60.0)]
    excused = _snapshot("chaos", probes={"a": [START]}, outages=outage)
    assert invariants.every_portal_its_turn(excused, bound_seconds=20).held


def test_a_drafts_notice_is_named_by_what_was_drafted_so_both_runs_compare() -> None:
    """Each run draws its own draft ids; the notices about the same draft must still match."""
    calm_id, chaos_id = uuid4(), uuid4()
    name = "draft:consolidated_report:2024-Q3:1"
    calm = notice_items(f'[["draft:{calm_id}", "draft", 0]]', {f"draft:{calm_id}": name})
    chaos = notice_items([[f"draft:{chaos_id}", "draft", 0]], {f"draft:{chaos_id}": name})
    assert calm == chaos == ((name, "draft", 0),)
    assert notice_items([["report:x", "overdue", 1]], {}) == (("report:x", "overdue", 1),)


def test_a_cancelled_notice_is_not_missing_and_one_held_mid_send_is_named() -> None:
    """Cancelled (fulfilled before it left) is no longer due; one the notifier holds after a
    kill mid-send is delivered if the relay has it, else named for the operator. Any other
    notice not in the mailbox is still missing."""
    run = _snapshot("chaos", mail=[])
    (notice,) = run.notices
    cancelled = dataclasses.replace(run, notices=[dataclasses.replace(notice, state="cancelled")])
    verdict = invariants.notices_exactly_once(cancelled)
    assert verdict.held and "1 cancelled" in verdict.detail
    held = dataclasses.replace(run, notices=[dataclasses.replace(notice, state="uncertain")])
    verdict = invariants.notices_exactly_once(held)
    assert verdict.held and "1 held for an operator" in verdict.detail
    pending = dataclasses.replace(run, notices=[dataclasses.replace(notice, state="pending")])
    assert not invariants.notices_exactly_once(pending).held
    # The calm run sent it; the chaos run cancelled it: still the same notice decided.
    calm = _snapshot("calm")
    assert invariants.notices_same(calm, cancelled).held
    assert invariants.notices_same(cancelled, _snapshot("calm", notices=[])).held
    assert not invariants.notices_same(calm, _snapshot("chaos", notices=[])).held


def test_notices_about_a_filing_an_outage_held_back_are_not_compared() -> None:
    """The chaos run's filer got through five days later (still on time): the calm run's
    reminder, sent before its filing, was never due in the chaos run. The same difference
    without the later receipt is a failure."""
    calm = _snapshot("calm")
    (receipt,) = calm.receipts
    # Filed after the calm run's reminder was decided (START + 1 h): a notice decided after the
    # filing is excused by a rule of its own, which is not the one under test here.
    filed = START + timedelta(hours=2)
    calm = dataclasses.replace(calm, receipts=[dataclasses.replace(receipt, at=filed)])
    later = [dataclasses.replace(receipt, at=filed + timedelta(days=5))]
    held_back = _snapshot("chaos", notices=[], receipts=later)
    assert invariants.notices_same(calm, held_back).held
    same_time = _snapshot("chaos", notices=[], receipts=calm.receipts)
    assert not invariants.notices_same(calm, same_time).held


def test_notices_are_compared_by_each_item_not_by_how_a_digest_grouped_them() -> None:
    """Found by a year run: the focal unit's own overdue report rode in an "escalate_1" digest
    (it also escalated another unit) in one run and in an "overdue" digest in the other."""
    own = ("report:r:a:2024:Q3", "overdue", 0)
    other = ("report:r:b:2024:Q3", "escalate_1", 0)
    at = START + timedelta(hours=30)

    def notice(stage: str, *items: tuple[str, str, int]) -> NoticeRow:
        return NoticeRow("a", stage, "r2", f"<{stage}@x>", "sent", at, items)

    calm = _snapshot("calm", notices=[notice("overdue", own), notice("escalate_1", other)])
    chaos = _snapshot("chaos", notices=[notice("escalate_1", own, other)])
    verdict = invariants.notices_same(calm, chaos)
    assert verdict.held, verdict.detail
    # a stage that really differs is still caught, with what each run decided
    missing = _snapshot("chaos", notices=[notice("escalate_1", other)])
    verdict = invariants.notices_same(calm, missing)
    assert not verdict.held and "overdue to a about report:r:a:2024:Q3 only calm" in verdict.detail


def test_a_reminder_decided_when_the_other_run_had_the_report_already_is_not_compared() -> None:
    """Found by a year run (seed 589829): the same filing reached intake 19 clock hours later in
    the busier run, and a reminder fell due in between. The other run, already holding the
    receipt, rightly sent nothing; a reminder decided before the other run's filing is still
    compared."""
    key = "report:r:a:2024:Q3"
    reminder_at = START + timedelta(hours=20)
    reminded = NoticeRow(
        "a", "reminder_7", "r3", "<r7@x>", "sent", reminder_at, ((key, "reminder_7", 0),)
    )
    calm = _snapshot("calm")
    calm = dataclasses.replace(
        calm,
        notices=[*calm.notices, reminded],
        receipts=[dataclasses.replace(calm.receipts[0], at=reminder_at + timedelta(hours=8))],
    )
    filed_first = _snapshot("chaos")
    filed_first = dataclasses.replace(
        filed_first,
        receipts=[
            dataclasses.replace(filed_first.receipts[0], at=reminder_at - timedelta(hours=11))
        ],
    )
    verdict = invariants.notices_same(calm, filed_first)
    assert verdict.held and "1 decided when the other run had the report already" in verdict.detail
    # deciding meanwhile (so not a step skipped by an outage) and filed after the reminder
    other = NoticeRow(
        "b", "overdue", "r3", "<b@x>", "sent", reminder_at, (("report:r:b:2024:Q3", "overdue", 0),)
    )
    filed_after = dataclasses.replace(
        filed_first,
        notices=[*filed_first.notices, other],
        receipts=[
            dataclasses.replace(filed_first.receipts[0], at=reminder_at + timedelta(hours=1))
        ],
    )
    calm = dataclasses.replace(calm, notices=[*calm.notices, other])
    verdict = invariants.notices_same(calm, filed_after)
    assert not verdict.held
    assert "1 only calm, 0 only chaos" in verdict.detail
    assert "reminder_7 to a about report:r:a:2024:Q3 only calm" in verdict.detail
