"""Every Grafana panel's query returns data from a real Prometheus scraping the running services.

The four services run as processes on loopback ports, Debian's Prometheus scrapes them every
second with the production rules loaded, a little traffic makes the series exist, and each
query of each provisioned dashboard is sent to Prometheus's HTTP API.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from minhbach.infra.embedded import free_port, free_port_range
from minhbach.plan import load_plan
from minhbach.services import ServiceSpec
from minhbach.settings import Settings
from minhbach_dev.portal_simulator import address_map
from minhbach_dev.smtp_sink import start_smtp_sink
from tests.ops import traffic
from tests.ops.stack import (
    Prometheus,
    ServiceProcess,
    allocate_ports,
    isolated_infra,
    portal_simulator,
    prometheus,
    services,
)
from tests.ops.tools import GRAFANA_DIR, PROMETHEUS_DIR, require_tool

DASHBOARD_FILES = sorted((GRAFANA_DIR / "dashboards").glob("*.json"))

# Metrics the dashboards read that the services do not expose yet (their issues are open).
# A panel reading one of them is reported as xfail; once the metric appears, the test fails
# until it is removed from here, so the list cannot go stale.
NOT_YET_EXPOSED: dict[str, str] = {}

# The stack lives a minute or two: windows wide enough to hold all its traffic.
GRAFANA_MACROS = {"$__rate_interval": "10m", "$__interval": "5s", "$__range": "1h"}


def _panel_queries() -> list[Any]:
    params = []
    for path in DASHBOARD_FILES:
        dashboard = json.loads(path.read_text(encoding="utf-8"))
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                params.append(
                    pytest.param(
                        target["expr"],
                        id=f"{dashboard['uid']}:{panel['title']}:{target['refId']}",
                    )
                )
    return params


def _metric_names(expr: str) -> set[str]:
    return set(re.findall(r"\b(minhbach_\w+|up)\b(?=\s*[{\[)])", expr))


def _promql(expr: str) -> str:
    for macro, value in GRAFANA_MACROS.items():
        expr = expr.replace(macro, value)
    return expr


@dataclass(frozen=True)
class OpsStack:
    prometheus: Prometheus
    services: list[ServiceProcess]


@pytest.fixture(scope="module")
def stack(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpsStack]:
    """The four services with the local stand-ins `make run` uses (portal simulator, SMTP sink),
    portal-monitor in two replicas sharing its work queue as deploy/ runs it, on their own NATS
    and database, and a real Prometheus started first so that it sees every counter from zero."""
    binary = require_tool("prometheus", "prometheus")
    logs = tmp_path_factory.mktemp("service-logs")
    ports = allocate_ports({"portal-monitor": 2})
    with (
        isolated_infra(database_url, tmp_path_factory.mktemp("ops-infra")) as (db_url, nats_url),
        prometheus(binary, ports, tmp_path_factory.mktemp("prometheus")) as prom,
    ):
        for started, reporter in _services(db_url, nats_url, logs, ports):
            traffic.wait_for_pipeline(prom)
            # A labelled series is born with its first observation, which a rate cannot see:
            # drive traffic twice, with scrapes between, so that every rate has an increase.
            for _ in range(2):
                traffic.wait_for_scrapes(prom, started, more=2)
                traffic.drive(started, reporter)
            traffic.wait_for_scrapes(prom, started, more=3)
            yield OpsStack(prom, started)


@pytest.fixture(scope="module")
def scraped(stack: OpsStack) -> Prometheus:
    return stack.prometheus


def _services(
    database_url: str, nats_url: str, logs: Path, ports: list[tuple[ServiceSpec, int]]
) -> Iterator[tuple[list[ServiceProcess], traffic.Reporter]]:
    plan = load_plan(Settings().plan_file)
    simulator_base = free_port_range(len(plan.portal_units()))
    smtp_port = free_port()
    env = {
        "MINHBACH_DATABASE_URL": database_url,
        "MINHBACH_NATS_URL": nats_url,
        "MINHBACH_LOG_LEVEL": "WARNING",
        "MINHBACH_CONSUMER_LAG_POLL_SECONDS": "1",
        "MINHBACH_OUTBOX_POLL_SECONDS": "0.2",
        # make run's demo clock: one working day before the Q3 reports' last day, 720x, so that
        # hourly probes come every 5 s and reminders go out at once.
        "MINHBACH_CLOCK_START": "2024-09-30T07:00:00+07:00",
        "MINHBACH_CLOCK_SPEED": "720",
        "MINHBACH_CLOCK_ANCHOR": str(time.time()),
        "MINHBACH_PORTAL_ADDRESS_MAP": json.dumps(address_map(plan, simulator_base)),
        "MINHBACH_PORTAL_SCHEDULE_TICK_SECONDS": "0.5",
        "MINHBACH_PORTAL_MIN_DELAY_SECONDS": "0",
        "MINHBACH_SMTP_PORT": str(smtp_port),
        "MINHBACH_NOTIFIER_ROUND_SECONDS": "0.5",
    }
    sink = start_smtp_sink(logs / "mail", smtp_port)
    reporter = traffic.Reporter.issue(plan, env)
    try:
        with (
            portal_simulator(env, logs, simulator_base),
            services(env, logs, ports) as started,
        ):
            yield started, reporter()
    finally:
        sink.stop()


@pytest.mark.parametrize("expr", _panel_queries())
def test_panel_query_returns_data(scraped: Prometheus, expr: str) -> None:
    pending = sorted(n for n in _metric_names(expr) if n in NOT_YET_EXPOSED)
    data = traffic.eventually_data(scraped, _promql(expr), timeout=3 if pending else 20)
    if data and pending:
        pytest.fail(f"{pending} now have data: remove them from NOT_YET_EXPOSED")
    if not data and pending:
        pytest.xfail("no data yet: " + ", ".join(f"{n} ({NOT_YET_EXPOSED[n]})" for n in pending))
    assert data, f"no finite sample for {expr}"


def test_prometheus_loads_the_production_rules_without_error(scraped: Prometheus) -> None:
    groups = scraped.rules()
    rules = [rule for group in groups for rule in group["rules"]]  # type: ignore[attr-defined]
    assert rules
    assert all(rule["health"] != "err" for rule in rules), [
        r for r in rules if r["health"] == "err"
    ]
    names = {rule["name"] for rule in rules}
    rule_text = "\n".join(p.read_text() for p in (PROMETHEUS_DIR / "rules").glob("*.yml"))
    assert names == set(re.findall(r"- alert: (\w+)", rule_text))


def test_no_service_alert_fires_on_a_healthy_stack(scraped: Prometheus) -> None:
    firing = scraped.query(
        'ALERTS{alertstate="firing", alertname=~"MinhBach(Service|Instance)Down"}'
    )
    assert firing == []


def test_dashboards_are_what_the_generator_writes() -> None:
    generator = _load_generator()
    rendered = generator.rendered()
    assert sorted(rendered) == [p.name for p in DASHBOARD_FILES]
    for path in DASHBOARD_FILES:
        assert path.read_text(encoding="utf-8") == rendered[path.name], (
            f"{path.name} is stale: run .venv/bin/python deploy/grafana/build_dashboards.py"
        )


def test_dashboards_use_the_provisioned_datasource() -> None:
    provisioned = (GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml").read_text()
    assert "uid: prometheus" in provisioned
    titles = set()
    for path in DASHBOARD_FILES:
        dashboard = json.loads(path.read_text(encoding="utf-8"))
        titles.add(dashboard["title"])
        for panel in dashboard["panels"]:
            assert panel["datasource"]["uid"] == "prometheus"
            assert panel["targets"], panel["title"]
    assert {"System health"} <= titles
    assert any("Plan on track" in t for t in titles)


def _load_generator() -> ModuleType:
    path = Path(GRAFANA_DIR / "build_dashboards.py")
    spec = importlib.util.spec_from_file_location("build_dashboards", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


def test_service_metrics_answer_over_http(stack: OpsStack) -> None:
    for service in stack.services:
        text = httpx.get(f"{service.url}/metrics", timeout=30).text
        assert "minhbach_outbox_pending" in text, service.spec.name


def test_two_portal_monitor_replicas_share_the_probing(scraped: Prometheus) -> None:
    per_replica = traffic.eventually_data(
        scraped,
        "sum by (instance) (increase(minhbach_portal_monitor_probes_total[10m])) > 0",
    )
    assert len(per_replica) == 2, per_replica
