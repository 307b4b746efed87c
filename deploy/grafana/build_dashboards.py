"""Writes the provisioned Grafana dashboards (deploy/grafana/dashboards/*.json).

The JSON files are generated so that every panel stays short to read and its queries stay
testable: tests/ops/ runs a real Prometheus against the running services and checks that each
query below returns data, and that the committed JSON equals what this script writes.

    .venv/bin/python deploy/grafana/build_dashboards.py

"Plan on track" is read by the focal unit's coordinator, so its words are Vietnamese; "System
health" is the operators' and speaks the language of the logs and alerts (English).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "dashboards"
DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
# An indicator's readiness only where some signal has data: a 0 that says nothing is not drawn.
KNOWN_READINESS = (
    "max by (indicator) (minhbach_scoring_indicator_readiness)"
    " and on (indicator) (max by (indicator) (minhbach_scoring_indicator_has_data) == 1)"
)
SERVICE_JOBS = "intake|portal-monitor|scoring|notifier"


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str = ""
    instant: bool = False


@dataclass(frozen=True)
class Panel:
    title: str
    kind: str  # timeseries | bargauge | stat | table | piechart
    queries: tuple[Query, ...]
    unit: str = "short"
    description: str = ""
    width: int = 12
    height: int = 8
    options: dict[str, Any] = field(default_factory=dict)
    overrides: tuple[dict[str, Any], ...] = ()
    thresholds: tuple[tuple[float | None, str], ...] = ((None, "green"),)
    min: float | None = None
    max: float | None = None
    no_value: str = ""  # what the panel says when its query returns nothing


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    description: str
    panels: tuple[Panel, ...]
    tags: tuple[str, ...] = ("minhbach",)
    time_from: str = "now-24h"


def _dashed_series_of(ref_id: str) -> dict[str, Any]:
    return {
        "matcher": {"id": "byFrameRefID", "options": ref_id},
        "properties": [
            {"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}},
            {"id": "custom.lineWidth", "value": 2},
        ],
    }


PLAN_ON_TRACK = Dashboard(
    uid="minhbach-plan",
    title="Kế hoạch đúng tiến độ (Plan on track)",
    description=(
        "Mức sẵn sàng của từng chỉ tiêu so với mục tiêu, nghĩa vụ báo cáo, văn bản đăng tải."
    ),
    time_from="now-30d",
    panels=(
        Panel(
            title="Mức sẵn sàng từng chỉ tiêu so với mục tiêu",
            kind="timeseries",
            description=(
                "Đường liền: mức sẵn sàng (0–1) scoring tính cho từng chỉ tiêu; chỉ tiêu chưa có "
                "dữ liệu không vẽ (không phải 0). "
                "Đường đứt: mục tiêu chung của kế hoạch (≥ 7,0 điểm), quy về thang 0–1."
            ),
            queries=(
                Query(KNOWN_READINESS, "Chỉ tiêu {{indicator}}"),
                Query("max(minhbach_scoring_target_share)", "Mục tiêu chung"),
            ),
            unit="percentunit",
            min=0,
            max=1,
            width=16,
            overrides=(_dashed_series_of("B"),),
        ),
        Panel(
            title="Mức sẵn sàng hiện tại",
            kind="bargauge",
            description="Chỉ tiêu chưa có dữ liệu không hiện (xem “Căn cứ chưa có dữ liệu”).",
            queries=(Query(KNOWN_READINESS, "Chỉ tiêu {{indicator}}", instant=True),),
            no_value="Chưa có dữ liệu",
            unit="percentunit",
            min=0,
            max=1,
            width=8,
            thresholds=((None, "red"), (0.5, "orange"), (0.8, "green")),
            options={"orientation": "horizontal", "displayMode": "gradient"},
        ),
        Panel(
            title="Căn cứ chưa có dữ liệu",
            kind="bargauge",
            description=(
                "Số căn cứ của từng chỉ tiêu chưa có dữ liệu (chưa kiểm tra cổng, chưa có văn bản "
                "đến hạn, chưa có báo cáo): không tính vào mức sẵn sàng, trọng số chia lại cho "
                "các căn cứ còn lại. Lý do: API scoring, /api/v1/indicators (missing)."
            ),
            queries=(
                Query(
                    "max by (indicator) (minhbach_scoring_indicator_signals_without_data)",
                    "Chỉ tiêu {{indicator}}",
                    instant=True,
                ),
            ),
            width=8,
            thresholds=((None, "green"), (1, "orange")),
            options={"orientation": "horizontal", "displayMode": "basic"},
        ),
        Panel(
            title="Mức sẵn sàng chung so với mục tiêu",
            kind="stat",
            queries=(
                Query("max(minhbach_scoring_overall_readiness)", "Sẵn sàng chung", instant=True),
                Query("max(minhbach_scoring_target_share)", "Mục tiêu", instant=True),
            ),
            unit="percentunit",
            width=8,
            thresholds=((None, "red"), (0.5, "orange"), (0.7, "green")),
        ),
        Panel(
            title="Nghĩa vụ theo trạng thái",
            kind="piechart",
            description="Nghĩa vụ báo cáo và đăng tải của các đơn vị, theo trạng thái hiện tại.",
            queries=(
                Query(
                    "max by (status) (minhbach_scoring_obligations)",
                    "{{status}}",
                    instant=True,
                ),
            ),
            width=8,
            options={"pieType": "donut", "legend": {"displayMode": "table", "placement": "right"}},
        ),
        Panel(
            title="Đơn vị có nhiều nghĩa vụ quá hạn nhất",
            kind="bargauge",
            queries=(
                Query(
                    "topk(15, max by (unit) (minhbach_scoring_unit_overdue))",
                    "{{unit}}",
                    instant=True,
                ),
            ),
            width=8,
            thresholds=((None, "orange"), (3, "red")),
            options={"orientation": "horizontal", "displayMode": "basic"},
        ),
        Panel(
            title="Báo cáo nhận được trong 7 ngày (đúng hạn / trễ hạn)",
            kind="stat",
            queries=(
                Query(
                    "sum by (on_time) (increase(minhbach_intake_reports_accepted_total[7d]))",
                    "đúng hạn: {{on_time}}",
                    instant=True,
                ),
            ),
            width=8,
        ),
        Panel(
            title="Văn bản tìm thấy trên cổng TTĐT theo loại, mỗi tuần",
            kind="timeseries",
            description=(
                "Số văn bản mới mà portal-monitor tìm thấy trong 7 ngày trước mỗi thời điểm."
            ),
            queries=(
                Query(
                    "sum by (kind) (increase(minhbach_portal_monitor_documents_found_total[7d]))",
                    "{{kind}}",
                ),
            ),
            width=24,
            options={"interval": "1d"},
        ),
    ),
)

SYSTEM_HEALTH = Dashboard(
    uid="minhbach-system",
    title="System health",
    description="Probes, event flow, consumer lag, outbox, e-mail and HTTP of the four services.",
    time_from="now-6h",
    panels=(
        Panel(
            title="Replicas up",
            kind="stat",
            queries=(Query(f'sum by (job) (up{{job=~"{SERVICE_JOBS}"}})', "{{job}}", True),),
            width=8,
            height=5,
            thresholds=((None, "red"), (1, "green")),
        ),
        Panel(
            title="Dependencies reachable (database, NATS)",
            kind="stat",
            queries=(
                Query(
                    "min by (service, dependency) (minhbach_dependency_up)",
                    "{{service}} → {{dependency}}",
                    True,
                ),
            ),
            width=8,
            height=5,
            thresholds=((None, "red"), (1, "green")),
        ),
        Panel(
            title="Dead letters awaiting an operator",
            kind="stat",
            queries=(Query("max by (service) (minhbach_dead_letters)", "{{service}}", True),),
            width=8,
            height=5,
            thresholds=((None, "green"), (1, "red")),
        ),
        Panel(
            title="Outbox backlog",
            kind="timeseries",
            description="Events stored with their state and not yet on NATS.",
            queries=(Query("max by (service) (minhbach_outbox_pending)", "{{service}}"),),
            width=8,
            height=5,
        ),
        Panel(
            title="Probe outcomes",
            kind="timeseries",
            queries=(
                Query(
                    "sum by (outcome) "
                    "(rate(minhbach_portal_monitor_probes_total[$__rate_interval]))",
                    "{{outcome}}",
                ),
            ),
            unit="reqps",
            options={"stacking": "normal"},
        ),
        Panel(
            title="Probe latency (p50, p95)",
            kind="timeseries",
            queries=tuple(
                Query(
                    f"histogram_quantile({q}, sum by (le) "
                    "(rate(minhbach_portal_monitor_probe_duration_seconds_bucket[$__rate_interval])))",
                    f"p{int(q * 100)}",
                )
                for q in (0.5, 0.95)
            ),
            unit="s",
        ),
        Panel(
            title="Event flow by service and outcome",
            kind="timeseries",
            description=(
                "applied, duplicate (redelivery skipped by the inbox), retried, dead_lettered"
            ),
            queries=(
                Query(
                    "sum by (service, outcome) "
                    "(rate(minhbach_events_handled_total[$__rate_interval]))",
                    "{{service}} {{outcome}}",
                ),
            ),
            unit="ops",
        ),
        Panel(
            title="Consumer lag",
            kind="timeseries",
            description="Events in the stream not yet delivered to each durable consumer.",
            queries=(
                Query(
                    "max by (consumer) (minhbach_consumer_pending_messages)",
                    "{{consumer}} pending",
                ),
                Query(
                    "max by (consumer) (minhbach_consumer_ack_pending_messages)",
                    "{{consumer}} in flight",
                ),
            ),
        ),
        Panel(
            title="Events published by the outbox relays",
            kind="timeseries",
            queries=(
                Query(
                    "sum by (service) (rate(minhbach_outbox_published_total[$__rate_interval]))",
                    "{{service}}",
                ),
            ),
            unit="ops",
        ),
        Panel(
            title="Oldest unpublished event",
            kind="timeseries",
            queries=(
                Query("max by (service) (minhbach_outbox_oldest_pending_seconds)", "{{service}}"),
            ),
            unit="s",
            thresholds=((None, "green"), (120, "red")),
        ),
        Panel(
            title="E-mails sent and failed",
            kind="timeseries",
            queries=(
                Query(
                    "sum by (outcome) (increase(minhbach_notifier_notices_total"
                    '{outcome=~"sent|retried|dead"}[$__rate_interval]))',
                    "{{outcome}}",
                ),
                Query(
                    "sum(increase(minhbach_notifier_smtp_unreachable_total[$__rate_interval]))",
                    "rounds with the relay unreachable",
                ),
            ),
            options={"stacking": "normal", "drawStyle": "bars"},
        ),
        Panel(
            title="Notices waiting to be sent, by state",
            kind="timeseries",
            queries=(Query("max by (state) (minhbach_notifier_queue_depth)", "{{state}}"),),
        ),
        Panel(
            title="SMTP send time (p95)",
            kind="timeseries",
            queries=(
                Query(
                    "histogram_quantile(0.95, sum by (le) "
                    "(rate(minhbach_notifier_send_seconds_bucket[$__rate_interval])))",
                    "p95",
                ),
            ),
            unit="s",
        ),
        Panel(
            title="HTTP latency p95 by service",
            kind="timeseries",
            queries=(
                Query(
                    "histogram_quantile(0.95, sum by (service, le) "
                    "(rate(minhbach_http_request_duration_seconds_bucket[$__rate_interval])))",
                    "{{service}}",
                ),
            ),
            unit="s",
        ),
        Panel(
            title="HTTP requests by service and status",
            kind="timeseries",
            queries=(
                Query(
                    "sum by (service, status) "
                    "(rate(minhbach_http_request_duration_seconds_count[$__rate_interval]))",
                    "{{service}} {{status}}",
                ),
            ),
            unit="reqps",
        ),
        Panel(
            title="Event handling time p95 by subject",
            kind="timeseries",
            queries=(
                Query(
                    "histogram_quantile(0.95, sum by (service, subject, le) "
                    "(rate(minhbach_event_handling_seconds_bucket[$__rate_interval])))",
                    "{{service}} {{subject}}",
                ),
            ),
            unit="s",
        ),
    ),
)

DASHBOARDS = (PLAN_ON_TRACK, SYSTEM_HEALTH)


def _grid(panels: tuple[Panel, ...]) -> list[dict[str, int]]:
    """Left to right, wrapping at Grafana's 24 columns."""
    positions, x, y, row_height = [], 0, 0, 0
    for panel in panels:
        if x + panel.width > 24:
            x, y, row_height = 0, y + row_height, 0
        positions.append({"x": x, "y": y, "w": panel.width, "h": panel.height})
        x += panel.width
        row_height = max(row_height, panel.height)
    return positions


def _target(ref_id: str, query: Query) -> dict[str, Any]:
    return {
        "datasource": DATASOURCE,
        "refId": ref_id,
        "expr": query.expr,
        "legendFormat": query.legend or "__auto",
        "instant": query.instant,
        "range": not query.instant,
    }


def _panel_json(panel_id: int, panel: Panel, grid: dict[str, int]) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "unit": panel.unit,
        "thresholds": {
            "mode": "absolute",
            "steps": [{"value": value, "color": color} for value, color in panel.thresholds],
        },
    }
    if panel.no_value:
        defaults["noValue"] = panel.no_value
    if panel.min is not None:
        defaults["min"] = panel.min
    if panel.max is not None:
        defaults["max"] = panel.max
    if panel.kind == "timeseries":
        defaults["custom"] = {
            "drawStyle": panel.options.get("drawStyle", "line"),
            "stacking": {"mode": panel.options.get("stacking", "none")},
            "fillOpacity": 10,
            "showPoints": "never",
        }
    options = {k: v for k, v in panel.options.items() if k not in ("drawStyle", "stacking")}
    return {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": DATASOURCE,
        "gridPos": grid,
        "targets": [_target(chr(ord("A") + i), q) for i, q in enumerate(panel.queries)],
        "fieldConfig": {"defaults": defaults, "overrides": list(panel.overrides)},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}, **options},
    }


def dashboard_json(dashboard: Dashboard) -> dict[str, Any]:
    return {
        "uid": dashboard.uid,
        "title": dashboard.title,
        "description": dashboard.description,
        "tags": list(dashboard.tags),
        "timezone": "Asia/Ho_Chi_Minh",
        "schemaVersion": 39,
        "version": 1,
        "editable": False,
        "refresh": "1m",
        "time": {"from": dashboard.time_from, "to": "now"},
        "templating": {"list": []},
        "annotations": {"list": []},
        "panels": [
            _panel_json(i + 1, panel, grid)
            for i, (panel, grid) in enumerate(
                zip(dashboard.panels, _grid(dashboard.panels), strict=True)
            )
        ],
    }


def rendered() -> dict[str, str]:
    """File name -> JSON text, as committed."""
    return {
        f"{d.uid}.json": json.dumps(dashboard_json(d), ensure_ascii=False, indent=2) + "\n"
        for d in DASHBOARDS
    }


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, text in rendered().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
