"""The local stack behind `make run` and the test suite: embedded servers, migrations, processes.

Real servers are used when `MINHBACH_DATABASE_URL` / `MINHBACH_NATS_URL` are set; otherwise the
embedded ones start with data under `var/`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from minhbach.infra.embedded import EmbeddedNats, EmbeddedPostgres
from minhbach.infra.lifeline import die_with_parent, supervised_env
from minhbach.services import SERVICES
from minhbach.settings import Settings


@dataclass(frozen=True)
class Infra:
    database_url: str
    nats_url: str

    def env(self) -> dict[str, str]:
        return {"MINHBACH_DATABASE_URL": self.database_url, "MINHBACH_NATS_URL": self.nats_url}


@contextmanager
def infrastructure(settings: Settings, var_dir: Path | None = None) -> Iterator[Infra]:
    """Configured servers, or embedded ones for the duration of the block."""
    var_dir = var_dir or settings.var_dir
    with ExitStack() as stack:
        database_url = settings.database_url
        if not database_url:
            pg = EmbeddedPostgres(var_dir / "pg").start()
            stack.callback(pg.stop)
            database_url = pg.url
        nats_url = settings.nats_url
        if not nats_url:
            nats = EmbeddedNats(
                var_dir / "nats",
                settings.embedded_nats_port,
                settings.embedded_nats_monitor_port,
            ).start()
            stack.callback(nats.stop)
            nats_url = nats.url
        yield Infra(database_url=database_url, nats_url=nats_url)


@dataclass
class ProcessGroup:
    """Child processes whose output is prefixed with their name (or, with `log_dir`, appended to
    `<log_dir>/<name>.log`); stopped together, or killed and restarted one by one (the chaos
    run, tests/chaos).

    Each child runs in its own session (a Ctrl-C in the terminal reaches only the runner, which
    stops them), gets SIGTERM from the kernel if the runner dies, and holds a lifeline that ends
    it within a bounded time once the runner is gone (`minhbach.infra.lifeline`).
    """

    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    stop_timeout: float = 15.0
    log_dir: Path | None = None
    commands: dict[str, list[str]] = field(default_factory=dict)

    def start(self, name: str, args: Sequence[str]) -> None:
        self.commands[name] = list(args)
        log_file = (self.log_dir / f"{name}.log").open("ab") if self.log_dir else None
        process = subprocess.Popen(
            list(args),
            env={**os.environ, **self.env, **supervised_env()},
            stdout=log_file or subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent(),
        )
        self.processes[name] = process
        if log_file is not None:
            log_file.close()
            return
        assert process.stdout is not None
        threading.Thread(target=_prefix_lines, args=(name, process.stdout), daemon=True).start()

    def kill(self, name: str) -> None:
        """SIGKILL, as a crash: no shutdown code runs."""
        process = self.processes[name]
        process.kill()
        process.wait()

    def restart(self, name: str) -> None:
        self.start(name, self.commands[name])

    def wait_any(self) -> tuple[str, int]:
        while True:
            for name, process in self.processes.items():
                code = process.poll()
                if code is not None:
                    return name, code
            _sleep(0.5)

    def stop(self) -> None:
        """SIGTERM to all at once; whatever still runs after `stop_timeout` is killed."""
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + self.stop_timeout
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _sleep(seconds: float) -> None:
    threading.Event().wait(seconds)


def _prefix_lines(name: str, stream: IO[bytes]) -> None:
    width = max(len(s.name) for s in SERVICES) + 2
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", errors="replace").rstrip("\n")
        sys.stdout.write(f"{name:<{width}}| {line}\n")
        sys.stdout.flush()


def python_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "minhbach", *args]
