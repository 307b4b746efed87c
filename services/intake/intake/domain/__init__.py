"""Intake's pure decisions, no I/O: what the plan asks of a report or evidence (`rules`), the
events a filing produces and why one is refused (`filing`), the answers a unit reads
(`receipts`), and what an Idempotency-Key allows (`idempotency`). The service reads and writes
through `intake.store` and asks these what to do."""

from intake.domain.rules import (
    PERIODS,
    Accepted,
    Due,
    EvidenceFiling,
    FieldError,
    FiledReport,
    IntakeRules,
    PeriodState,
    PeriodStatusCode,
    Rejected,
    ReportDraft,
    Reporter,
    analysis_error,
    check_evidence,
    is_http_url,
    is_on_time,
    local_today,
    not_done_task_codes,
    reason_error,
    rejection_reasons,
)

__all__ = [
    "PERIODS",
    "Accepted",
    "Due",
    "EvidenceFiling",
    "FieldError",
    "FiledReport",
    "IntakeRules",
    "PeriodState",
    "PeriodStatusCode",
    "Rejected",
    "ReportDraft",
    "Reporter",
    "analysis_error",
    "check_evidence",
    "is_http_url",
    "is_on_time",
    "local_today",
    "not_done_task_codes",
    "reason_error",
    "rejection_reasons",
]
