"""When a draft is due: the reporting periods, the inspection rounds, and the triggers.

A consolidated report for a period is drafted the moment every lead unit has filed, or from the
start of the day `draft_working_days_before_due` working days before the focal unit's last
permitted day, with the gaps named. An inspection notice is drafted once every monitored portal
was inspected in the round, or when the round has ended (naming the portals not inspected).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from minhbach.calendar import TZ, WorkingCalendar, last_on_time_day, local_date, start_of_day
from minhbach.periods import PERIOD_CODES, YEAR, ReportingPeriod, period_label
from minhbach.plan import Plan

ALL_FILED = "all_filed"
DEADLINE = "deadline"
ROUND_COMPLETE = "round_complete"
ROUND_ENDED = "round_ended"


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """One consolidated report the focal unit owes: a period of one of its reporting rules,
    with the lead units' and its own deadlines. Each focal rule (tier, recipient) has its own."""

    plan_year: int
    period: str  # a period code of minhbach.periods: Q1..Q4, H1, H2, M9, year
    starts: date
    lead_due_at: datetime  # exclusive, as intake and scoring count it (the earliest lead rule)
    focal_due_at: datetime
    draft_from: datetime  # the "deadline" trigger
    ends: date | None = None  # the period's last day (None: computed from the code)
    rule_code: str = ""  # the focal rule this report answers
    recipients: tuple[str, ...] = ()  # the rule's recipients (unit codes)
    data_span: tuple[date, date] | None = None  # the figures' days, when the plan sets a cut-off
    # The first focal rule of the plan asking for the period keeps the plain key ("2024-Q3",
    # as before several tiers existed); a further rule's drafts are keyed by its code too.
    primary: bool = True

    @property
    def key(self) -> str:
        plain = ReportingPeriod(self.plan_year, self.period).key
        return plain if self.primary else f"{plain}-{self.rule_code}"

    @property
    def last_day(self) -> date:
        return self.ends or ReportingPeriod(self.plan_year, self.period).last_day

    @property
    def label(self) -> str:
        return period_label(self.period, self.plan_year)


def report_periods(plan: Plan, calendar: WorkingCalendar) -> tuple[ReportPeriod, ...]:
    """Every consolidated report of the plan year: each focal rule's periods that end on or
    after the plan took effect and that lead units report on too, in the order they end."""
    drafting = plan.drafting
    if drafting is None:
        return ()
    year = plan.year
    found: list[tuple[tuple[date, int, int], ReportPeriod]] = []
    primary_taken: set[str] = set()
    for index, rule in enumerate(plan.reporting_rules_for("focal_unit")):
        for code in rule.periods:
            span = ReportingPeriod(year, code)
            lead = plan.reporting_rules_covering("lead_units", code)
            if span.last_day < plan.meta.effective_from or not lead:
                continue
            focal_due = rule.due(calendar, year, code)
            last_day = last_on_time_day(focal_due)
            before = calendar.add_working_days(last_day, -drafting.draft_working_days_before_due)
            cutoff = rule.data_span(year, code) or next(
                (s for s in (r.data_span(year, code) for r in lead) if s is not None), None
            )
            period = ReportPeriod(
                plan_year=year,
                period=code,
                starts=span.first_day,
                lead_due_at=min(r.due(calendar, year, code) for r in lead),
                focal_due_at=focal_due,
                draft_from=start_of_day(before),
                ends=span.last_day,
                rule_code=rule.code,
                recipients=rule.recipients,
                data_span=cutoff,
                primary=code not in primary_taken,
            )
            primary_taken.add(code)
            found.append(((span.last_day, PERIOD_CODES.index(code), index), period))
    return tuple(period for _order, period in sorted(found, key=lambda item: item[0]))


def report_trigger(
    period: ReportPeriod, lead_units: Collection[str], filed: Collection[str], now: datetime
) -> str | None:
    """Why the period's report is due now (None: not yet)."""
    if local_date(now) < period.starts:
        return None
    if lead_units and set(lead_units) <= set(filed):
        return ALL_FILED
    if now >= period.draft_from:
        return DEADLINE
    return None


def current_period(periods: tuple[ReportPeriod, ...], now: datetime) -> ReportPeriod | None:
    """The period whose reports are being collected now (the year aside): the earliest that has
    ended, until its focal deadline has passed; then the one in progress."""
    quarters = [p for p in periods if p.period != YEAR]
    today = local_date(now)
    collecting = [p for p in quarters if p.starts <= today and now < p.focal_due_at]
    ended = [p for p in collecting if p.last_day < today]
    chosen = ended or collecting
    return chosen[0] if chosen else (quarters[-1] if quarters else None)


# --- inspection rounds ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InspectionRound:
    key: str  # "2024-W40" (ISO week), "2024-10" (month) or "2024-Q4" (quarter)
    starts: datetime
    ends: datetime  # exclusive


def inspection_round(kind: str, moment: datetime) -> InspectionRound:
    """The round a moment falls in: the ISO week, the month or the quarter, in Vietnam time."""
    day = local_date(moment)
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        iso = monday.isocalendar()
        return InspectionRound(
            f"{iso.year}-W{iso.week:02d}",
            start_of_day(monday),
            start_of_day(monday + timedelta(days=7)),
        )
    if kind == "quarter":
        quarter = (day.month - 1) // 3 + 1
        first = date(day.year, 3 * quarter - 2, 1)
        following = date(day.year + quarter // 4, 3 * (quarter % 4) + 1, 1)
        return InspectionRound(
            f"{day.year}-Q{quarter}", start_of_day(first), start_of_day(following)
        )
    first = day.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return InspectionRound(f"{first:%Y-%m}", start_of_day(first), start_of_day(following))


def round_of_key(kind: str, key: str) -> InspectionRound:
    if kind == "week":
        year, week = key.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    elif kind == "quarter":
        year, quarter = key.split("-Q")
        monday = date(int(year), 3 * int(quarter) - 2, 1)
    else:
        year, month = key.split("-")
        monday = date(int(year), int(month), 1)
    return inspection_round(kind, datetime.combine(monday, datetime.min.time(), tzinfo=TZ))


def round_trigger(
    round_: InspectionRound, portals: Collection[str], inspected: Collection[str], now: datetime
) -> str | None:
    """Why the round's notice is due now (None: not yet, or nothing was inspected)."""
    if not inspected:
        return None
    if set(portals) <= set(inspected):
        return ROUND_COMPLETE
    if now >= round_.ends:
        return ROUND_ENDED
    return None
