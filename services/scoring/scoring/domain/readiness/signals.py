"""How each readiness signal is measured, and which inputs can move which signals."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from minhbach.events.catalogue import ObligationKind, ObligationStatus, TaskStatus
from minhbach.plan import Indicator
from scoring import messages
from scoring.domain.facts import ProbeFact
from scoring.domain.readiness.figures import EvidenceItem, Measured, Tally, ratio
from scoring.domain.readiness.inputs import ReadinessInputs

if TYPE_CHECKING:
    from scoring.domain.readiness.model import ReadinessModel

AVAILABILITY_DAYS = 7


class Checks:
    """Names of the portal checks (ProbeFinished.checks[].check) each signal reads."""

    SECTION_PRESENT = frozenset({"section_present"})
    SECTION_FRESH = frozenset({"section_fresh"})
    QA_ACTIVE = frozenset({"qa_active"})
    LEGAL_LINKS = frozenset({"legal_links"})


SignalFn = Callable[["ReadinessModel", Indicator, ReadinessInputs, datetime, bool], Measured]


def _tasks_reported_done(
    model: ReadinessModel,
    indicator: Indicator,
    inputs: ReadinessInputs,
    now: datetime,
    with_items: bool,
) -> Measured:
    """Done pairs of all the indicator's (task, lead unit) pairs; a pair not reported counts
    as not done once some lead unit has reported on the indicator's tasks (before that, there
    is nothing to count)."""
    pairs = model.pairs[indicator.number]
    if not pairs:
        return Measured.unknown(messages.MISSING_NO_TASKS)
    if inputs.done_counts is not None and not with_items:
        done = sum(inputs.done_counts.get(code, 0) for code in indicator.tasks)
        reported = (
            sum(inputs.reported_counts.get(code, 0) for code in indicator.tasks)
            if inputs.reported_counts is not None
            else done
        )
        if not reported and not done:
            return Measured.unknown(messages.MISSING_NO_REPORT)
        return Measured(done / len(pairs), messages.tasks_done_summary(done, len(pairs)))
    if not any(pair in inputs.task_states for pair in pairs):
        return Measured.unknown(messages.MISSING_NO_REPORT)
    tally = Tally(with_items)
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
    return tally.measured(messages.tasks_done_summary, messages.MISSING_NO_REPORT)


def _documents_posted_on_time(
    model: ReadinessModel,
    indicator: Indicator,
    inputs: ReadinessInputs,
    now: datetime,
    with_items: bool,
) -> Measured:
    kinds = model.task_kinds(indicator)
    tally = Tally(with_items)
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
    untimed = sum(inputs.untimed_documents.get(kind, 0) for kind in kinds)
    return tally.measured(
        lambda ok, _total: messages.documents_on_time_summary(ok, late, overdue, untimed),
        messages.missing_first_sweep(untimed) if untimed else messages.MISSING_NO_DOCUMENT,
    )


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
) -> Measured:
    wanted = {
        code for t in model.plan.tasks_of_indicator(indicator.number) for code in t.portal_sections
    }
    sections = [s for s in model.plan.portal_sections if s.code in wanted]
    latest = latest_reached_probes(inputs.probes)
    tally = Tally(with_items)
    for unit in model.plan.portal_units():
        probe = latest.get(unit.code)
        for section in sections:
            if unit.kind not in section.required_on:
                continue
            if probe is None:  # not probed yet (or never reached): not checked, not failed
                tally.unchecked(
                    lambda n=unit.name, s=section.name: messages.section_label(  # type: ignore[misc]
                        n, s, messages.SECTION_NO_PROBE
                    )
                )
                continue
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
    return tally.measured(messages.sections_summary, messages.MISSING_NO_PROBE)


def _portal_check(names: frozenset[str], summary: Callable[[int, int], str]) -> SignalFn:
    def measure(
        model: ReadinessModel,
        indicator: Indicator,
        inputs: ReadinessInputs,
        now: datetime,
        with_items: bool,
    ) -> Measured:
        latest = latest_reached_probes(inputs.probes)
        tally = Tally(with_items)
        for unit in model.plan.portal_units():
            probe = latest.get(unit.code)
            passed = _checks_pass(probe, names, None) if probe else None
            label = partial(messages.portal_check_label, unit.name, passed)
            if passed is None:  # not probed yet, or the probe did not look: not checked
                tally.unchecked(label)
            else:
                tally.add(passed, label)
        why = messages.MISSING_NO_CHECK if latest else messages.MISSING_NO_PROBE
        return tally.measured(summary, why)

    return measure


def _portal_available(
    model: ReadinessModel,
    indicator: Indicator,
    inputs: ReadinessInputs,
    now: datetime,
    with_items: bool,
) -> Measured:
    since = now - timedelta(days=AVAILABILITY_DAYS)
    counts: dict[str, list[int]] = {}
    for probe in inputs.probes:
        if since <= probe.finished_at <= now:
            reached_total = counts.setdefault(probe.portal_unit_code, [0, 0])
            reached_total[0] += probe.reached
            reached_total[1] += 1
    items: list[EvidenceItem] = []
    shares = []
    for unit in model.plan.portal_units():
        reached, total = counts.get(unit.code, [0, 0])
        if total:
            shares.append(ratio(reached, total))
        if with_items:
            label = messages.availability_label(unit.name, reached, total)
            items.append(EvidenceItem(label, reached == total if total else None))
    if not shares:  # no portal probed in the window: not "down", not known
        return Measured.unknown(messages.MISSING_NO_PROBE, tuple(items))
    mean = sum(shares) / len(shares)
    summary = messages.availability_summary(mean, len(shares), AVAILABILITY_DAYS)
    return Measured(mean, summary, tuple(items))


def _directive_section_clean(
    model: ReadinessModel,
    indicator: Indicator,
    inputs: ReadinessInputs,
    now: datetime,
    with_items: bool,
) -> Measured:
    sections = model.directive_sections()
    tally = Tally(with_items)
    for doc in sorted(inputs.documents, key=lambda d: str(d.document_id)):
        if doc.section not in sections:
            continue
        # portal-monitor's verdict asks the document's type (issue 12); older events: the kind
        kind_ok = (
            not doc.not_directive
            if doc.not_directive is not None
            else doc.kind == model.directive_kind
        )
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
    return tally.measured(messages.directive_clean_summary, messages.MISSING_NO_DIRECTIVE)


def _fixed_deadline_met(
    model: ReadinessModel,
    indicator: Indicator,
    inputs: ReadinessInputs,
    now: datetime,
    with_items: bool,
) -> Measured:
    tasks = set(indicator.tasks)
    tally = Tally(with_items)
    for ob in sorted(inputs.obligations, key=lambda o: o.obligation_id):
        if ob.kind == ObligationKind.FIXED_DEADLINE_TASK and ob.task_code in tasks:
            status = ob.status(now)
            if status not in _FELL_DUE:  # not due yet and not done: not judged yet
                continue
            tally.add(
                status == ObligationStatus.FULFILLED_ON_TIME,
                lambda o=ob, s=status: messages.obligation_label(  # type: ignore[misc]
                    model.unit_name(o.unit_code), o.title, s
                ),
                ob.fulfilled_by,
            )
    return tally.measured(messages.fixed_deadline_summary, messages.MISSING_NOT_DUE)


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
