"""Reporting's Prometheus series."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

DRAFTS = Counter(
    "minhbach_reporting_drafts_total",
    "Draft versions stored, by kind and trigger",
    ["kind", "trigger"],
)
DRAFT_SECONDS = Histogram(
    "minhbach_reporting_draft_seconds",
    "Time to build a draft's files, by step (document: .docx and HTML; pdf: LibreOffice)",
    ["step"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
)
PDF_FAILURES = Counter(
    "minhbach_reporting_pdf_failures_total",
    "Drafts stored without a PDF (LibreOffice missing or failed)",
)
