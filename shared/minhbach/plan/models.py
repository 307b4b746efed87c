"""The plan file's schema: frozen Pydantic models, each field checked on its own.

Checks that look across the file (references, uniqueness, sums) live in `consistency.py` and run
once the whole plan has parsed; they raise `PlanError` with one issue per problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from minhbach.plan.drafting import Drafting
from minhbach.plan.errors import PlanError
from minhbach.plan.portal import PortalMonitoring, SectionSource

if TYPE_CHECKING:
    from minhbach.calendar import WorkingCalendar

# --- scalar types -----------------------------------------------------------------------------

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Unit, group, section, signal, kind and rule codes: stable ASCII slugs.
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]


def _task_code_from_yaml(value: Any) -> Any:
    if isinstance(value, float | int) and not isinstance(value, bool):
        raise ValueError(f'task code {value!r} must be a quoted string such as "1.1"')
    return value


# "1.1", "6.4": indicator number, dot, task number.
TaskCode = Annotated[
    str,
    BeforeValidator(_task_code_from_yaml),
    StringConstraints(pattern=r"^[1-9][0-9]*\.[1-9][0-9]*$"),
]

UnitKind = Literal[
    "district", "department", "tax", "association", "centre", "commune", "town", "leadership"
]
TimingKind = Literal["ongoing", "after_issue", "on_change", "fixed_deadline"]
Weight = Annotated[float, Field(gt=0, le=1)]
WorkingDays = Annotated[int, Field(ge=1, le=365)]

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
WEIGHT_TOLERANCE = 1e-6
# Sub-index scores are out of 10 points; shares are percentages.
_TARGET_RANGES: Mapping[str, tuple[float, float]] = {"points": (0.0, 10.0), "percent": (0.0, 100.0)}


def check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"not a valid e-mail address: {value!r}")
    return value


def check_http_url(value: str) -> str:
    parts = urlsplit(value)
    has_space = any(char.isspace() for char in value)
    if parts.scheme not in ("http", "https") or not parts.hostname or has_space:
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- metadata ---------------------------------------------------------------------------------


class Target(_Frozen):
    """A goal for a score: `value` in `unit`, met when score `comparison` value."""

    unit: Literal["points", "percent"]
    value: float
    comparison: Literal[">=", "<="] = ">="
    text: Text | None = None  # the plan's own words, e.g. "trên hoặc bằng 50,6%"

    @field_validator("value")
    @classmethod
    def _in_range(cls, value: float, info: ValidationInfo) -> float:
        unit = info.data.get("unit")
        if isinstance(unit, str) and unit in _TARGET_RANGES:
            low, high = _TARGET_RANGES[unit]
            if not low <= value <= high:
                raise ValueError(f"a target in {unit} must lie between {low:g} and {high:g}")
        return value

    def is_met(self, score: float) -> bool:
        return score >= self.value if self.comparison == ">=" else score <= self.value


class IssuedDocument(_Frozen):
    """The plan's own number and date; the seed leaves both blank."""

    number: Text | None = None
    symbol: Text
    issued_on: date | None = None
    issued_month: int | None = Field(default=None, ge=1, le=12)


class Signer(_Frozen):
    name: Text
    title: Text


class ReferencedPlan(_Frozen):
    number: Text
    date: date
    issuer: Text
    title: Text


class Meta(_Frozen):
    title: Text
    district: Text
    province: Text
    year: int = Field(ge=2000, le=2100)
    issuer: Text
    document: IssuedDocument
    signer: Signer
    references: tuple[ReferencedPlan, ...] = ()
    timezone: Text
    effective_from: date
    overall_target: Target

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Roles(_Frozen):
    focal_unit: Code
    chairman: Code
    vice_chairman_in_charge: Code


# --- units ------------------------------------------------------------------------------------


class Unit(_Frozen):
    code: Code
    name: Text
    kind: UnitKind
    email: Annotated[str, BeforeValidator(str.strip)]
    portal: str | None = None
    person: Text | None = None
    note: Text | None = None

    _email = field_validator("email")(check_email)

    @field_validator("portal")
    @classmethod
    def _portal_url(cls, value: str | None) -> str | None:
        return None if value is None else check_http_url(value)


class UnitGroup(_Frozen):
    """A name tasks use for many units: every unit of `kinds`, plus `members`."""

    code: Code
    name: Text
    kinds: tuple[UnitKind, ...] = ()
    members: tuple[Code, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> UnitGroup:
        if not self.kinds and not self.members:
            raise ValueError("a group needs `kinds` or `members`")
        return self


# --- catalogues -------------------------------------------------------------------------------


class DocumentKindEntry(_Frozen):
    code: Code
    name: Text


class PortalSection(_Frozen):
    code: Code
    name: Text
    document_kinds: tuple[Code, ...] = ()
    required_by: Text
    required_on: tuple[UnitKind, ...] = ()


class ReferenceLink(_Frozen):
    code: Code
    name: Text
    url: str

    _url = field_validator("url")(check_http_url)


class ReadinessSignal(_Frozen):
    code: Code
    name: Text  # Vietnamese, shown in reports
    description: Text  # English, for operators


# --- indicators and tasks ---------------------------------------------------------------------


class Indicator(_Frozen):
    number: int = Field(ge=1, le=99)
    title: Text
    target: Target | None  # required key: write `target: null` where the plan sets none
    tasks: tuple[TaskCode, ...] = Field(min_length=1)
    readiness_weights: dict[Code, Weight] = Field(min_length=1)

    def __hash__(self) -> int:  # the weights dict would make the generated hash fail
        weights = frozenset(self.readiness_weights.items())
        return hash((self.number, self.title, self.target, self.tasks, weights))


class Timing(_Frozen):
    kind: TimingKind
    text: Text  # the plan's words, e.g. "Thường xuyên (Sau khi văn bản ban hành)"
    within_working_days: WorkingDays | None = None  # after_issue / on_change
    deadline: date | None = None  # fixed_deadline: the last day the task may be done

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Timing:
        if self.kind == "fixed_deadline" and self.deadline is None:
            raise ValueError("a fixed_deadline timing needs `deadline`")
        if self.kind != "fixed_deadline" and self.deadline is not None:
            raise ValueError(f"`deadline` only belongs to fixed_deadline timing, not {self.kind}")
        if self.kind in ("ongoing", "fixed_deadline") and self.within_working_days is not None:
            raise ValueError(
                f"`within_working_days` only belongs to after_issue/on_change, not {self.kind}"
            )
        return self

    @property
    def is_event_driven(self) -> bool:
        """Due a set number of working days after a document is issued or a rule changes."""
        return self.kind in ("after_issue", "on_change")


class Task(_Frozen):
    code: TaskCode
    indicator: int = Field(ge=1)
    text: Text
    lead: tuple[Code, ...] = Field(min_length=1)  # unit or group codes, as written
    supporting: tuple[Code, ...] = ()
    supporting_role: Text | None = None  # e.g. "đôn đốc, hướng dẫn và kiểm tra việc thực hiện"
    timing: Timing
    merged_cells_from: TaskCode | None = None
    document_kinds: tuple[Code, ...] = ()
    portal_sections: tuple[Code, ...] = ()


# --- rules ------------------------------------------------------------------------------------


class ReportingRule(_Frozen):
    """Who reports to whom, per period, due before day/month ("before the 2nd" = by end of 1st)."""

    code: Code
    reporter: Literal["lead_units", "focal_unit"]
    period: Literal["quarter", "year"]
    due_before_day: int = Field(ge=1, le=31)
    due_before_month: int | None = Field(default=None, ge=1, le=12)
    recipient: Code
    text: Text | None = None

    @field_validator("due_before_month")
    @classmethod
    def _month_fits_period(cls, month: int | None, info: ValidationInfo) -> int | None:
        period = info.data.get("period")
        if period == "quarter" and month is not None:
            raise ValueError("a quarterly rule is due in the month after the quarter: use null")
        if period == "year" and month is None:
            raise ValueError("a yearly rule needs the month it is due in")
        day = info.data.get("due_before_day")
        if month is not None and day is not None:
            try:
                date(2024, month, day)  # a leap year, so 29/2 is accepted
            except ValueError:
                raise ValueError(f"day {day} does not exist in month {month}") from None
        return month


class EscalationStep(_Frozen):
    after_overdue_working_days: WorkingDays
    notify: Code


class Escalation(_Frozen):
    """Reminders before a due date, a notice when late, then escalation up the ladder."""

    reminders_before_due_working_days: tuple[WorkingDays, ...] = ()
    overdue_notice_after_working_days: int = Field(ge=0, le=365)
    steps: tuple[EscalationStep, ...] = ()

    @field_validator("reminders_before_due_working_days")
    @classmethod
    def _reminders_descending(cls, offsets: tuple[int, ...]) -> tuple[int, ...]:
        if any(a <= b for a, b in pairwise(offsets)):
            raise ValueError("reminder offsets must be strictly decreasing, e.g. [7, 3, 1]")
        return offsets

    @field_validator("steps")
    @classmethod
    def _steps_ascending(
        cls, steps: tuple[EscalationStep, ...], info: ValidationInfo
    ) -> tuple[EscalationStep, ...]:
        days = [step.after_overdue_working_days for step in steps]
        if any(a >= b for a, b in pairwise(days)):
            raise ValueError("escalation steps must come at strictly increasing days overdue")
        notice = info.data.get("overdue_notice_after_working_days")
        if days and notice is not None and days[0] <= notice:
            raise ValueError("the first escalation must come after the overdue notice")
        return steps


class DatedReason(_Frozen):
    date: date
    reason: Text


class CalendarOverrides(_Frozen):
    """Days the plan adds on top of Vietnam's public holidays (the `holidays` package)."""

    extra_holidays: tuple[DatedReason, ...] = ()
    extra_working_days: tuple[DatedReason, ...] = ()

    @property
    def extra_holiday_dates(self) -> frozenset[date]:
        return frozenset(entry.date for entry in self.extra_holidays)

    @property
    def extra_working_day_dates(self) -> frozenset[date]:
        return frozenset(entry.date for entry in self.extra_working_days)


# --- the plan ---------------------------------------------------------------------------------


class Plan(_Frozen):
    """A district's yearly plan. Built by `parse_plan`/`load_plan`; constructing it directly runs
    the same checks and raises `PlanError` (without line numbers) on a cross-reference problem."""

    schema_version: Literal[1]
    meta: Meta
    roles: Roles
    publication_window_working_days: WorkingDays
    units: tuple[Unit, ...] = Field(min_length=1)
    unit_groups: tuple[UnitGroup, ...] = ()
    document_kinds: tuple[DocumentKindEntry, ...] = ()
    portal_sections: tuple[PortalSection, ...] = ()
    reference_links: tuple[ReferenceLink, ...] = ()
    readiness_signals: tuple[ReadinessSignal, ...] = Field(min_length=1)
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    tasks: tuple[Task, ...] = Field(min_length=1)
    reporting_rules: tuple[ReportingRule, ...] = ()
    escalation: Escalation
    calendar: CalendarOverrides = CalendarOverrides()
    portal_monitoring: PortalMonitoring | None = None  # how portal-monitor reads each portal
    drafting: Drafting | None = None  # the focal unit's drafted documents (reporting)

    @model_validator(mode="before")
    @classmethod
    def _default_publication_windows(cls, data: Any) -> Any:
        """Event-driven tasks without their own window take the plan-wide one."""
        if not isinstance(data, dict) or not isinstance(data.get("tasks"), list):
            return data
        window = data.get("publication_window_working_days")
        if not isinstance(window, int) or isinstance(window, bool):
            return data  # the plan-wide value is itself wrong and reported on its own line
        tasks = [_with_default_window(task, window) for task in data["tasks"]]
        return {**data, "tasks": tasks}

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
        from minhbach.plan.consistency import find_consistency_issues

        issues = find_consistency_issues(self)
        if issues:
            raise PlanError(issues)
        return self

    # --- indexes (built once, on first use) ---

    @cached_property
    def _units_by_code(self) -> dict[str, Unit]:
        return {unit.code: unit for unit in self.units}

    @cached_property
    def _groups_by_code(self) -> dict[str, UnitGroup]:
        return {group.code: group for group in self.unit_groups}

    @cached_property
    def _tasks_by_code(self) -> dict[str, Task]:
        return {task.code: task for task in self.tasks}

    @cached_property
    def _indicators_by_number(self) -> dict[int, Indicator]:
        return {indicator.number: indicator for indicator in self.indicators}

    # --- lookups ---

    def unit(self, code: str) -> Unit:
        try:
            return self._units_by_code[code]
        except KeyError:
            raise KeyError(f"no unit {code!r} in the plan") from None

    def has_unit(self, code: str) -> bool:
        return code in self._units_by_code

    def group(self, code: str) -> UnitGroup:
        try:
            return self._groups_by_code[code]
        except KeyError:
            raise KeyError(f"no unit group {code!r} in the plan") from None

    def task(self, code: str) -> Task:
        try:
            return self._tasks_by_code[code]
        except KeyError:
            raise KeyError(f"no task {code!r} in the plan") from None

    def indicator(self, number: int) -> Indicator:
        try:
            return self._indicators_by_number[number]
        except KeyError:
            raise KeyError(f"no indicator {number} in the plan") from None

    def tasks_of_indicator(self, number: int) -> tuple[Task, ...]:
        return tuple(self.task(code) for code in self.indicator(number).tasks)

    def units_of_kind(self, *kinds: UnitKind) -> tuple[Unit, ...]:
        return tuple(unit for unit in self.units if unit.kind in kinds)

    def communes(self) -> tuple[Unit, ...]:
        """Communes and towns (each runs its own portal)."""
        return self.units_of_kind("commune", "town")

    def portal_units(self) -> tuple[Unit, ...]:
        """Units that have a portal, in file order (the district's first in the seed)."""
        return tuple(unit for unit in self.units if unit.portal is not None)

    def expand_units(self, refs: Iterable[str]) -> tuple[str, ...]:
        """Unit codes for unit and group codes, in order, without repeats."""
        codes: dict[str, None] = {}
        for ref in refs:
            if ref in self._groups_by_code:
                codes.update(dict.fromkeys(self._group_members(self._groups_by_code[ref])))
            else:
                codes[self.unit(ref).code] = None
        return tuple(codes)

    def _group_members(self, group: UnitGroup) -> tuple[str, ...]:
        by_kind = (unit.code for unit in self.units if unit.kind in group.kinds)
        return tuple(dict.fromkeys([*by_kind, *group.members]))

    def lead_unit_codes(self, task_code: str) -> tuple[str, ...]:
        return self.expand_units(self.task(task_code).lead)

    def supporting_unit_codes(self, task_code: str) -> tuple[str, ...]:
        return self.expand_units(self.task(task_code).supporting)

    def lead_units(self, task_code: str) -> tuple[Unit, ...]:
        return tuple(self.unit(code) for code in self.lead_unit_codes(task_code))

    def supporting_units(self, task_code: str) -> tuple[Unit, ...]:
        return tuple(self.unit(code) for code in self.supporting_unit_codes(task_code))

    @cached_property
    def _tasks_by_lead(self) -> dict[str, tuple[Task, ...]]:
        return _index_tasks(self, self.lead_unit_codes)

    @cached_property
    def _tasks_by_supporter(self) -> dict[str, tuple[Task, ...]]:
        return _index_tasks(self, self.supporting_unit_codes)

    def tasks_led_by(self, unit_code: str) -> tuple[Task, ...]:
        return self._tasks_by_lead.get(self.unit(unit_code).code, ())

    def tasks_supported_by(self, unit_code: str) -> tuple[Task, ...]:
        return self._tasks_by_supporter.get(self.unit(unit_code).code, ())

    def lead_unit_codes_all(self) -> tuple[str, ...]:
        """Every unit that leads at least one task (the reporters of `lead_units` rules)."""
        return tuple(code for code in self._units_by_code if code in self._tasks_by_lead)

    def reporting_rules_for(
        self, reporter: Literal["lead_units", "focal_unit"]
    ) -> tuple[ReportingRule, ...]:
        return tuple(rule for rule in self.reporting_rules if rule.reporter == reporter)

    def section_sources(self, unit_code: str) -> tuple[SectionSource, ...]:
        """Where portal-monitor finds each section on the unit's portal (empty: not monitored)."""
        unit = self.unit(unit_code)
        if unit.portal is None or self.portal_monitoring is None:
            return ()
        return self.portal_monitoring.section_sources(unit.code)

    @property
    def focal_unit(self) -> Unit:
        return self.unit(self.roles.focal_unit)

    @property
    def chairman(self) -> Unit:
        return self.unit(self.roles.chairman)

    @property
    def vice_chairman_in_charge(self) -> Unit:
        return self.unit(self.roles.vice_chairman_in_charge)

    @property
    def year(self) -> int:
        return self.meta.year

    def working_calendar(self) -> WorkingCalendar:
        """Vietnam's working days with this plan's extra days off and extra working days."""
        from minhbach.calendar import WorkingCalendar

        return WorkingCalendar.from_overrides(
            self.calendar.extra_holiday_dates, self.calendar.extra_working_day_dates
        )

    def expanded(self) -> dict[str, Any]:
        """The plan as JSON-ready data, with every group resolved to unit codes per task and
        group: what `minhbach plan show --json` prints."""
        data = self.model_dump(mode="json")
        for task in data["tasks"]:
            task["lead_units"] = list(self.lead_unit_codes(task["code"]))
            task["supporting_units"] = list(self.supporting_unit_codes(task["code"]))
        for group in data["unit_groups"]:
            group["units"] = list(self._group_members(self.group(group["code"])))
        data["focal_unit"] = self.focal_unit.model_dump(mode="json")
        return data


def _with_default_window(task: Any, window: int) -> Any:
    if not isinstance(task, dict) or not isinstance(task.get("timing"), dict):
        return task
    timing = task["timing"]
    if timing.get("kind") not in ("after_issue", "on_change") or "within_working_days" in timing:
        return task
    return {**task, "timing": {**timing, "within_working_days": window}}


def _index_tasks(plan: Plan, units_of: Any) -> dict[str, tuple[Task, ...]]:
    index: dict[str, list[Task]] = {}
    for task in plan.tasks:
        for code in units_of(task.code):
            index.setdefault(code, []).append(task)
    return {code: tuple(tasks) for code, tasks in index.items()}
