"""Indicator readiness, as pure functions: each figure in [0, 1] from named signals.

A figure is the weighted sum of its signals (weights from the plan file, summing to 1); each
signal is a share in [0, 1] with the evidence it was counted from, so anyone can see why a figure
is what it is. Where there is nothing to count, a signal is 0 and says so: readiness is what the
district has shown it does, not what it might do.

Readiness measures what the district controls (reports, postings, portal sections, portals up),
not the firms' survey answers that make the PCI/DDCI score.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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


def task_states(reports: Iterable[ReportFact]) -> dict[tuple[str, str], TaskState]:
    """Per (task, unit): the status in the latest report mentioning it (latest by submission,
    then version, then id, so the result never depends on the order reports arrived in)."""
    latest: dict[tuple[str, str], tuple[tuple[datetime, int, str], TaskState]] = {}
    for report in reports:
        rank = (report.submitted_at, report.version_no, str(report.report_id))
        for task_code, status in report.tasks:
            key = (task_code, report.unit_code)
            if key not in latest or rank > latest[key][0]:
                state = TaskState(
                    task_code, report.unit_code, status, report.report_id, report.submitted_at
                )
                latest[key] = (rank, state)
    return {key: state for key, (_rank, state) in latest.items()}


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


def clamp_round(value: float) -> float:
    return round(min(1.0, max(0.0, value)), DECIMALS)


# --- the model ----------------------------------------------------------------------------------

SignalFn = Callable[["ReadinessModel", Indicator, ReadinessInputs, datetime], _Measured]


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

    # --- figures ----------------------------------------------------------------------------

    def figure(self, number: int, inputs: ReadinessInputs, now: datetime) -> IndicatorFigure:
        indicator = self.plan.indicator(number)
        signals = []
        for code, weight in indicator.readiness_weights.items():
            measure = SIGNALS.get(code)
            measured = (
                measure(self, indicator, inputs, now)
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
        self, inputs: ReadinessInputs, now: datetime, numbers: Iterable[int] | None = None
    ) -> tuple[IndicatorFigure, ...]:
        wanted = (
            sorted(numbers) if numbers is not None else [i.number for i in self.plan.indicators]
        )
        return tuple(self.figure(n, inputs, now) for n in wanted)

    def overall(self, figures: Sequence[IndicatorFigure]) -> OverallReadiness:
        """The mean of the indicators' readiness, next to the plan's target as a share."""
        readiness = clamp_round(sum(f.readiness for f in figures) / len(figures)) if figures else 0
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


# --- signals ------------------------------------------------------------------------------------


def _tasks_reported_done(
    model: ReadinessModel, indicator: Indicator, inputs: ReadinessInputs, now: datetime
) -> _Measured:
    items = []
    for task in model.plan.tasks_of_indicator(indicator.number):
        for unit in model.plan.lead_unit_codes(task.code):
            state = inputs.task_states.get((task.code, unit))
            status = state.status if state else None
            items.append(
                EvidenceItem(
                    messages.task_pair_label(task.code, model.unit_name(unit), status),
                    status == TaskStatus.DONE.value,
                    f"report:{state.report_id}" if state else None,
                )
            )
    done = sum(item.ok for item in items)
    return _Measured(
        _ratio(done, len(items)), messages.tasks_done_summary(done, len(items)), tuple(items)
    )


def _documents_posted_on_time(
    model: ReadinessModel, indicator: Indicator, inputs: ReadinessInputs, now: datetime
) -> _Measured:
    kinds = model.task_kinds(indicator)
    counted = {
        ObligationStatus.FULFILLED_ON_TIME: 0,
        ObligationStatus.FULFILLED_LATE: 0,
        ObligationStatus.OVERDUE: 0,
    }
    items = []
    for ob in sorted(inputs.obligations, key=lambda o: o.obligation_id):
        if ob.kind != ObligationKind.DOCUMENT_POSTING or ob.document_kind not in kinds:
            continue
        status = ob.status(now)
        if status in counted:
            counted[status] += 1
            label = messages.obligation_label(model.unit_name(ob.unit_code), ob.title, status)
            items.append(
                EvidenceItem(label, status == ObligationStatus.FULFILLED_ON_TIME, ob.document_url)
            )
    on_time = counted[ObligationStatus.FULFILLED_ON_TIME]
    late = counted[ObligationStatus.FULFILLED_LATE]
    overdue = counted[ObligationStatus.OVERDUE]
    if not items:
        return _Measured(0.0, messages.NO_DATA)
    return _Measured(
        _ratio(on_time, len(items)),
        messages.documents_on_time_summary(on_time, late, overdue),
        tuple(items),
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
    model: ReadinessModel, indicator: Indicator, inputs: ReadinessInputs, now: datetime
) -> _Measured:
    wanted = {
        code for t in model.plan.tasks_of_indicator(indicator.number) for code in t.portal_sections
    }
    sections = [s for s in model.plan.portal_sections if s.code in wanted]
    latest = latest_reached_probes(inputs.probes)
    items = []
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
            items.append(EvidenceItem(messages.section_label(unit.name, section.name, detail), ok))
    ok_count = sum(item.ok for item in items)
    if not items:
        return _Measured(0.0, messages.NO_DATA)
    return _Measured(
        _ratio(ok_count, len(items)), messages.sections_summary(ok_count, len(items)), tuple(items)
    )


def _portal_check(names: frozenset[str], summary: Callable[[int, int], str]) -> SignalFn:
    def measure(
        model: ReadinessModel, indicator: Indicator, inputs: ReadinessInputs, now: datetime
    ) -> _Measured:
        latest = latest_reached_probes(inputs.probes)
        items = []
        for unit in model.plan.portal_units():
            probe = latest.get(unit.code)
            passed = _checks_pass(probe, names, None) if probe else None
            items.append(EvidenceItem(messages.portal_check_label(unit.name, passed), bool(passed)))
        ok = sum(item.ok for item in items)
        if not items:
            return _Measured(0.0, messages.NO_DATA)
        return _Measured(_ratio(ok, len(items)), summary(ok, len(items)), tuple(items))

    return measure


def _portal_available(
    model: ReadinessModel, indicator: Indicator, inputs: ReadinessInputs, now: datetime
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
        items.append(
            EvidenceItem(
                messages.availability_label(unit.name, reached, total),
                total > 0 and reached == total,
            )
        )
    if not shares:
        return _Measured(0.0, messages.NO_DATA)
    mean = sum(shares) / len(shares)
    return _Measured(
        mean, messages.availability_summary(mean, len(shares), AVAILABILITY_DAYS), tuple(items)
    )


def _directive_section_clean(
    model: ReadinessModel, indicator: Indicator, inputs: ReadinessInputs, now: datetime
) -> _Measured:
    sections = model.directive_sections()
    items = []
    for doc in sorted(inputs.documents, key=lambda d: str(d.document_id)):
        if doc.section not in sections:
            continue
        kind_ok = doc.kind == "directive"
        items.append(
            EvidenceItem(
                messages.directive_label(
                    model.unit_name(doc.portal_unit_code),
                    doc.document_number,
                    doc.title,
                    kind_ok,
                    doc.full_text_available,
                ),
                kind_ok and doc.full_text_available,
                doc.url,
            )
        )
    ok = sum(item.ok for item in items)
    if not items:
        return _Measured(0.0, messages.NO_DATA)
    return _Measured(
        _ratio(ok, len(items)), messages.directive_clean_summary(ok, len(items)), tuple(items)
    )


def _fixed_deadline_met(
    model: ReadinessModel, indicator: Indicator, inputs: ReadinessInputs, now: datetime
) -> _Measured:
    tasks = set(indicator.tasks)
    items = []
    for ob in sorted(inputs.obligations, key=lambda o: o.obligation_id):
        if ob.kind == ObligationKind.FIXED_DEADLINE_TASK and ob.task_code in tasks:
            status = ob.status(now)
            label = messages.obligation_label(model.unit_name(ob.unit_code), ob.title, status)
            items.append(
                EvidenceItem(label, status == ObligationStatus.FULFILLED_ON_TIME, ob.fulfilled_by)
            )
    ok = sum(item.ok for item in items)
    if not items:
        return _Measured(0.0, messages.NO_DATA)
    return _Measured(
        _ratio(ok, len(items)), messages.fixed_deadline_summary(ok, len(items)), tuple(items)
    )


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

# Which inputs move which signals (the store recomputes only the figures an event can move).
REPORT_SIGNALS = frozenset({"tasks_reported_done", "fixed_deadline_met"})
EVIDENCE_SIGNALS = frozenset({"fixed_deadline_met"})
DOCUMENT_SIGNALS = frozenset({"documents_posted_on_time", "directive_section_clean"})
PROBE_SIGNALS = frozenset(
    {"sections_present_fresh", "qa_active", "legal_links_present", "portal_available"}
)
