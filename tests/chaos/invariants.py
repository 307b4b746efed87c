"""What must hold at the end of the chaos run, judged against the calm run: pure functions over
two snapshots taken at the same clock moment. Each verdict names its first counter-example.

How an outcome may legitimately differ between the runs, and the bound each check applies:
- A report: the receipt is the truth. Scoring must judge each report as its receipt says (on
  time or late). A unit whose filing an outage held back across its deadline got a "late"
  receipt in the chaos run only; its obligation (and the notices about it) differ, and the
  table counts them as moved by an outage. Nothing else about reports may differ.
- A probe sees the portal as it is when it runs, so a delayed probe may see another day's
  portal: obligations found by probes (a document to re-post) and signals read from probes may
  differ; they are counted, not judged. Every probe that ran must reach scoring and reporting.
- An inspection notice is drafted from the round's probes: a round in which the chaos run could
  not probe at all has no notice, and the table says so; any other round must have its notice.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from tests.chaos.filer import REPORT_KINDS
from tests.chaos.snapshot import DraftRow, NoticeRow, Snapshot

# Scoring's signals computed from reports and the ledger; every other signal reads probes.
REPORT_SIGNALS: Final = frozenset({"tasks_reported_done", "fixed_deadline_met"})
PROBE_OBLIGATIONS: Final = frozenset({"document_posting"})
# Notice items about what a probe found: a portal down (the notifier's own), a document to
# re-post (scoring's `copy:` obligations, known only once a probe saw the document).
PROBE_NOTICE_PREFIXES: Final = ("portal-down:", "copy:")
REPORT_OBLIGATION_PREFIX: Final = "report:"
FILED_KINDS: Final = frozenset(REPORT_KINDS)  # the obligations the filer's reports fulfil
INSPECTION_NOTICE: Final = "inspection_notice"
PROBING_DEPENDS_ON: Final = frozenset(
    {"portal-monitor", "kill_nats", "restart_postgres", "kill_postgres"}
)
OUTAGE_RECOVERY_SECONDS: Final = 5.0  # the chaos settings' ack wait (4 s) and a restart


@dataclass(frozen=True)
class Verdict:
    name: str
    held: bool
    detail: str


def judge(calm: Snapshot, chaos: Snapshot, probe_bound_seconds: float) -> list[Verdict]:
    return [
        receipts_stored_once(calm),
        receipts_stored_once(chaos),
        obligations_same(calm, chaos),
        report_figures_same(calm, chaos),
        notices_exactly_once(chaos),
        notices_same(calm, chaos),
        drafts_same(calm, chaos),
        every_probe_applied(chaos),
        every_portal_its_turn(chaos, max(probe_bound_seconds, 2 * longest_wait(calm))),
        no_dead_letters(chaos),
    ]


# --- reports ---------------------------------------------------------------------------------


def receipts_stored_once(run: Snapshot) -> Verdict:
    name = f"{run.name}: every receipt stored once and scored; no receipt, no row"
    receipted: Counter[object] = Counter(r.report_id for r in run.receipts)
    for receipt in run.receipts:
        stored = run.stored_versions.get(receipt.report_id, 0)
        if stored < receipt.version_no:
            return Verdict(name, False, f"receipt {receipt} but {stored} version(s) stored")
    for report_id, stored in run.stored_versions.items():
        if receipted[report_id] != stored:
            detail = f"report {report_id}: {stored} versions, {receipted[report_id]} receipts"
            return Verdict(name, False, detail)
        scored = run.scored_versions.get(report_id)
        if scored != stored:
            return Verdict(name, False, f"report {report_id}: {stored} stored, {scored} scored")
    twice = [key for key, n in Counter(run.stored_periods).items() if n > 1]
    if twice:
        return Verdict(name, False, f"period stored twice: {twice[0]}")
    if run.refusals:
        return Verdict(name, False, f"refused: {run.refusals[0]}")
    return Verdict(name, True, f"{len(run.receipts)} receipts, {len(run.stored_versions)} reports")


def late_by_outage(calm: Snapshot, chaos: Snapshot) -> set[str]:
    """Report obligations whose filing was on time in the calm run and late in the chaos run."""

    def first_on_time(run: Snapshot) -> dict[tuple[str, str], bool]:
        firsts = [r for r in run.receipts if r.version_no == 1]
        return {(r.unit, r.period): r.on_time for r in firsts}

    calm_on_time, chaos_on_time = first_on_time(calm), first_on_time(chaos)
    moved = {key for key, on_time in calm_on_time.items() if chaos_on_time.get(key) != on_time}
    return {
        obligation_id
        for obligation_id in chaos.obligations
        if obligation_id.startswith(REPORT_OBLIGATION_PREFIX)
        and _unit_and_period(obligation_id) in moved
    }


FILING_MOVED: Final = timedelta(days=1)


def filed_later_by_outage(calm: Snapshot, chaos: Snapshot) -> set[str]:
    """Report obligations whose first filing came more than a clock day later in the chaos run
    (the filer retried through an outage), on time or not: which reminders were due before it
    came differs, and the notices about them are counted as moved, not compared."""

    def first_at(run: Snapshot) -> dict[tuple[str, str], datetime]:
        return {(r.unit, r.period): r.at for r in run.receipts if r.version_no == 1 and r.at}

    calm_at, chaos_at = first_at(calm), first_at(chaos)
    moved = {
        key for key, at in calm_at.items() if key in chaos_at and chaos_at[key] - at > FILING_MOVED
    }
    return {
        obligation_id
        for obligation_id in chaos.obligations
        if obligation_id.startswith(REPORT_OBLIGATION_PREFIX)
        and _unit_and_period(obligation_id) in moved
    }


def _unit_and_period(obligation_id: str) -> tuple[str, str]:
    """ "report:<rule>:<unit>:<year>:<period>" -> (unit, period)."""
    parts = obligation_id.split(":")
    return parts[2], parts[-1]


def obligations_same(calm: Snapshot, chaos: Snapshot) -> Verdict:
    name = "every obligation's final status is the same (or moved by an outage, counted)"
    explained = late_by_outage(calm, chaos)
    differ, by_probes, by_outage, compared = [], 0, 0, 0
    for key, (kind, status, due) in sorted(calm.obligations.items()):
        if not calm.span_start <= due < calm.span_end:
            continue
        compared += 1
        other = chaos.obligations.get(key, (kind, "missing", due))[1]
        if other == status:
            continue
        if kind in PROBE_OBLIGATIONS:
            by_probes += 1
        elif key in explained and other == "fulfilled_late":
            by_outage += 1
        else:
            differ.append(f"{key}: {status} / {other}")
    if differ:
        return Verdict(name, False, f"{len(differ)} of {compared} differ, first {differ[0]}")
    detail = f"{compared} compared; moved: {by_outage} filed late by an outage, {by_probes} probes"
    return Verdict(name, True, detail)


def report_figures_same(calm: Snapshot, chaos: Snapshot) -> Verdict:
    name = "every indicator figure from reports is the same"
    moved, probe_moves = [], [0.0]
    for indicator, signals in sorted(calm.figures.items()):
        for code, value in signals.items():
            other = chaos.figures.get(indicator, {}).get(code)
            if code not in REPORT_SIGNALS:
                probe_moves.append(abs((value or 0.0) - (other or 0.0)))
            elif not _close(value, other):
                moved.append(f"indicator {indicator} {code}: {value} / {other}")
    if moved and not late_by_outage(calm, chaos):
        return Verdict(name, False, f"{len(moved)} differ, first {moved[0]}")
    detail = (
        f"{len(moved)} moved with late filings; probe signals moved at most {max(probe_moves):.2f}"
    )
    return Verdict(name, True, detail)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-9


# --- notices ---------------------------------------------------------------------------------


def notices_exactly_once(run: Snapshot) -> Verdict:
    name = f"{run.name}: every notice delivered exactly once (Message-ID and content)"
    by_id = Counter(m.message_id for m in run.mail)
    twice = [mid for mid, n in by_id.items() if n > 1]
    if twice:
        return Verdict(name, False, f"Message-ID {twice[0]} delivered {by_id[twice[0]]} times")
    by_content = Counter((m.recipients, m.subject, m.content_sha256) for m in run.mail)
    same = [key for key, n in by_content.items() if n > 1]
    if same:
        return Verdict(name, False, f"same content twice to {same[0][0]}: {same[0][1]}")
    sent_ids = {m.message_id for m in run.mail}
    decided = _decided(run)
    # Cancelled: every obligation it named was fulfilled before it left (decision 0005), no
    # longer due. Uncertain: the notifier was killed mid-send and holds it for an operator, who
    # checks the relay's log (this mailbox): in it, it was delivered; not in it, it waits for
    # `minhbach notifier retry` and is named here, as dead letters are.
    cancelled = [n for n in decided if n.state == "cancelled"]
    held = [n for n in decided if n.state == "uncertain" and n.message_id not in sent_ids]
    missing = [
        n
        for n in decided
        if n.message_id not in sent_ids and n.state not in ("cancelled", "uncertain")
    ]
    if missing:
        first = missing[0]
        detail = f"{len(missing)} not delivered, first {first.stage} to {first.recipient}"
        return Verdict(name, False, detail)
    detail = f"{len(run.mail)} delivered, {len(cancelled)} cancelled (fulfilled before sending)"
    if held:
        keys = ", ".join(f"{n.stage} to {n.recipient}" for n in held)
        detail += f", {len(held)} held for an operator (killed mid-send): {keys}"
    return Verdict(name, True, detail)


def notices_same(calm: Snapshot, chaos: Snapshot) -> Verdict:
    """Each run's notices decided within the span were decided in the other run too: the same
    stage about the same obligation to the same recipient. How a notice groups obligations and
    a repeated reminder's count are not compared (a notifier that was down at a repeat's moment
    sends the current one); notices about obligations a probe found or an outage moved are
    left out (see the module's docstring)."""
    name = "the same notices reach the same people"
    moved = (
        late_by_outage(calm, chaos)
        | filed_later_by_outage(calm, chaos)
        | {key for key, (kind, _, _) in calm.obligations.items() if kind in PROBE_OBLIGATIONS}
        | {key for key, (kind, _, _) in chaos.obligations.items() if kind in PROBE_OBLIGATIONS}
    )

    def keys(notices: list[NoticeRow]) -> set[tuple[str, str, str]]:
        # Each item's own stage: a digest's stage is its most severe item's, so an item rides
        # under "escalate_1" in one run and "overdue" in the other by grouping alone.
        return {
            (n.recipient, item_stage, _without_version(obligation))
            for n in notices
            for obligation, item_stage, _ in n.items
            if obligation not in moved and not obligation.startswith(PROBE_NOTICE_PREFIXES)
        }

    def sent(run: Snapshot) -> list[NoticeRow]:  # a cancelled notice was never going to leave
        return [n for n in _decided(run) if n.state != "cancelled"]

    only_calm = keys(sent(calm)) - keys(chaos.notices)
    only_chaos = keys(sent(chaos)) - keys(calm.notices)
    skipped = {key for key in only_calm if _skipped_while_not_deciding(key, calm, chaos)}
    skipped |= {key for key in only_chaos if _skipped_while_not_deciding(key, chaos, calm)}
    told_late = {key for key in only_chaos if _filed_but_not_yet_told(key, chaos)}
    told_late |= {key for key in only_calm if _filed_but_not_yet_told(key, calm)}
    filed_apart = {key for key in only_calm if _filed_earlier_in(key, calm, chaos)}
    filed_apart |= {key for key in only_chaos if _filed_earlier_in(key, chaos, calm)}
    # A draft's e-mail of an inspection round the chaos run could not probe at all: that
    # round has no notice to send (the drafts invariant excuses the draft the same way).
    probed_rounds = {round_key for _, round_key in chaos.probe_rounds}
    undrafted = {
        key
        for key in only_calm
        if key[2].startswith(f"draft:{INSPECTION_NOTICE}:")
        and key[2].rpartition(":")[2] not in probed_rounds
    }
    only_calm -= skipped | told_late | filed_apart | undrafted
    only_chaos -= skipped | told_late | filed_apart
    if only_calm or only_chaos:
        first = sorted(only_calm or only_chaos)[0]
        detail = f"{len(only_calm)} only calm, {len(only_chaos)} only chaos; first {first}"
        lines = [_told_in_both(key, "calm", calm, chaos) for key in sorted(only_calm)]
        lines += [_told_in_both(key, "chaos", chaos, calm) for key in sorted(only_chaos)]
        return Verdict(name, False, "\n    ".join([detail, *lines]))
    detail = f"{len(keys(_decided(calm)))} (recipient, stage, obligation)"
    return Verdict(
        name,
        True,
        f"{detail}; moved by an outage: {len(skipped)} reminder steps skipped, "
        f"{len(told_late)} decided after the filing, before the notifier heard of it, "
        f"{len(filed_apart)} decided when the other run had the report already, "
        f"{len(undrafted)} drafts of rounds the chaos run could not probe",
    )


def _told_in_both(key: tuple[str, str, str], only_in: str, sent: Snapshot, other: Snapshot) -> str:
    """What a run that broke "the same notices" did about one notice: when each run decided
    which stages about that obligation for that recipient, and when the report came (what a
    person needs to tell a harness rule from a notifier fault)."""
    recipient, stage, obligation = key

    def told(run: Snapshot) -> str:
        stages = sorted(
            (n.decided_at, item_stage)
            for n in run.notices
            if n.recipient == recipient
            for item, item_stage, _ in n.items
            if _without_version(item) == obligation
        )
        return ", ".join(f"{s} {at:%d/%m %H:%M}" for at, s in stages) or "nothing"

    def filed(run: Snapshot) -> str:
        if not obligation.startswith(REPORT_OBLIGATION_PREFIX):
            return "-"
        unit, period = _unit_and_period(obligation)
        at = [r.at for r in run.receipts if (r.unit, r.period) == (unit, period) and r.at]
        return ", ".join(f"{a:%d/%m %H:%M}" for a in sorted(at)) or "never"

    due = sent.obligations.get(obligation, (None, None, None))[2]
    return (
        f"{stage} to {recipient} about {obligation} only {only_in} (due "
        f"{f'{due:%d/%m %H:%M}' if due else '?'}): {sent.name} told {told(sent)}, filed "
        f"{filed(sent)}; {other.name} told {told(other)}, filed {filed(other)}; "
        f"{other.name} open at the end: {obligation in other.notifier_open}"
    )


def _filed_but_not_yet_told(key: tuple[str, str, str], run: Snapshot) -> bool:
    """A notice one run sent about a report obligation the unit had already filed (it holds
    the receipt) when the notice was decided: the filing was still on its way from intake to
    the notifier (intake's outbox, NATS, scoring, the notifier's consumer). At x97,200 a few
    real seconds of that lag are clock days, so a step falls due in one run and not in the
    other. An outage lengthens the lag (the chaos run); so does load alone: the calm run sent
    escalations about a Q3 report filed 18 clock days before (16 real seconds of lag at load
    average 16). Nothing is lost by it (the obligation's final status is judged on its own),
    so such notices are counted as moved, in either run; one decided before the filing is not,
    nor one about an obligation the notifier still holds open at the end (it never heard)."""
    recipient, stage, obligation = key
    if not obligation.startswith(REPORT_OBLIGATION_PREFIX):
        return False
    unit, period = _unit_and_period(obligation)
    filed = min(
        (r.at for r in run.receipts if (r.unit, r.period) == (unit, period) and r.at),
        default=None,
    )
    decided = [
        n.decided_at
        for n in run.notices
        if n.recipient == recipient and any(i == obligation and s == stage for i, s, _ in n.items)
    ]
    heard = obligation not in run.notifier_open
    return filed is not None and bool(decided) and min(decided) >= filed and heard


def _filed_earlier_in(key: tuple[str, str, str], sent: Snapshot, other: Snapshot) -> bool:
    """A notice about a unit's own report that one run decided when, in the other run, the unit
    already held its receipt: in that run the report was filed, so nothing was due. The filer
    files at the same clock moment in both runs, but its request reaches intake a real second
    later in the busier run, and at x65,700 that is most of a clock day: seed 589829's calm run
    filed vu-xa's Q4 report 19 clock hours after the chaos run did, and a reminder_7 fell due in
    between (in the calm run only). Only the lead units' reports the filer files."""
    recipient, _stage, obligation = key
    if not obligation.startswith(REPORT_OBLIGATION_PREFIX):
        return False
    if other.obligations.get(obligation, ("",))[0] not in FILED_KINDS:
        return False
    unit, period = _unit_and_period(obligation)
    filed = min(
        (r.at for r in other.receipts if (r.unit, r.period) == (unit, period) and r.at),
        default=None,
    )
    decided = [
        n.decided_at
        for n in sent.notices
        if n.recipient == recipient
        for item, item_stage, _ in n.items
        if item == obligation and item_stage == key[1]
    ]
    return filed is not None and bool(decided) and filed <= min(decided)


REMINDER_PREFIX: Final = "reminder_"
DRAFT_STAGE: Final = "draft"  # a draft's e-mail: recorded by its own loop, not by deciding
# What stops the notifier deciding: the notifier itself, and its database.
DECIDING_DEPENDS_ON: Final = frozenset({"notifier", "restart_postgres", "kill_postgres"})


def _skipped_while_not_deciding(
    key: tuple[str, str, str], sent_in: Snapshot, skipped_in: Snapshot
) -> bool:
    """Decision 0005: only the most urgent reminder reached is sent; a notifier that could not
    decide while a step was the most urgent one never sends it. So a reminder step one run sent
    and the other did not is excused when the other decided nothing during the step's window:
    from the sending run's decision of the step to the other run's first decision of a more
    urgent notice about the same obligation to the same recipient (failing that, the sending
    run's, or the due instant). Nothing decided means: an outage that stops deciding
    (DECIDING_DEPENDS_ON, plus OUTAGE_RECOVERY_SECONDS for the restart; the chaos run's) overlaps
    the window, or the run recorded no ladder notice at all within it (a round that ran would
    have decided the step). Load alone does the latter, in either run: the chaos run of the year,
    seed 7, at load average 16-18, decided nothing from 19/12 07:42 to 30/12 07:47 (14.5 real
    seconds, no fault then); the calm run of another skipped the yearly report's reminder_1 of
    39 units. Only reminders: an overdue notice or an escalation stays due until it is sent."""
    recipient, stage, obligation = key
    if not stage.startswith(REMINDER_PREFIX):
        return False
    urgency = int(stage.removeprefix(REMINDER_PREFIX))

    def more_urgent(other: str) -> bool:
        if other.startswith(REMINDER_PREFIX):
            return int(other.removeprefix(REMINDER_PREFIX)) < urgency
        return True  # overdue, escalations

    def decided(run: Snapshot) -> list[tuple[datetime, str]]:
        return [
            (n.decided_at, item_stage)
            for n in run.notices
            if n.recipient == recipient
            for item, item_stage, _ in n.items
            if item == obligation
        ]

    began = min((at for at, s in decided(sent_in) if s == stage), default=None)
    if began is None:
        return False
    superseded = [at for at, s in decided(skipped_in) if more_urgent(s) and at > began]
    later = [at for at, s in decided(sent_in) if more_urgent(s) and at > began]
    due = sent_in.obligations.get(obligation, (None, None, None))[2]
    ended = min(superseded or later or ([due] if due else []), default=None)
    if ended is None:
        return False
    low, high = skipped_in.real_seconds_at(began), skipped_in.real_seconds_at(ended)
    if any(
        frm < high and to + OUTAGE_RECOVERY_SECONDS > low
        for what, frm, to in skipped_in.outages
        if what in DECIDING_DEPENDS_ON
    ):
        return True
    return not any(
        began <= n.decided_at < ended for n in skipped_in.notices if n.stage != DRAFT_STAGE
    )


def _without_version(obligation: str) -> str:
    """A draft's notice is about "draft:<kind>:<period>:<version>". How many versions a period
    gets depends on how the reports that changed it fell into reporting's drafting passes
    (timing: four versions of 2024-Q2 in one run, three in the other); every version is judged
    by "every draft exists" (no two from the same data), so notices compare kind and period."""
    if not obligation.startswith("draft:"):
        return obligation
    return obligation.rpartition(":")[0]


def _decided(run: Snapshot) -> list[NoticeRow]:
    return [n for n in run.notices if run.span_start <= n.decided_at < run.span_end]


# --- drafts ----------------------------------------------------------------------------------


def drafts_same(calm: Snapshot, chaos: Snapshot) -> Verdict:
    """Every draft the calm run made within the span exists in the chaos run, but an inspection
    notice of a round the chaos run could not probe at all; no period is drafted twice from the
    same data."""
    name = "every draft exists, once per period and round; a new version only on new data"
    chaos_keys = {(d.kind, d.period_key) for d in chaos.drafts}
    probed_rounds = {round_key for _, round_key in chaos.probe_rounds}
    unprobed = 0
    missing = []
    for key in sorted({(d.kind, d.period_key) for d in _drafted(calm)} - chaos_keys):
        if key[0] == INSPECTION_NOTICE and key[1] not in probed_rounds:
            unprobed += 1
        else:
            missing.append(key)
    if missing:
        return Verdict(name, False, f"{len(missing)} missing, first {missing[0]}")
    repeated = Counter((d.kind, d.period_key, d.fingerprint) for d in chaos.drafts)
    same = [key for key, n in repeated.items() if n > 1]
    if same:
        return Verdict(name, False, f"{same[0][0]} {same[0][1]} drafted twice from the same data")
    detail = f"{len(chaos_keys)} drafts, {len(chaos.drafts)} versions; {unprobed} rounds unprobed"
    return Verdict(name, True, detail)


def _drafted(run: Snapshot) -> list[DraftRow]:
    return [d for d in run.drafts if run.span_start <= d.drafted_at < run.span_end]


# --- probes ----------------------------------------------------------------------------------


def every_probe_applied(run: Snapshot) -> Verdict:
    """No probe event lost: scoring applied every probe portal-monitor stored, and reporting
    holds a probe for every (portal, round) portal-monitor probed."""
    name = f"{run.name}: every probe reached scoring and reporting"
    if run.probes_not_scored:
        detail = f"{len(run.probes_not_scored)} not scored, first {run.probes_not_scored[0]}"
        return Verdict(name, False, detail)
    unreported = sorted(run.probe_rounds - run.rounds_reported)
    if unreported:
        return Verdict(name, False, f"{len(unreported)} not in reporting, first {unreported[0]}")
    return Verdict(name, True, f"{sum(len(s) for s in run.probes.values())} probes")


def every_portal_its_turn(run: Snapshot, bound_seconds: float) -> Verdict:
    """The longest real time a portal waited for its next probe within the span, beyond what
    the outages that stop probing explain."""
    name = f"{run.name}: every portal probed within {bound_seconds:.0f} s plus the outages"
    never = set(run.portals) - set(run.probes)
    if never:
        return Verdict(name, False, f"never probed: {sorted(never)[0]}")
    worst = (0.0, "")
    for unit, starts in run.probes.items():
        inside = [t for t in starts if run.span_start <= t < run.span_end]
        for before, after in itertools.pairwise([run.span_start, *inside, run.span_end]):
            gap = (after - before).total_seconds() / run.speed
            waited = gap - _outage_within(
                run, run.real_seconds_at(before), run.real_seconds_at(after)
            )
            if waited > worst[0]:
                worst = (waited, unit)
    if worst[0] > bound_seconds:
        return Verdict(name, False, f"{worst[1]} waited {worst[0]:.1f} s beyond outages")
    return Verdict(name, True, f"{len(run.probes)} portals; longest wait {worst[0]:.1f} s")


def longest_wait(run: Snapshot) -> float:
    """The calm run's longest real wait between two probes of a portal: what this machine's
    load alone costs, so the chaos run is held to twice that (and PROBE_BOUND at least)."""
    waits = [
        (after - before).total_seconds() / run.speed
        for starts in run.probes.values()
        for before, after in itertools.pairwise(
            [t for t in starts if run.span_start <= t < run.span_end]
        )
    ]
    return max(waits, default=0.0)


def _outage_within(run: Snapshot, low: float, high: float) -> float:
    """Real seconds within [low, high] during which an outage that stops probing lasted, or
    the work queue was still handing a dead replica's requests back (overlaps counted once)."""
    spans = sorted(
        (max(frm, low), min(to + OUTAGE_RECOVERY_SECONDS, high))
        for what, frm, to in run.outages
        if what in PROBING_DEPENDS_ON and frm < high and to + OUTAGE_RECOVERY_SECONDS > low
    )
    covered, reached = 0.0, low
    for start, end in spans:
        start = max(start, reached)
        if end > start:
            covered += end - start
            reached = end
    return covered


def no_dead_letters(run: Snapshot) -> Verdict:
    name = f"{run.name}: no dead letters"
    if run.dead_letters:
        return Verdict(name, False, f"{len(run.dead_letters)}: {run.dead_letters[0]}")
    return Verdict(name, True, "none")
