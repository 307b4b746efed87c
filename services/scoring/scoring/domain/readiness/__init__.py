"""Indicator readiness, as pure functions: each figure in [0, 1] from named signals.

A figure is the weighted sum of its signals (weights from the plan file, summing to 1); each
signal is a share in [0, 1] with the evidence it was counted from, so anyone can see why a figure
is what it is. Where there is nothing to count, a signal is 0 and says so: readiness is what the
district has shown it does, not what it might do.

Readiness measures what the district controls (reports, postings, portal sections, portals up),
not the firms' survey answers that make the PCI/DDCI score.

The package: `inputs` (what a figure reads), `signals` (how each signal is measured),
`figures` (what it yields), `model` (the plan's indicators put together).
"""

from scoring.domain.readiness.figures import (
    DECIMALS,
    EvidenceItem,
    IndicatorFigure,
    OverallReadiness,
    SignalFigure,
    clamp_round,
)
from scoring.domain.readiness.inputs import ReadinessInputs, TaskState, task_states, untimed_by_kind
from scoring.domain.readiness.model import ReadinessModel
from scoring.domain.readiness.signals import (
    AVAILABILITY_DAYS,
    DOCUMENT_SIGNALS,
    EVIDENCE_SIGNALS,
    PROBE_SIGNALS,
    REPORT_SIGNALS,
    SIGNALS,
    Checks,
    latest_reached_probes,
)

__all__ = [
    "AVAILABILITY_DAYS",
    "DECIMALS",
    "DOCUMENT_SIGNALS",
    "EVIDENCE_SIGNALS",
    "PROBE_SIGNALS",
    "REPORT_SIGNALS",
    "SIGNALS",
    "Checks",
    "EvidenceItem",
    "IndicatorFigure",
    "OverallReadiness",
    "ReadinessInputs",
    "ReadinessModel",
    "SignalFigure",
    "TaskState",
    "clamp_round",
    "latest_reached_probes",
    "task_states",
    "untimed_by_kind",
]
