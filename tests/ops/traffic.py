"""A little traffic through the running services, so that the dashboards' series exist."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import nats

from minhbach.events.base import Event
from minhbach.events.catalogue import (
    DocumentFound,
    DocumentKind,
    PortalDocument,
    ProbeFinished,
    ProbeOutcome,
)
from minhbach.plan import Plan
from tests.ops.stack import Prometheus, ServiceProcess, run_apart


def drive(running: Sequence[ServiceProcess], reporter: Reporter) -> None:
    """HTTP requests to every service, a report filed (or amended) through intake, and events
    the services consume (a probe, a document)."""
    with httpx.Client(timeout=30) as client:
        for service in running:
            for _ in range(5):
                client.get(f"{service.url}/healthz")
                client.get(f"{service.url}/readyz")
            client.get(f"{service.url}/no-such-page")
        intake = next(s for s in running if s.spec.name == "intake")
        reporter.file(client, intake.url)
    run_apart(_publish(reporter.nats_url, _events(reporter.plan)))


def wait_for_pipeline(prom: Prometheus, timeout: float = 120) -> None:
    """Until the simulated portals were probed, documents found and e-mails sent."""
    signs = (
        "sum(minhbach_portal_monitor_probes_total) > 0",
        "sum(minhbach_portal_monitor_documents_found_total) > 0",
        'sum(minhbach_notifier_notices_total{outcome="sent"}) > 0',
    )
    deadline = time.monotonic() + timeout
    for sign in signs:
        while not prom.query(sign):
            if time.monotonic() > deadline:
                raise AssertionError(f"pipeline did not show {sign} within {timeout}s")
            time.sleep(0.5)


@dataclass
class Reporter:
    """One lead unit filing its Q1 report through intake's API, then amending it."""

    plan: Plan
    nats_url: str
    unit_code: str
    token: str
    report_id: str | None = None

    @classmethod
    def issue(cls, plan: Plan, env: dict[str, str]) -> Callable[[], Reporter]:
        """Start `minhbach units issue-token` now (it takes seconds to import); call to collect."""
        unit = next(u.code for u in plan.units if plan.tasks_led_by(u.code))
        process = subprocess.Popen(
            [sys.executable, "-m", "minhbach", "units", "issue-token", unit],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

        def collect() -> Reporter:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            return cls(plan, env["MINHBACH_NATS_URL"], unit, out.strip().splitlines()[-1])

        return collect

    def body(self) -> dict[str, Any]:
        return {
            "plan_year": self.plan.year,
            "period": "Q1",
            "tasks": [
                {
                    "task_code": task.code,
                    "status": "in_progress",
                    "work_done": "Đang thực hiện.",
                    "difficulties": "Thiếu cán bộ phụ trách cổng thông tin.",
                }
                for task in self.plan.tasks_led_by(self.unit_code)
            ],
            "analysis": "Báo cáo thử của bộ kiểm thử vận hành.",
        }

    def file(self, client: httpx.Client, intake_url: str) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        api = f"{intake_url}/api/v1"
        if self.report_id is None:
            response = client.post(f"{api}/reports", json=self.body(), headers=headers)
            if response.status_code == 409:  # filed by an earlier run on this database: amend
                listed = client.get(f"{api}/reports", headers=headers).json()
                self.report_id = next(r["report_id"] for r in listed if r["period"] == "Q1")
                response = client.post(
                    f"{api}/reports/{self.report_id}/versions", json=self.body(), headers=headers
                )
        else:
            response = client.post(
                f"{api}/reports/{self.report_id}/versions", json=self.body(), headers=headers
            )
        assert response.status_code == 201, response.text
        self.report_id = response.json()["report_id"]


def _events(plan: Plan) -> list[Event]:
    portal = plan.portal_units()[0]
    assert portal.portal is not None
    now = datetime.now(UTC)
    return [
        ProbeFinished(
            probe_id=uuid.uuid4(),
            portal_unit_code=portal.code,
            portal_url=portal.portal,
            started_at=now - timedelta(seconds=2),
            finished_at=now,
            outcome=ProbeOutcome.OK,
            latency_ms=120.0,
        ),
        DocumentFound(
            document=PortalDocument(
                document_id=uuid.uuid4(),
                portal_unit_code=portal.code,
                url=f"{portal.portal.rstrip('/')}/ops-test/{uuid.uuid4()}",
                title="Kế hoạch phát triển kinh tế - xã hội năm 2024",
                section="planning",
                kind=DocumentKind.PLANNING,
                first_seen_at=now,
            )
        ),
    ]


async def _publish(nats_url: str, events: Sequence[Event]) -> None:
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        for event in events:
            await js.publish(
                event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.event_id)}
            )
    finally:
        await client.close()


def wait_for_scrapes(
    prom: Prometheus, running: Sequence[ServiceProcess], more: int, timeout: float = 60
) -> None:
    """Until every target was scraped `more` times from now (the stack lives under 10 minutes)."""

    def counts() -> dict[str, float]:
        samples = prom.query("count_over_time(up[10m])")
        return {str(s["metric"]["instance"]): float(s["value"][1]) for s in samples}  # type: ignore[index]

    start = counts()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = counts()
        if len(now) >= len(running) and all(n >= start.get(i, 0) + more for i, n in now.items()):
            return
        time.sleep(0.5)
    raise AssertionError("prometheus did not scrape every service in time")


def eventually_data(prom: Prometheus, expr: str, timeout: float = 20) -> list[dict[str, Any]]:
    """The query's samples with a finite value (NaN from an empty histogram is no data)."""
    deadline = time.monotonic() + timeout
    while True:
        finite = [s for s in prom.query(expr) if _finite(s)]
        if finite or time.monotonic() > deadline:
            return finite
        time.sleep(0.5)


def _finite(sample: dict[str, Any]) -> bool:
    values = [sample["value"]] if "value" in sample else sample.get("values", [])
    return any(math.isfinite(float(v[1])) for v in values)
