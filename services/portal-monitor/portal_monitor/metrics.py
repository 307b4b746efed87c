"""Prometheus metrics of portal-monitor (`minhbach_portal_monitor_*`)."""

from prometheus_client import Counter, Gauge, Histogram

PROBES = Counter(
    "minhbach_portal_monitor_probes_total", "Portal probes finished, by outcome", ["outcome"]
)
PROBE_SECONDS = Histogram(
    "minhbach_portal_monitor_probe_duration_seconds",
    "Wall time of one portal probe",
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
REQUESTS = Counter(
    "minhbach_portal_monitor_http_requests_total",
    "HTTP requests to portals, by result (ok, not_modified, http_error, or a problem)",
    ["result"],
)
BYTES = Counter("minhbach_portal_monitor_bytes_received_total", "Body bytes received from portals")
NOT_MODIFIED = Counter(
    "minhbach_portal_monitor_not_modified_total", "Conditional requests answered 304"
)
DOCUMENTS_FOUND = Counter(
    "minhbach_portal_monitor_documents_found_total",
    "Documents found on a portal for the first time, by kind",
    ["kind"],
)
ROBOTS_REFUSALS = Counter(
    "minhbach_portal_monitor_robots_refusals_total", "URLs not fetched because robots.txt forbids"
)
PORTAL_REACHABLE = Gauge(
    "minhbach_portal_monitor_portal_reachable",
    "Whether the last finished probe of each portal reached it (1) or not (0); read from the"
    " database, so every replica reports every portal",
    ["portal"],
)

ATTACHMENTS_CHECKED = Counter(
    "minhbach_portal_monitor_attachments_checked_total",
    "Attachments fetched (bounded) to check the full text is there, by result",
    ["status"],
)
PROBE_OVERDUE = Gauge(
    "minhbach_portal_monitor_probe_overdue_seconds",
    "How long the portal due the longest has waited for its probe, in real seconds (0: none"
    " due); read from the schedule, so every replica reports the same",
)
PORTALS_DUE = Gauge(
    "minhbach_portal_monitor_portals_due",
    "Portals whose probe is due and not yet finished (queued or being probed)",
)
REQUESTS_HANDED_BACK = Counter(
    "minhbach_portal_monitor_requests_handed_back_total",
    "Probe requests returned to the queue unprobed, by reason (stopping, over budget)",
    ["reason"],
)
