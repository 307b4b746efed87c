"""Runtime settings, read once from the environment (`MINHBACH_*`).

Every service and tool takes its configuration from here; nothing else reads the environment.
Unset URLs mean "use the embedded servers" (see `minhbach.infra.embedded`).
"""

from __future__ import annotations

from datetime import datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MINHBACH_", extra="ignore")

    # Infrastructure. Empty means embedded (make run / make test).
    database_url: str = ""
    nats_url: str = ""
    var_dir: Path = REPO_ROOT / "var"
    embedded_nats_port: int = 14222
    embedded_nats_monitor_port: int = 18222

    # The plan this deployment follows.
    plan_file: Path = REPO_ROOT / "shared" / "plans" / "luc-nam-2024.yaml"

    # HTTP: every server binds here; fixed ports per service.
    bind_host: str = "127.0.0.1"
    intake_port: int = 8010
    portal_monitor_port: int = 8020
    scoring_port: int = 8030
    notifier_port: int = 8040
    reporting_port: int = 8050
    public_intake_url: str = "http://127.0.0.1:8010"
    public_reporting_url: str = "http://127.0.0.1:8050"

    # Clock: a start instant and a speed-up let a demo or a test run the plan's calendar fast.
    clock_start: datetime | None = None
    clock_speed: float = Field(default=1.0, gt=0)
    clock_anchor: float | None = None  # Unix time at which the clock reads clock_start
    # Or the file that will hold it: the clock stands at clock_start until it does.
    clock_anchor_file: Path | None = None
    # `minhbach run` only: without MINHBACH_CLOCK_START, replay the seed plan's Q3 deadline fast
    # (reminders at once, overdue after ~4 min, escalation after ~8 min). False: real time.
    run_demo_clock: bool = True

    # Messaging guarantees.
    max_deliveries: int = Field(default=5, ge=1)
    redelivery_backoff_seconds: list[float] = [0.5, 2.0, 10.0, 30.0]
    outbox_poll_seconds: float = 0.5
    duplicate_window_seconds: int = 3600
    # Retention (minhbach.messaging.retention says what each bound guarantees): published outbox
    # rows, handled inbox ids, then each service's own (intake's idempotency keys, notifier's
    # notices); the purge runs in every service every retention_interval_seconds.
    outbox_retention_hours: float = Field(default=7 * 24.0, gt=0)
    inbox_retention_days: float = Field(default=30.0, ge=1)
    retention_interval_seconds: float = Field(default=3600.0, gt=0)
    # JetStream copies of each stream: 3 on the three-node cluster (deploy profile `cluster`).
    stream_replicas: int = Field(default=1, ge=1, le=5)
    consumer_lag_poll_seconds: float = Field(default=5.0, gt=0)  # minhbach_consumer_pending_*
    # How long a stopping service waits for its loops and the broker (minhbach.infra.tasks).
    shutdown_grace_seconds: float = Field(default=10.0, gt=0)

    # SMTP (the notifier); defaults point at the local sink `make run` starts.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = ""
    mail_from: str = "Minh Bạch <minhbach@localhost>"
    smtp_use_tls: bool = False  # implicit TLS (port 465); STARTTLS is smtp_starttls
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    smtp_cert_bundle: str = ""  # CA file to verify the relay's certificate; empty: system CAs

    # Notifier: sending rounds, working hours (Asia/Ho_Chi_Minh), repeats, retries.
    notifier_round_seconds: float = Field(default=5.0, gt=0)  # real seconds between rounds
    notifier_working_hours_start: time = time(7, 30)
    notifier_working_hours_end: time = time(17, 0)
    notifier_repeat_overdue_working_days: int = Field(default=2, ge=0)  # 0: never repeat
    notifier_portal_down_after_probes: int = Field(default=2, ge=1)
    # Failed attempts after which a notice still retried (transient failures are never final)
    # is logged as an error at each further attempt.
    notifier_max_attempts: int = Field(default=8, ge=1)
    # SMTP connections a delivering round sends over at once (each notice still claimed once).
    notifier_smtp_connections: int = Field(default=4, ge=1)
    notifier_retry_backoff_seconds: list[float] = [1.0, 5.0, 15.0, 60.0, 300.0]
    notifier_sending_lease_seconds: float = Field(default=120.0, gt=0)
    # A notice found 'sending' after a crash: "resend" (same Message-ID) or "hold" for an operator.
    # A notice that was sent (or given up on) is deleted this long after it was decided, and only
    # once every obligation it spoke of is fulfilled: the ladder never decides it again then.
    notifier_notice_retention_days: float = Field(default=400.0, ge=30)
    notifier_uncertain_policy: Literal["resend", "hold"] = "hold"

    # Intake: request bodies above this size get 413; Idempotency-Key results are kept this long;
    # a verified unit token is trusted this long without a database look-up (0: look up always).
    intake_max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    intake_idempotency_ttl_hours: float = Field(default=72.0, gt=0)
    intake_token_cache_seconds: float = Field(default=10.0, ge=0)

    # Scoring: the time-driven loop (real seconds between passes) re-derives statuses that move as
    # time passes and the figures that depend on time; "due soon" starts this many working days
    # before the last on-time day (None: the plan's first reminder offset).
    scoring_tick_seconds: float = Field(default=10.0, gt=0)
    scoring_consumer_concurrency: int = Field(default=4, ge=1)  # events applied at once
    scoring_due_soon_working_days: int | None = Field(default=None, ge=0)
    # Figures are recomputed this long after the first event of a burst, once for the burst.
    scoring_figure_delay_seconds: float = Field(default=0.02, ge=0)

    # Portal-monitor. The plan's portal addresses are contacted as written unless mapped here
    # (logical origin -> origin actually contacted, JSON in MINHBACH_PORTAL_ADDRESS_MAP); every
    # address contacted must lie in portal_allowed_networks, loopback only by default: production
    # sets the networks it may reach (e.g. ["0.0.0.0/0"] behind an egress proxy). See
    # docs/decisions (portal addressing).
    portal_address_map: dict[str, str] = {}
    portal_allowed_networks: list[str] = ["127.0.0.0/8", "::1/128"]
    portal_contact: str = "minhbach@localhost"  # in the User-Agent, so portal admins can write
    portal_request_timeout_seconds: float = Field(default=20.0, gt=0)  # whole response, per hop
    portal_max_response_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)  # on the wire
    portal_max_decoded_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)  # after gunzip
    portal_max_redirects: int = Field(default=5, ge=0)
    portal_min_delay_seconds: float = Field(default=1.0, ge=0)  # between requests to one host
    portal_fetch_retry_seconds: float = Field(default=2.0, ge=0)  # before retrying a failed fetch
    portal_probe_attempts: int = Field(default=3, ge=1)  # failed probes before "unreachable"
    portal_probe_retry_seconds: float = Field(default=300.0, gt=0)  # clock seconds between them
    portal_concurrency: int = Field(default=8, ge=1)  # probes in flight per replica
    portal_schedule_tick_seconds: float = Field(default=5.0, gt=0)  # real seconds
    # The work queue (decision 0018), in real seconds: a due portal is offered again after the
    # lease (a request still outstanding is kept); a dead replica's requests return after the
    # ack wait; a probe running past its budget is abandoned and handed back.
    portal_lease_seconds: float = Field(default=60.0, gt=0)
    portal_ack_wait_seconds: float = Field(default=60.0, ge=4)
    portal_probe_budget_seconds: float = Field(default=900.0, gt=0)
    # A probe that failed on an error of ours (not the portal's: those are outcomes) is offered
    # again after this; one that failed because the database was unreachable, after
    # portal_outage_retry_seconds (the database is usually back within seconds, and until the
    # request is answered no other request for that portal can be queued).
    portal_failed_retry_seconds: float = Field(default=30.0, ge=0)
    portal_outage_retry_seconds: float = Field(default=1.0, ge=0)
    portal_robots_cache_seconds: float = Field(default=86400.0, gt=0)  # RFC 9309: at most 24 h
    portal_robots_retry_seconds: float = Field(default=300.0, gt=0)  # after an unreachable one
    portal_simulator_base_port: int = 18100  # `make run`: the simulator's first portal port

    # Reporting: drafting passes (real seconds between them), the PDF conversion (LibreOffice,
    # headless; empty binary: find `soffice` on PATH, none found: drafts have no PDF), and the
    # token the notifier shows reporting to fetch a draft to attach (empty: nobody may).
    reporting_tick_seconds: float = Field(default=5.0, gt=0)
    reporting_token_cache_seconds: float = Field(default=10.0, ge=0)
    reporting_soffice: str = ""
    reporting_pdf_timeout_seconds: float = Field(default=120.0, gt=0)
    reporting_service_token: str = ""
    reporting_url: str = "http://127.0.0.1:8050"  # where the notifier reaches reporting's API
    # Where reporting reaches portal-monitor's correction API (a person corrects a kind, issue 19)
    portal_monitor_url: str = "http://127.0.0.1:8020"
    portal_monitor_timeout_seconds: float = Field(default=10.0, gt=0)

    log_level: str = "INFO"
    log_json: bool = False

    @model_validator(mode="after")
    def _inbox_outlives_duplicates(self) -> Settings:
        if self.inbox_retention_days * 86400 <= self.duplicate_window_seconds:
            raise ValueError("inbox_retention_days must exceed the duplicate window")
        return self


# What a command that needs the database says when it finds none (`make run` publishes its servers
# in var/run.json; see minhbach.infra.run_state).
NO_DATABASE = (
    "no database: start `make run` in another terminal of this folder (commands find its "
    "servers), or set MINHBACH_DATABASE_URL"
)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
