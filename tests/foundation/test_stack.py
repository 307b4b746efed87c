"""`minhbach run` (what `make run` starts) brings all four services to ready, and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from minhbach.infra.embedded import free_port
from minhbach.services import SERVICES


def _ready(client: httpx.Client, port: int) -> bool:
    try:
        return client.get(f"http://127.0.0.1:{port}/readyz").status_code == 200
    except httpx.TransportError:
        return False


@pytest.mark.slow
def test_run_brings_every_service_to_ready_and_stops_on_sigterm(tmp_path: Path) -> None:
    ports = {spec.port_setting: free_port() for spec in SERVICES}
    env = {
        **os.environ,
        "MINHBACH_VAR_DIR": str(tmp_path / "var"),
        "MINHBACH_EMBEDDED_NATS_PORT": str(free_port()),
        "MINHBACH_EMBEDDED_NATS_MONITOR_PORT": str(free_port()),
        "MINHBACH_SMTP_PORT": str(free_port()),
        "MINHBACH_PORTAL_SIMULATOR_PORT": str(free_port()),
        **{f"MINHBACH_{name.upper()}": str(port) for name, port in ports.items()},
    }
    env.pop("MINHBACH_DATABASE_URL", None)
    env.pop("MINHBACH_NATS_URL", None)
    log = (tmp_path / "run.log").open("wb")
    stack = subprocess.Popen(
        [sys.executable, "-m", "minhbach", "run"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        with httpx.Client(timeout=2) as client:
            deadline = time.monotonic() + 120
            while not all(_ready(client, port) for port in ports.values()):
                assert stack.poll() is None, "minhbach run exited early"
                assert time.monotonic() < deadline, "services not ready within 120 s"
                time.sleep(0.5)
            response = client.get(f"http://127.0.0.1:{ports['scoring_port']}/readyz")
            assert response.json()["checks"] == {"database": True, "nats": True}
    finally:
        stack.send_signal(signal.SIGTERM)
        code = stack.wait(timeout=60)
        log.close()
    assert code == 0, (tmp_path / "run.log").read_text(errors="replace")[-3000:]
    for port in ports.values():
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
