"""The readiness model: the plan's indicators, their figures from the inputs, the overall mean."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import cached_property

from minhbach.plan import Indicator, Plan
from scoring import messages
from scoring.domain.facts import ReportFact
from scoring.domain.obligations import ObligationRules
from scoring.domain.readiness.figures import (
    DECIMALS,
    IndicatorFigure,
    Measured,
    OverallReadiness,
    SignalFigure,
    clamp_round,
    weighted,
)
from scoring.domain.readiness.inputs import ReadinessInputs, TaskState, task_states
from scoring.domain.readiness.signals import SIGNALS


class ReadinessModel:
    """The plan's eight (or however many) indicators; build once per plan."""

    def __init__(self, plan: Plan, rules: ObligationRules | None = None) -> None:
        self.plan = plan
        self.rules = rules or ObligationRules(plan)
        self._signal_names = {s.code: s.name for s in plan.readiness_signals}

    # --- which figures an input can move ----------------------------------------------------

    def indicators_using(self, signals: Iterable[str]) -> frozenset[int]:
        wanted = set(signals)
        return frozenset(
            i.number for i in self.plan.indicators if wanted & set(i.readiness_weights)
        )

    def indicators_of_tasks(self, task_codes: Iterable[str]) -> frozenset[int]:
        numbers = set()
        for code in task_codes:
            try:
                numbers.add(self.plan.task(code).indicator)
            except KeyError:
                continue
        return frozenset(numbers)

    @cached_property
    def all_pairs(self) -> frozenset[tuple[str, str]]:
        """Every (task, lead unit) pair of the plan: the task states worth keeping."""
        return frozenset(pair for pairs in self.pairs.values() for pair in pairs)

    def task_states(self, reports: Iterable[ReportFact]) -> dict[tuple[str, str], TaskState]:
        return task_states(reports, self.all_pairs)

    @cached_property
    def pairs(self) -> dict[int, tuple[tuple[str, str], ...]]:
        """Per indicator, its (task, lead unit) pairs."""
        return {
            i.number: tuple(
                (t.code, u)
                for t in self.plan.tasks_of_indicator(i.number)
                for u in self.plan.lead_unit_codes(t.code)
            )
            for i in self.plan.indicators
        }

    # --- figures ----------------------------------------------------------------------------

    def figure(
        self,
        number: int,
        inputs: ReadinessInputs,
        now: datetime,
        *,
        with_items: bool = True,
        only: Collection[str] | None = None,
        previous: IndicatorFigure | None = None,
    ) -> IndicatorFigure:
        """The indicator's figure. With `only` and `previous`, signals outside `only` keep their
        previous value (the caller knows its inputs cannot have moved them)."""
        indicator = self.plan.indicator(number)
        signals = []
        for code, weight in indicator.readiness_weights.items():
            kept = previous.signal(code) if previous is not None else None
            if only is not None and code not in only and kept is not None:
                signals.append(replace(kept, weight=weight))
                continue
            measure = SIGNALS.get(code)
            measured = (
                measure(self, indicator, inputs, now, with_items)
                if measure
                else Measured.unknown(messages.UNKNOWN_SIGNAL)
            )
            signals.append(
                SignalFigure(
                    code=code,
                    name=self._signal_names.get(code, code),
                    value=clamp_round(measured.value),
                    weight=weight,
                    evidence=measured.evidence,
                    items=measured.items,
                    has_data=measured.missing is None,
                    missing=measured.missing or "",
                )
            )
        readiness = clamp_round(weighted(signals))
        return IndicatorFigure(number, readiness, tuple(signals))

    def figures(
        self,
        inputs: ReadinessInputs,
        now: datetime,
        numbers: Iterable[int] | None = None,
        *,
        with_items: bool = True,
    ) -> tuple[IndicatorFigure, ...]:
        wanted = (
            sorted(numbers) if numbers is not None else [i.number for i in self.plan.indicators]
        )
        return tuple(self.figure(n, inputs, now, with_items=with_items) for n in wanted)

    def overall(self, figures: Sequence[IndicatorFigure]) -> OverallReadiness:
        """The mean readiness of the indicators that have data, next to the plan's target as a
        share (an indicator with nothing to count is not a zero)."""
        known = [f.readiness for f in figures if f.has_data]
        mean = sum(known) / len(known) if known else 0.0
        readiness = clamp_round(mean)
        target = self.plan.meta.overall_target
        share = round(target.share, DECIMALS)
        # Whether the target is met cannot be said while some indicator has nothing to count.
        complete = len(known) == len(figures)
        meets = target.is_met_by_share(readiness) if complete and figures else None
        return OverallReadiness(readiness, share, meets)

    # --- helpers for signals ----------------------------------------------------------------

    def unit_name(self, code: str) -> str:
        return self.plan.unit(code).name if self.plan.has_unit(code) else code

    def task_kinds(self, indicator: Indicator) -> frozenset[str]:
        return frozenset(
            kind
            for t in self.plan.tasks_of_indicator(indicator.number)
            for kind in t.document_kinds
        )

    def directive_sections(self) -> frozenset[str]:
        monitoring = self.plan.portal_monitoring
        if monitoring is not None and monitoring.directive_section is not None:
            return frozenset({monitoring.directive_section})
        return frozenset(
            s.code for s in self.plan.portal_sections if "directive" in s.document_kinds
        )

    @property
    def directive_kind(self) -> str:
        monitoring = self.plan.portal_monitoring
        return monitoring.directive_kind if monitoring is not None else "directive"
