"""Prometheus series of the notifier (`minhbach_notifier_...`)."""

from prometheus_client import Counter, Gauge, Histogram

from minhbach.observability.metrics import LATENCY_BUCKETS

NOTICES = Counter(
    "minhbach_notifier_notices_total",
    "Notices by stage and outcome (recorded, sent, retried, dead, cancelled, recovered)",
    ["stage", "outcome"],
)
ITEMS_HELD = Counter(
    "minhbach_notifier_items_held_total",
    "Due items not sent this round, by reason (silenced, inhibited, unroutable)",
    ["reason"],
)
SEND_SECONDS = Histogram(
    "minhbach_notifier_send_seconds",
    "Time for the SMTP server to accept one notice",
    buckets=LATENCY_BUCKETS,
)
ROUND_SECONDS = Histogram(
    "minhbach_notifier_round_seconds",
    "Time to decide one sending round",
    buckets=LATENCY_BUCKETS,
)
QUEUE_DEPTH = Gauge(
    "minhbach_notifier_queue_depth", "Notices recorded and not yet sent, by state", ["state"]
)
DEAD_NOTICES = Gauge(
    "minhbach_notifier_dead_notices",
    "Notices given up on (dead) or held after a crash (uncertain), awaiting an operator",
)
SMTP_UNREACHABLE = Counter(
    "minhbach_notifier_smtp_unreachable_total",
    "Rounds that found the SMTP server unreachable (notices wait, no attempt spent)",
)
