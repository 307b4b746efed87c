"""The escalation ladder, pure: which notice each person is due at an instant, grouped per person.

Nothing here touches a database, a clock or the network; `plan_round` is given the open
obligations, the plan's ladder, the working-day calendar, "now", the portal outages, the active
silences and the items already notified, and returns one digest per recipient.

Stages of one obligation (offsets in working days, from the plan's `escalation`):
- `reminder_<n>` before the due instant, once `n` or fewer working days are left until the last
  permitted day; only the most urgent reminder reached is due (a skipped one is not sent late);
- `overdue` to the unit once the obligation is `overdue_after` working days late, repeated every
  `repeat_every` working days while nothing changes (the item's `repeat_no`);
- `escalate_<level>` to the ladder step's unit once `after` working days late, each level once.
A fulfilled obligation has no stage: the ladder stops at once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Final

from minhbach.calendar import TZ, WorkingCalendar, last_on_time_day, local_date
from minhbach.plan.models import Escalation

REMINDER_PREFIX: Final = "reminder_"
ESCALATE_PREFIX: Final = "escalate_"
OVERDUE: Final = "overdue"
PORTAL_DOWN: Final = "portal_down"
PORTAL_DOWN_PREFIX: Final = "portal-down:"
# Obligations about what a portal shows; a portal that cannot be reached silences them.
PORTAL_KINDS: Final = frozenset({"document_posting"})


@dataclass(frozen=True, slots=True)
class Obligation:
    """What the notifier knows of one obligation (from `scoring.obligation.changed`)."""

    obligation_id: str
    unit_code: str
    kind: str
    title: str
    due_at: datetime
    task_code: str | None = None
    period: str | None = None
    document_url: str | None = None
    fulfilled: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    after_overdue_working_days: int
    notify: str


@dataclass(frozen=True, slots=True)
class Ladder:
    """The plan's escalation ladder plus the deployment's repeat interval."""

    reminders: tuple[int, ...]  # strictly decreasing, e.g. (7, 3, 1)
    overdue_after: int
    steps: tuple[Step, ...] = ()
    repeat_every: int = 0  # working days between repeated overdue notices; 0: never

    @classmethod
    def from_plan(cls, escalation: Escalation, repeat_every: int = 0) -> Ladder:
        return cls(
            reminders=tuple(escalation.reminders_before_due_working_days),
            overdue_after=escalation.overdue_notice_after_working_days,
            steps=tuple(Step(s.after_overdue_working_days, s.notify) for s in escalation.steps),
            repeat_every=repeat_every,
        )


@dataclass(frozen=True, slots=True)
class Position:
    """Where an obligation stands: working days left before it, or working days late."""

    overdue: bool
    days: int  # left (not overdue) or late (overdue)


@dataclass(frozen=True, slots=True)
class PortalOutage:
    """A portal unreachable at `probes` inspections in a row, since `since`."""

    unit_code: str
    since: datetime
    probes: int
    portal_url: str = ""


@dataclass(frozen=True, slots=True)
class Silence:
    """An operator's "not now" for a unit's or one obligation's notices, until an instant."""

    silence_id: int
    until: datetime
    reason: str
    unit_code: str | None = None
    obligation_id: str | None = None

    def matches(self, item: Item, now: datetime) -> bool:
        if now >= self.until:
            return False
        return item.subject_unit == self.unit_code or item.obligation_id == self.obligation_id


ItemKey = tuple[str, str, str, int, str]
"""(recipient, obligation id, stage, repeat number, generation): notified at most once."""


@dataclass(frozen=True, slots=True)
class Item:
    """One line of a digest: an obligation at a stage, for one recipient."""

    recipient: str
    obligation_id: str
    stage: str
    repeat_no: int
    generation: str  # the due instant (or outage start) the stage was computed from
    subject_unit: str  # the unit the line is about (the late unit, the portal's owner)
    position: Position
    obligation: Obligation | None = field(default=None, compare=False)
    outage: PortalOutage | None = field(default=None, compare=False)

    @property
    def key(self) -> ItemKey:
        return (self.recipient, self.obligation_id, self.stage, self.repeat_no, self.generation)

    @property
    def escalation_level(self) -> int | None:
        if self.stage.startswith(ESCALATE_PREFIX):
            return int(self.stage.removeprefix(ESCALATE_PREFIX))
        return None


@dataclass(frozen=True, slots=True)
class Digest:
    """Everything one recipient is told in one sending round: one e-mail."""

    recipient: str
    recipient_email: str
    round_id: str
    items: tuple[Item, ...]
    key: str = field(init=False, compare=False)
    """Stable notice key from (recipient, round, items); doubles as the Message-ID's left part."""

    def __post_init__(self) -> None:
        parts = [self.recipient, self.round_id, *("|".join(map(str, i.key)) for i in self.items)]
        key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
        object.__setattr__(self, "key", key)

    @property
    def stage(self) -> str:
        """The most severe stage among the items (what the subject line leads with)."""
        return max((item.stage for item in self.items), key=severity)


@dataclass(frozen=True, slots=True)
class RoundPlan:
    digests: tuple[Digest, ...]
    inhibited: int = 0  # items held back by a portal outage
    silenced: int = 0
    unroutable: tuple[str, ...] = ()  # recipients the plan does not know


# --- stages -----------------------------------------------------------------------------------


def severity(stage: str) -> tuple[int, int]:
    """Order stages: reminders (far to near) < portal down < overdue < escalations (by level)."""
    if stage.startswith(ESCALATE_PREFIX):
        return (3, int(stage.removeprefix(ESCALATE_PREFIX)))
    if stage == OVERDUE:
        return (2, 0)
    if stage == PORTAL_DOWN:
        return (1, 0)
    if stage.startswith(REMINDER_PREFIX):
        return (0, -int(stage.removeprefix(REMINDER_PREFIX)))
    return (-1, 0)


def position(due_at: datetime, calendar: WorkingCalendar, now: datetime) -> Position:
    today = local_date(now)
    last_day = last_on_time_day(due_at)
    if now < due_at:
        return Position(overdue=False, days=max(calendar.working_days_between(today, last_day), 0))
    return Position(overdue=True, days=max(calendar.working_days_between(last_day, today), 0))


def due_items(
    obligation: Obligation, ladder: Ladder, calendar: WorkingCalendar, now: datetime
) -> tuple[Item, ...]:
    """The items this obligation calls for now (before de-duplication against what was sent)."""
    if obligation.fulfilled:
        return ()
    where = position(obligation.due_at, calendar, now)
    generation = obligation.due_at.isoformat()

    def item(recipient: str, stage: str, repeat_no: int = 0) -> Item:
        return Item(
            recipient,
            obligation.obligation_id,
            stage,
            repeat_no,
            generation,
            obligation.unit_code,
            where,
            obligation,
        )

    if not where.overdue:
        reached = [n for n in ladder.reminders if where.days <= n]
        return (item(obligation.unit_code, f"{REMINDER_PREFIX}{min(reached)}"),) if reached else ()
    items: list[Item] = []
    if where.days >= ladder.overdue_after:
        late_by = where.days - ladder.overdue_after
        repeat_no = late_by // ladder.repeat_every if ladder.repeat_every else 0
        items.append(item(obligation.unit_code, OVERDUE, repeat_no))
    for level, step in enumerate(ladder.steps, start=1):
        # The focal unit's own late report goes straight to the next level, not to itself.
        if where.days >= step.after_overdue_working_days and step.notify != obligation.unit_code:
            items.append(item(step.notify, f"{ESCALATE_PREFIX}{level}"))
    return tuple(items)


def outage_item(outage: PortalOutage, calendar: WorkingCalendar, now: datetime) -> Item:
    """One "portal down" line for the portal's owner, once per outage."""
    return Item(
        recipient=outage.unit_code,
        obligation_id=f"{PORTAL_DOWN_PREFIX}{outage.unit_code}",
        stage=PORTAL_DOWN,
        repeat_no=0,
        generation=outage.since.isoformat(),
        subject_unit=outage.unit_code,
        position=Position(overdue=False, days=0),
        outage=outage,
    )


# --- sending rounds ---------------------------------------------------------------------------


def in_working_hours(now: datetime, calendar: WorkingCalendar, start: time, end: time) -> bool:
    """Notices go out on working days between `start` and `end`, Vietnam time."""
    local = now.astimezone(TZ)
    return calendar.is_working_day(local.date()) and start <= local.time() < end


def round_id(now: datetime) -> str:
    """The sending round's name: the local minute it was decided in."""
    return now.astimezone(TZ).strftime("%Y-%m-%dT%H:%M")


def plan_round(
    obligations: Iterable[Obligation],
    ladder: Ladder,
    calendar: WorkingCalendar,
    now: datetime,
    *,
    emails: Mapping[str, str],
    already: frozenset[ItemKey] | set[ItemKey] = frozenset(),
    outages: Sequence[PortalOutage] = (),
    silences: Sequence[Silence] = (),
    outage_threshold: int = 1,
) -> RoundPlan:
    """One digest per recipient of everything due now and not yet notified.

    A portal outage confirmed by `outage_threshold` probes replaces its owner's portal-content
    items with one "portal down" line (inhibition). Silenced items are held back, not consumed:
    once the silence ends, whatever stage is then current goes out.
    """
    down = {o.unit_code: o for o in outages if o.probes >= outage_threshold}
    candidates: list[Item] = [outage_item(o, calendar, now) for o in down.values()]
    inhibited = 0
    foreign: set[str] = set()
    for obligation in obligations:
        if obligation.unit_code not in emails:
            foreign.add(obligation.unit_code)  # not a unit of this plan: nobody to tell
            continue
        for item in due_items(obligation, ladder, calendar, now):
            if obligation.kind in PORTAL_KINDS and obligation.unit_code in down:
                inhibited += 1
            else:
                candidates.append(item)
    by_recipient: dict[str, list[Item]] = defaultdict(list)
    silenced = 0
    for item in candidates:
        if item.key in already:
            continue
        if any(s.matches(item, now) for s in silences):
            silenced += 1
            continue
        by_recipient[item.recipient].append(item)
    name = round_id(now)
    digests = tuple(
        Digest(recipient, emails[recipient], name, _ordered(items))
        for recipient, items in sorted(by_recipient.items())
        if recipient in emails
    )
    unroutable = tuple(sorted(foreign | {r for r in by_recipient if r not in emails}))
    return RoundPlan(digests, inhibited, silenced, unroutable)


def _ordered(items: list[Item]) -> tuple[Item, ...]:
    """Most severe first, then the most urgent, then by obligation for a stable order."""
    return tuple(
        sorted(
            items,
            key=lambda i: (
                tuple(-x for x in severity(i.stage)),
                i.generation,
                i.obligation_id,
            ),
        )
    )
