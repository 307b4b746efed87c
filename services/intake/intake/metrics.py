"""Intake's Prometheus series (`minhbach_intake_...`); they appear on /metrics.

Request latency is the shared `minhbach_http_request_duration_seconds{service="intake"}`.
"""

from __future__ import annotations

from prometheus_client import Counter

REPORTS_ACCEPTED = Counter(
    "minhbach_intake_reports_accepted_total",
    "Reports and amendments accepted, by reporter and whether they came in before the deadline",
    ["reporter", "on_time"],
)
REPORTS_REJECTED = Counter(
    "minhbach_intake_reports_rejected_total",
    "Reports refused, by reason (a refusal with several problems counts once per reason)",
    ["reason"],
)
EVIDENCE_ACCEPTED = Counter(
    "minhbach_intake_evidence_accepted_total", "Pieces of evidence accepted"
)
EVIDENCE_REJECTED = Counter(
    "minhbach_intake_evidence_rejected_total", "Evidence filings refused, by reason", ["reason"]
)
IDEMPOTENT_REPLAYS = Counter(
    "minhbach_intake_idempotent_replays_total",
    "POSTs answered from a stored response because their Idempotency-Key was seen before",
)
