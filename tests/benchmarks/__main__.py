"""Run every benchmark module (`bench_*.py`) on real servers and print one table.

Each module exposes `async def run(env: BenchEnv) -> list[BenchRow]`. `python -m tests.benchmarks
intake` runs only the modules whose name contains "intake".
"""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import shutil
import sys
import tempfile
from pathlib import Path

from minhbach.devtools.stack import infrastructure, migrate_all
from minhbach.settings import REPO_ROOT, Settings
from tests.benchmarks.env import BenchEnv
from tests.benchmarks.table import BenchRow, render


def main(selected: list[str]) -> int:
    base = Settings()
    var = Path(tempfile.mkdtemp(prefix="bench-", dir=REPO_ROOT / "var"))
    modules = [
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_") and (not selected or any(s in m.name for s in selected))
    ]
    # Free ports for both NATS listeners: several engineers may run benchmarks at once.
    settings = base.model_copy(
        update={"embedded_nats_port": _free_port(), "embedded_nats_monitor_port": _free_port()}
    )
    rows: list[BenchRow] = []
    with infrastructure(settings, var_dir=var) as infra:
        migrate_all(infra.database_url)
        env = BenchEnv(
            settings=settings.model_copy(
                update={"database_url": infra.database_url, "nats_url": infra.nats_url}
            ),
            var_dir=var,
        )
        for name in sorted(modules):
            module = importlib.import_module(f"tests.benchmarks.{name}")
            print(f"running {name} ...", file=sys.stderr, flush=True)
            rows += asyncio.run(module.run(env))
    shutil.rmtree(var, ignore_errors=True)
    print(render(rows))
    return 0


def _free_port() -> int:
    from minhbach.infra.embedded import free_port

    return free_port()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
