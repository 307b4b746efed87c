"""Prometheus metric helpers: one naming scheme (`minhbach_<service>_...`) and the shared families.

Messaging metrics (outbox backlog, deliveries, dead letters) are defined here once and labelled by
service, so every service exposes the same series for the same mechanism.
"""

from __future__ import annotations

from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

OUTBOX_PENDING = Gauge(
    "minhbach_outbox_pending", "Outbox events stored but not yet published", ["service"]
)
OUTBOX_PUBLISHED = Counter(
    "minhbach_outbox_published_total", "Outbox events published to JetStream", ["service"]
)
OUTBOX_PUBLISH_ERRORS = Counter(
    "minhbach_outbox_publish_errors_total", "Failed publish attempts of the relay", ["service"]
)
OUTBOX_OLDEST_AGE = Gauge(
    "minhbach_outbox_oldest_pending_seconds", "Age of the oldest unpublished event", ["service"]
)
EVENTS_HANDLED = Counter(
    "minhbach_events_handled_total",
    "Events taken from JetStream, by outcome (applied, duplicate, retried, dead_lettered)",
    ["service", "subject", "outcome"],
)
EVENT_HANDLING_SECONDS = Histogram(
    "minhbach_event_handling_seconds",
    "Time to apply one event",
    ["service", "subject"],
    buckets=LATENCY_BUCKETS,
)
DEAD_LETTERS = Gauge(
    "minhbach_dead_letters", "Dead-lettered events awaiting an operator", ["service"]
)

# Operations (deploy/): HTTP latency of every service and how far its durable consumers lag.
HTTP_REQUEST_SECONDS = Histogram(
    "minhbach_http_request_duration_seconds",
    "HTTP requests served, by route template and status code",
    ["service", "method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
CONSUMER_PENDING = Gauge(
    "minhbach_consumer_pending_messages",
    "Messages in the stream not yet delivered to the service's durable consumer",
    ["service", "consumer"],
)
DEPENDENCY_UP = Gauge(
    "minhbach_dependency_up",
    "Whether the service reaches its dependency (database, nats) right now: 1 yes, 0 no",
    ["service", "dependency"],
)
REPORT_DUE_IN = Gauge(
    "minhbach_plan_seconds_until_report_due",
    "Time until the next due instant of each reporting rule of the plan, on the service's clock",
    ["rule"],
)
CALENDAR_OFFICIAL_TABLE = Gauge(
    "minhbach_calendar_official_table",
    "1 when the year's official swapped days are pinned in the calendar, 0 when the holidays "
    "package alone decides (a plan year without a table: make-up Saturdays count as days off)",
    ["year"],
)
CONSUMER_ACK_PENDING = Gauge(
    "minhbach_consumer_ack_pending_messages",
    "Messages delivered to the durable consumer and not yet acknowledged",
    ["service", "consumer"],
)


def render_latest(registry: CollectorRegistry = DEFAULT_REGISTRY) -> bytes:
    return generate_latest(registry)
