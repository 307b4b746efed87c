"""What a readiness figure is computed from: the latest task states and the facts the store
passes (`ReadinessInputs`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from scoring.domain.facts import DocumentFact, ProbeFact, ReportFact
from scoring.domain.obligations import Obligation


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
    # Reported pairs (any status) per task, with `done_counts`: tells "nobody reported yet".
    reported_counts: Mapping[str, int] | None = None
    # Documents by kind whose posting time cannot be known (issued before monitoring of their
    # portal began): left out of documents_posted_on_time, and said so in its evidence.
    untimed_documents: Mapping[str, int] = field(default_factory=dict)


def untimed_by_kind(documents: Iterable[DocumentFact]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for doc in documents:
        if not doc.posting_time_known:
            counts[doc.kind] = counts.get(doc.kind, 0) + 1
    return counts
