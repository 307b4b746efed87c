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
from minhbach.plan import QUARTERS, YEAR, Plan

ALL_FILED = "all_filed"
DEADLINE = "deadline"
ROUND_COMPLETE = "round_complete"
ROUND_ENDED = "round_ended"


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """One period of the focal unit's consolidated report, with its lead and focal deadlines."""

    plan_year: int
    period: str  # Q1..Q4 | year
    starts: date
    lead_due_at: datetime  # exclusive, as intake and scoring count it
    focal_due_at: datetime
    draft_from: datetime  # the "deadline" trigger

    @property
    def key(self) -> str:
        return f"{self.plan_year}-{self.period}"


def report_periods(plan: Plan, calendar: WorkingCalendar) -> tuple[ReportPeriod, ...]:
    """The plan year's periods the plan covers (ending on or after it took effect)."""
    drafting = plan.drafting
    lead = {r.period: r for r in plan.reporting_rules_for("lead_units")}
    focal = {r.period: r for r in plan.reporting_rules_for("focal_unit")}
    if drafting is None or not lead or not focal:
        return ()
    year = plan.year
    spans = [
        (q, date(year, 3 * n - 2, 1), _quarter_end(year, n)) for n, q in enumerate(QUARTERS, 1)
    ]
    spans.append((YEAR, date(year, 1, 1), date(year, 12, 31)))
    periods = []
    for name, starts, ends in spans:
        kind = "year" if name == YEAR else "quarter"
        if ends < plan.meta.effective_from or kind not in lead or kind not in focal:
            continue
        focal_due = focal[kind].due(calendar, year, name)
        last_day = last_on_time_day(focal_due)
        before = calendar.add_working_days(last_day, -drafting.draft_working_days_before_due)
        periods.append(
            ReportPeriod(
                plan_year=year,
                period=name,
                starts=starts,
                lead_due_at=lead[kind].due(calendar, year, name),
                focal_due_at=focal_due,
                draft_from=start_of_day(before),
            )
        )
    return tuple(periods)


def _quarter_end(year: int, quarter: int) -> date:
    first_of_next = date(year + quarter // 4, 3 * quarter % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


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
    """The quarter whose reports are being collected now: the latest quarter that has ended,
    until its focal deadline has passed; then the quarter in progress."""
    quarters = [p for p in periods if p.period != YEAR]
    today = local_date(now)
    collecting = [p for p in quarters if p.starts <= today and now < p.focal_due_at]
    ended = [p for p in collecting if _period_end(p) < today]
    chosen = ended or collecting
    return chosen[0] if chosen else (quarters[-1] if quarters else None)


def _period_end(period: ReportPeriod) -> date:
    return _quarter_end(period.plan_year, QUARTERS.index(period.period) + 1)


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
