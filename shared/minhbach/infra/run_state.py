"""Where the servers of a running `minhbach run` are: `var/run.json`, so that any command started
from the repository (`minhbach units issue-token ...`) finds them without environment variables.

The runner writes the file once its embedded servers are up and removes it when it stops; a file
left by a runner that was killed names a dead process and is ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from minhbach.settings import Settings

STATE_FILE = "run.json"


def state_path(settings: Settings) -> Path:
    return settings.var_dir / STATE_FILE


@contextlib.contextmanager
def published_run_state(settings: Settings, database_url: str, nats_url: str) -> Iterator[Path]:
    """Write the state file for the duration of the block (atomically: readers never see half)."""
    path = state_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "pid": os.getpid(),
        "database_url": database_url,
        "nats_url": nats_url,
        "intake_url": f"http://{settings.bind_host}:{settings.intake_port}",
    }
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    scratch.replace(path)
    try:
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            if _read(path).get("pid") == os.getpid():
                path.unlink()


def running_stack(settings: Settings) -> dict[str, Any] | None:
    """The state of the `minhbach run` that is up for this `var/`, if one is."""
    state = _read(state_path(settings))
    pid = state.get("pid")
    if not isinstance(pid, int) or not _is_minhbach_process(pid):
        return None
    return state


def with_running_stack(settings: Settings) -> Settings:
    """Settings whose unset server URLs point at the running stack's servers."""
    if settings.database_url and settings.nats_url:
        return settings
    state = running_stack(settings)
    if state is None:
        return settings
    return settings.model_copy(
        update={
            "database_url": settings.database_url or state["database_url"],
            "nats_url": settings.nats_url or state["nats_url"],
        }
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _is_minhbach_process(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"minhbach" in command
