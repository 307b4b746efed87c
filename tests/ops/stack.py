"""The four services as real processes (`python -m minhbach serve X`) and a real Prometheus.

Everything listens on 127.0.0.1 on free ports. Prometheus (Debian's binary) scrapes every second,
loads the production alert rules and keeps its data in a temporary folder.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import yaml
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from minhbach.db.migrations import migrate_all
from minhbach.db.session import async_url
from minhbach.infra.embedded import EmbeddedNats, free_port
from minhbach.services import SERVICES, ServiceSpec
from tests.ops.tools import PROMETHEUS_DIR

T = TypeVar("T")


def run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from synchronous fixture code on a loop of its own, in another thread:
    `asyncio.run` in this thread would unset the suite's session event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@contextmanager
def isolated_infra(session_database_url: str, data_dir: Path) -> Iterator[tuple[str, str]]:
    """Its own NATS and its own database (on the session's PostgreSQL server) for a stack that
    runs the pipeline at 720x: its hundreds of events and its portal schedules must not reach
    the durable consumers and tables the rest of the suite shares. Yields (database, nats) URLs."""
    name = f"minhbach_ops_{os.getpid()}"
    database_url = (
        make_url(session_database_url).set(database=name).render_as_string(hide_password=False)
    )
    run_apart(_admin(session_database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    run_apart(_admin(session_database_url, f'CREATE DATABASE "{name}"'))
    nats = EmbeddedNats(data_dir / "nats", free_port()).start()
    try:
        migrate_all(database_url)
        yield database_url, nats.url
    finally:
        nats.stop()
        run_apart(_admin(session_database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(database_url: str, statement: str) -> None:
    engine = create_async_engine(async_url(database_url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class ServiceProcess:
    spec: ServiceSpec
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _wait_until(check: object, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} not ready within {timeout}s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def allocate_ports(replicas: dict[str, int] | None = None) -> list[tuple[ServiceSpec, int]]:
    """A free loopback port for each replica of each service, chosen before anything starts."""
    return [
        (spec, free_port()) for spec in SERVICES for _ in range((replicas or {}).get(spec.name, 1))
    ]


@contextmanager
def services(
    env: dict[str, str],
    log_dir: Path,
    ports: Sequence[tuple[ServiceSpec, int]],
    timeout: float = 90.0,
) -> Iterator[list[ServiceProcess]]:
    """Start every service replica on its port; yield once all answer /readyz."""
    started: list[ServiceProcess] = []
    with ExitStack() as stack:
        for n, (spec, port) in enumerate(ports):
            log = (log_dir / f"{spec.name}-{n}.log").open("wb")
            stack.callback(log.close)
            process = subprocess.Popen(
                [sys.executable, "-m", "minhbach", "serve", spec.name],
                env={**os.environ, **env, f"MINHBACH_{spec.port_setting.upper()}": str(port)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            stack.callback(_stop, process)
            started.append(ServiceProcess(spec, port, process))
        for service in started:
            _wait_until(
                lambda s=service: _ready(s),
                f"{service.spec.name} on port {service.port} (log in {log_dir})",
                timeout,
            )
        yield started


def _ready(service: ServiceProcess) -> bool:
    if service.process.poll() is not None:
        raise AssertionError(f"{service.spec.name} exited with {service.process.returncode}")
    return httpx.get(f"{service.url}/readyz", timeout=2).status_code == 200


@contextmanager
def portal_simulator(env: dict[str, str], log_dir: Path, base_port: int) -> Iterator[None]:
    """`minhbach dev portal-simulator`: the plan's portals on base_port, base_port + 1, ..."""
    log = (log_dir / "portal-simulator.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "minhbach", "dev", "portal-simulator"],
        env={**os.environ, **env, "MINHBACH_PORTAL_SIMULATOR_BASE_PORT": str(base_port)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until(
            lambda: _listening(base_port) or _exited(process),
            f"portal simulator (log in {log_dir})",
            60,
        )
        assert process.poll() is None, f"portal simulator exited (log in {log_dir})"
        yield
    finally:
        _stop(process)
        log.close()


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _exited(process: subprocess.Popen[bytes]) -> bool:
    return process.poll() is not None


@dataclass(frozen=True)
class Prometheus:
    url: str

    def query(self, expr: str) -> list[dict[str, object]]:
        response = httpx.get(f"{self.url}/api/v1/query", params={"query": expr}, timeout=10)
        body = response.json()
        assert body.get("status") == "success", body
        result: list[dict[str, object]] = body["data"]["result"]
        return result

    def metric_names(self) -> set[str]:
        body = httpx.get(f"{self.url}/api/v1/label/__name__/values", timeout=10).json()
        return set(body["data"])

    def rules(self) -> list[dict[str, object]]:
        body = httpx.get(f"{self.url}/api/v1/rules", timeout=10).json()
        groups: list[dict[str, object]] = body["data"]["groups"]
        return groups


def scrape_config(targets: Sequence[tuple[ServiceSpec, int]], rule_files: Sequence[Path]) -> str:
    """The production rules with static loopback targets instead of compose DNS discovery."""
    jobs: dict[str, list[str]] = {}
    for spec, port in targets:
        jobs.setdefault(spec.name, []).append(f"127.0.0.1:{port}")
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(p) for p in rule_files],
        "scrape_configs": [
            {"job_name": job, "static_configs": [{"targets": addresses}]}
            for job, addresses in jobs.items()
        ],
    }
    return yaml.safe_dump(config)


@contextmanager
def prometheus(
    binary: str, targets: Sequence[tuple[ServiceSpec, int]], data_dir: Path
) -> Iterator[Prometheus]:
    """Started before the services, so that it sees every counter from zero."""
    port = free_port()
    config = data_dir / "prometheus.yml"
    config.write_text(
        scrape_config(targets, sorted((PROMETHEUS_DIR / "rules").glob("*.yml"))),
        encoding="utf-8",
    )
    log = (data_dir / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={data_dir / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--web.enable-lifecycle",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until(
            lambda: httpx.get(f"{url}/-/ready", timeout=2).status_code == 200,
            f"prometheus (log in {data_dir})",
            60,
        )
        yield Prometheus(url)
    finally:
        _stop(process)
        log.close()
