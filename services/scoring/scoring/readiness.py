"""Indicator readiness, as pure functions: each figure in [0, 1] from named signals.

A figure is the weighted sum of its signals (weights from the plan file, summing to 1); each
signal is a share in [0, 1] with the evidence it was counted from, so anyone can see why a figure
is what it is. Where there is nothing to count, a signal is 0 and says so: readiness is what the
district has shown it does, not what it might do.

Readiness measures what the district controls (reports, postings, portal sections, portals up),
not the firms' survey answers that make the PCI/DDCI score.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cached_property
from uuid import UUID

from minhbach.events.catalogue import ObligationKind, ObligationStatus, TaskStatus
from minhbach.plan import Indicator, Plan
from scoring import messages
from scoring.facts import DocumentFact, ProbeFact, ReportFact
from scoring.obligations import Obligation, ObligationRules

DECIMALS = 6
AVAILABILITY_DAYS = 7


class Checks:
    """Names of the portal checks (ProbeFinished.checks[].check) each signal reads."""

    SECTION_PRESENT = frozenset({"section_present"})
    SECTION_FRESH = frozenset({"section_fresh"})
    QA_ACTIVE = frozenset({"qa_active"})
    LEGAL_LINKS = frozenset({"legal_links"})


# --- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskState:
    """What a lead unit last reported about one task."""

    task_code: str
    unit_code: str
    status: str
    report_id: UUID
    reported_at: datetime
    version_no: int = 1

    @property
    def rank(self) -> tuple[datetime, int, str]:
        """Later reports win: by submission, then version, then id (never by arrival order)."""
        return (self.reported_at, self.version_no, str(self.report_id))


def task_states(
    reports: Iterable[ReportFact], pairs: Collection[tuple[str, str]] | None = None
) -> dict[tuple[str, str], TaskState]:
    """Per (task, unit): the status in the latest report mentioning it (only `pairs`, if given:
    a unit reporting on a task it does not lead counts for nothing)."""
    latest: dict[tuple[str, str], TaskState] = {}
    for report in reports:
        for task_code, status in report.tasks:
            key = (task_code, report.unit_code)
            if pairs is not None and key not in pairs:
                continue
            state = TaskState(
                task_code,
                report.unit_code,
                status,
                report.report_id,
                report.submitted_at,
                report.version_no,
            )
            if key not in latest or state.rank > latest[key].rank:
                latest[key] = state
    return latest


@dataclass(frozen=True)
class ReadinessInputs:
    """Everything a figure is computed from. The store may pass subsets that are sufficient:
    obligations of kinds document_posting and fixed_deadline_task, the latest reached probe of
    each portal plus the probes of the availability window, and the documents in directive
    sections."""

    task_states: Mapping[tuple[str, str], TaskState] = field(default_factory=dict)
    obligations: Sequence[Obligation] = ()
    probes: Sequence[ProbeFact] = ()
    documents: Sequence[DocumentFact] = ()
    # Done pairs per task: enough for the value of tasks_reported_done (not for its items).
    done_counts: Mapping[str, int] | None = None


# --- outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    label: str
    ok: bool
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class SignalFigure:
    code: str
    name: str
    value: float
    weight: float
    evidence: str
    items: tuple[EvidenceItem, ...] = ()


@dataclass(frozen=True, slots=True)
class IndicatorFigure:
    indicator: int
    readiness: float
    signals: tuple[SignalFigure, ...]

    def values(self) -> dict[str, float]:
        return {s.code: s.value for s in self.signals}

    def signal(self, code: str) -> SignalFigure | None:
        return next((s for s in self.signals if s.code == code), None)


@dataclass(frozen=True, slots=True)
class OverallReadiness:
    readiness: float
    target_share: float | None  # the plan's overall target as a share of its scale
    meets_target_share: bool | None


@dataclass(frozen=True, slots=True)
class _Measured:
    value: float
    evidence: str
    items: tuple[EvidenceItem, ...] = ()


def _ratio(ok: int, total: int) -> float:
    return ok / total if total else 0.0


class _Tally:
    """Counts what passed; keeps the evidence items only when asked (labels are built lazily:
    the write path needs the value, a reader of the API needs the items)."""

    def __init__(self, with_items: bool) -> None:
        self.with_items = with_items
        self.ok = 0
        self.total = 0
        self.items: list[EvidenceItem] = []

    def add(self, ok: bool, label: Callable[[], str], ref: str | None = None) -> None:
        self.total += 1
        self.ok += ok
        if self.with_items:
            self.items.append(EvidenceItem(label(), ok, ref))

    def measured(self, summary: Callable[[int, int], str]) -> _Measured:
        if not self.total:
            return _Measured(0.0, messages.NO_DATA)
        return _Measured(
            _ratio(self.ok, self.total), summary(self.ok, self.total), tuple(self.items)
        )


def clamp_round(value: float) -> float:
    return round(min(1.0, max(0.0, value)), DECIMALS)


# --- the model ----------------------------------------------------------------------------------

SignalFn = Callable[["ReadinessModel", Indicator, ReadinessInputs, datetime, bool], _Measured]


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
                else _Measured(0.0, messages.UNKNOWN_SIGNAL)
            )
            signals.append(
                SignalFigure(
                    code=code,
                    name=self._signal_names.get(code, code),
                    value=clamp_round(measured.value),
                    weight=weight,
                    evidence=measured.evidence,
                    items=measured.items,
                )
            )
        readiness = clamp_round(sum(s.value * s.weight for s in signals))
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
        """The mean of the indicators' readiness, next to the plan's target as a share."""
        mean = sum(f.readiness for f in figures) / len(figures) if figures else 0.0
        readiness = clamp_round(mean)
        target = self.plan.meta.overall_target
        scale = 10.0 if target.unit == "points" else 100.0
        share = round(target.value / scale, DECIMALS)
        return OverallReadiness(readiness, share, target.is_met(readiness * scale))

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


# --- signals ------------------------------------------------------------------------------------


def _tasks_reported_done(
    model: ReadinessModel,
    indicator: Indicator,
    inputs: ReadinessInputs,
    now: datetime,
    with_items: bool,
) -> _Measured:
    pairs = model.pairs[indicator.number]
    if inputs.done_counts is not None and not with_items:
        done = sum(inputs.done_counts.get(code, 0) for code in indicator.tasks)
        if not pairs:
            return _Measured(0.0, messages.NO_DATA)
        return _Measured(done / len(pairs), messages.tasks_done_summary(done, len(pairs)))
    tally = _Tally(with_items)
    for task_code, unit in pairs:
        state = inputs.task_states.get((task_code, unit))
        status = state.status if state else None
        tally.add(
            status == TaskStatus.DONE.value,
            lambda t=task_code, u=unit, s=status: messages.task_pair_label(  # type: ignore[misc]
                t, model.unit_name(u), s
            ),
            f"report:{state.report_id}" if state else None,
        )
    return tally.measured(messages.tasks_done_summary)


def _documents_posted_on_time(
    model: ReadinessModel,
    indicator: Indicator,
    inputs: ReadinessInputs,
    now: datetime,
    with_items: bool,
) -> _Measured:
    kinds = model.task_kinds(indicator)
    tally = _Tally(with_items)
    late = overdue = 0
    for ob in sorted(inputs.obligations, key=lambda o: o.obligation_id):
        if ob.kind != ObligationKind.DOCUMENT_POSTING or ob.document_kind not in kinds:
            continue
        status = ob.status(now)
        if status in _FELL_DUE:
            late += status == ObligationStatus.FULFILLED_LATE
            overdue += status == ObligationStatus.OVERDUE
            tally.add(
                status == ObligationStatus.FULFILLED_ON_TIME,
                lambda o=ob, s=status: messages.obligation_label(  # type: ignore[misc]
                    model.unit_name(o.unit_code), o.title, s
                ),
                ob.document_url,
            )
    return tally.measured(lambda ok, _total: messages.documents_on_time_summary(ok, late, overdue))


_FELL_DUE = frozenset(
    {
        ObligationStatus.FULFILLED_ON_TIME,
        ObligationStatus.FULFILLED_LATE,
        ObligationStatus.OVERDUE,
    }
)


def latest_reached_probes(probes: Iterable[ProbeFact]) -> dict[str, ProbeFact]:
    """Per portal, the latest probe that reached it (unreachable is not "section missing")."""
    latest: dict[str, ProbeFact] = {}
    for probe in probes:
        if not probe.reached:
            continue
        best = latest.get(probe.portal_unit_code)
        if best is None or (probe.finished_at, str(probe.probe_id)) > (
            best.finished_at,
            str(best.probe_id),
        ):
            latest[probe.portal_unit_code] = probe
    return latest


def _checks_pass(probe: ProbeFact, names: frozenset[str], section: str | None) -> bool | None:
    """All matching checks passed (None: no such check in the probe)."""
    found = [
        c for c in probe.checks if c.check in names and (section is None or c.section == section)
    ]
    return all(c.passed for c in found) if found else None


def _sections_present_fresh(
    model: ReadinessModel,
    indicator: Indicator,
    inputs: ReadinessInputs,
    now: datetime,
    with_items: bool,
) -> _Measured:
    wanted = {
        code for t in model.plan.tasks_of_indicator(indicator.number) for code in t.portal_sections
    }
    sections = [s for s in model.plan.portal_sections if s.code in wanted]
    latest = latest_reached_probes(inputs.probes)
    tally = _Tally(with_items)
    for unit in model.plan.portal_units():
        probe = latest.get(unit.code)
        for section in sections:
            if unit.kind not in section.required_on:
                continue
            ok, detail = False, messages.SECTION_NO_PROBE
            if probe is not None:
                present = _checks_pass(probe, Checks.SECTION_PRESENT, section.code)
                fresh = _checks_pass(probe, Checks.SECTION_FRESH, section.code)
                ok = bool(present) and fresh is not False
                detail = (
                    messages.SECTION_OK
                    if ok
                    else messages.SECTION_STALE
                    if present
                    else messages.SECTION_MISSING
                )
            tally.add(
                ok,
                lambda n=unit.name, s=section.name, d=detail: messages.section_label(n, s, d),  # type: ignore[misc]
            )
    return tally.measured(messages.sections_summary)


def _portal_check(names: frozenset[str], summary: Callable[[int, int], str]) -> SignalFn:
    def measure(
        model: ReadinessModel,
        indicator: Indicator,
        inputs: ReadinessInputs,
        now: datetime,
        with_items: bool,
    ) -> _Measured:
        latest = latest_reached_probes(inputs.probes)
        tally = _Tally(with_items)
        for unit in model.plan.portal_units():
            probe = latest.get(unit.code)
            passed = _checks_pass(probe, names, None) if probe else None
            tally.add(
                bool(passed),
                lambda n=unit.name, p=passed: messages.portal_check_label(n, p),  # type: ignore[misc]
            )
        return tally.measured(summary)

    return measure


def _portal_available(
    model: ReadinessModel,
    indicator: Indicator,
    inputs: ReadinessInputs,
    now: datetime,
    with_items: bool,
) -> _Measured:
    since = now - timedelta(days=AVAILABILITY_DAYS)
    counts: dict[str, list[int]] = {}
    for probe in inputs.probes:
        if since <= probe.finished_at <= now:
            reached_total = counts.setdefault(probe.portal_unit_code, [0, 0])
            reached_total[0] += probe.reached
            reached_total[1] += 1
    items, shares = [], []
    for unit in model.plan.portal_units():
        reached, total = counts.get(unit.code, [0, 0])
        shares.append(_ratio(reached, total))
        if with_items:
            label = messages.availability_label(unit.name, reached, total)
            items.append(EvidenceItem(label, total > 0 and reached == total))
    if not shares:
        return _Measured(0.0, messages.NO_DATA)
    mean = sum(shares) / len(shares)
    summary = messages.availability_summary(mean, len(shares), AVAILABILITY_DAYS)
    return _Measured(mean, summary, tuple(items))


def _directive_section_clean(
    model: ReadinessModel,
    indicator: Indicator,
    inputs: ReadinessInputs,
    now: datetime,
    with_items: bool,
) -> _Measured:
    sections = model.directive_sections()
    tally = _Tally(with_items)
    for doc in sorted(inputs.documents, key=lambda d: str(d.document_id)):
        if doc.section not in sections:
            continue
        kind_ok = doc.kind == model.directive_kind
        tally.add(
            kind_ok and doc.full_text_available,
            lambda d=doc, k=kind_ok: messages.directive_label(  # type: ignore[misc]
                model.unit_name(d.portal_unit_code),
                d.document_number,
                d.title,
                k,
                d.full_text_available,
            ),
            doc.url,
        )
    return tally.measured(messages.directive_clean_summary)


def _fixed_deadline_met(
    model: ReadinessModel,
    indicator: Indicator,
    inputs: ReadinessInputs,
    now: datetime,
    with_items: bool,
) -> _Measured:
    tasks = set(indicator.tasks)
    tally = _Tally(with_items)
    for ob in sorted(inputs.obligations, key=lambda o: o.obligation_id):
        if ob.kind == ObligationKind.FIXED_DEADLINE_TASK and ob.task_code in tasks:
            status = ob.status(now)
            tally.add(
                status == ObligationStatus.FULFILLED_ON_TIME,
                lambda o=ob, s=status: messages.obligation_label(  # type: ignore[misc]
                    model.unit_name(o.unit_code), o.title, s
                ),
                ob.fulfilled_by,
            )
    return tally.measured(messages.fixed_deadline_summary)


SIGNALS: Mapping[str, SignalFn] = {
    "tasks_reported_done": _tasks_reported_done,
    "documents_posted_on_time": _documents_posted_on_time,
    "sections_present_fresh": _sections_present_fresh,
    "qa_active": _portal_check(Checks.QA_ACTIVE, messages.qa_summary),
    "legal_links_present": _portal_check(Checks.LEGAL_LINKS, messages.legal_links_summary),
    "portal_available": _portal_available,
    "directive_section_clean": _directive_section_clean,
    "fixed_deadline_met": _fixed_deadline_met,
}

# Which inputs can move which signals (an event recomputes only those; the others keep their
# stored value until the time-driven pass recomputes everything).
REPORT_SIGNALS = frozenset({"tasks_reported_done", "fixed_deadline_met"})
EVIDENCE_SIGNALS = frozenset({"fixed_deadline_met"})
DOCUMENT_SIGNALS = frozenset({"documents_posted_on_time", "directive_section_clean"})
PROBE_SIGNALS = frozenset(
    {"sections_present_fresh", "qa_active", "legal_links_present", "portal_available"}
)
