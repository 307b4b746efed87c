"""Locating the Debian tools the operations tests drive; a missing one skips with its reason."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from minhbach.settings import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
PROMETHEUS_DIR = DEPLOY / "prometheus"
GRAFANA_DIR = DEPLOY / "grafana"


def require_tool(name: str, debian_package: str) -> str:
    """The tool's path, or skip the test saying how to get it."""
    found = shutil.which(name)
    if found is None:
        print(f"{name} not found: install Debian's {debian_package} (bash deploy/system-deps.sh)")
        pytest.skip(f"{name} not installed (Debian package {debian_package})")
    return found


def run_tool(
    args: Sequence[str | Path], env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=cwd,
    )
