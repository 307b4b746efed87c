"""The plan's contents: every part, as the file lists them, and the lookups over them.

`Plan` (plan.py) is these contents once checked across the file; the checks
(`consistency.py`) read the contents, so neither module needs the other's class.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from minhbach.plan.drafting import Drafting
from minhbach.plan.models import (
    CalendarOverrides,
    DocumentKindEntry,
    Escalation,
    Indicator,
    Meta,
    PortalSection,
    ReadinessSignal,
    ReferenceLink,
    Roles,
    Task,
    Unit,
    UnitGroup,
)
from minhbach.plan.portal import PortalMonitoring, ResolvedCopyDuty, SectionSource
from minhbach.plan.rules import ReportingRule
from minhbach.plan.types import (
    COMMUNE_LEVEL_KINDS,
    LEVEL_UNIT_KIND,
    Frozen,
    Reporter,
    UnitKind,
    WorkingDays,
)
from minhbach.plan.wording import PlanWords, words_of

if TYPE_CHECKING:
    from minhbach.calendar import WorkingCalendar


class PlanContents(Frozen):
    """What a local government's yearly plan holds, and the lookups over it. Each part is
    checked on its own; `Plan` adds the checks across the file."""

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
        """The commune-level units under the plan's government (communes, wards, special
        zones, towns), each with its own portal; a commune's own plan has none."""
        own = self.locality_unit_or_none()
        return tuple(
            unit
            for unit in self.units_of_kind(*COMMUNE_LEVEL_KINDS)
            if own is None or unit.code != own.code
        )

    def locality_unit_or_none(self) -> Unit | None:
        kind = LEVEL_UNIT_KIND[self.meta.level]
        return next((unit for unit in self.units if unit.kind == kind), None)

    @property
    def locality_unit(self) -> Unit:
        """The unit of the plan's own government (kind of its level, with the main portal)."""
        unit = self.locality_unit_or_none()
        if unit is None:
            raise KeyError(f"no unit of kind {LEVEL_UNIT_KIND[self.meta.level]!r} in the plan")
        return unit

    @cached_property
    def words(self) -> PlanWords:
        """Words people read about the plan's government ("tỉnh Bắc Ninh", ...)."""
        own = self.locality_unit_or_none()
        return words_of(self.meta, self.units, own.code if own is not None else None)

    def portal_units(self) -> tuple[Unit, ...]:
        """Units that have a portal, in file order (the district's first in the seed)."""
        return tuple(unit for unit in self.units if unit.portal is not None)

    @cached_property
    def copy_duties(self) -> tuple[ResolvedCopyDuty, ...]:
        """`portal_monitoring.copy_duties` with groups resolved to units that have a portal."""
        if self.portal_monitoring is None:
            return ()
        resolved = []
        for duty in self.portal_monitoring.copy_duties:
            sources = tuple(
                code for code in self.expand_units(duty.documents_of) if self.unit(code).portal
            )
            targets = tuple(
                code
                for code in self.expand_units(duty.reposted_on)
                if self.unit(code).portal and code not in sources
            )
            kinds = dict.fromkeys(k for t in duty.tasks for k in self.task(t).document_kinds)
            resolved.append(
                ResolvedCopyDuty(
                    sources, targets, duty.tasks, tuple(kinds), duty.within_working_days
                )
            )
        return tuple(resolved)

    def copy_duties_onto(self, unit_code: str) -> tuple[ResolvedCopyDuty, ...]:
        """The duties whose documents `unit_code`'s portal must carry."""
        return tuple(duty for duty in self.copy_duties if unit_code in duty.targets)

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

    def reporting_rules_for(self, reporter: Reporter) -> tuple[ReportingRule, ...]:
        return tuple(rule for rule in self.reporting_rules if rule.reporter == reporter)

    def reporting_rules_covering(
        self, reporter: Reporter, period: str
    ) -> tuple[ReportingRule, ...]:
        """The reporter's rules that ask for a report of `period` (several tiers or recipients:
        one report answers each, judged against each rule's own deadline)."""
        return tuple(rule for rule in self.reporting_rules_for(reporter) if period in rule.periods)

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


def _index_tasks(plan: PlanContents, units_of: Any) -> dict[str, tuple[Task, ...]]:
    index: dict[str, list[Task]] = {}
    for task in plan.tasks:
        for code in units_of(task.code):
            index.setdefault(code, []).append(task)
    return {code: tuple(tasks) for code, tasks in index.items()}
