"""Run every benchmark module (`bench_*.py`) on real servers and print one table.

Each module exposes `async def run(env: BenchEnv) -> list[BenchRow]`. `python -m tests.benchmarks
intake` runs only the modules whose name contains "intake". Each module gets fresh embedded
servers of its own, so what one benchmark left in the streams never loads the next; a module that
fails is reported and the others still run (exit code 1).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import pkgutil
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

from minhbach.db.migrations import migrate_all
from minhbach.infra.embedded import free_port
from minhbach.observability.logging import configure_logging
from minhbach.settings import REPO_ROOT, Settings
from minhbach_dev.stack import infrastructure
from tests.benchmarks.env import BenchEnv
from tests.benchmarks.table import BenchRow, render


def main(selected: list[str]) -> int:
    # The table is the output; services' per-event logs would drown it.
    configure_logging("bench", "WARNING")
    logging.getLogger().setLevel(logging.WARNING)
    modules = [
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_") and (not selected or any(s in m.name for s in selected))
    ]
    rows: list[BenchRow] = []
    failed: list[str] = []
    for name in sorted(modules):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            rows += run_module(name)
        except Exception:
            traceback.print_exc()
            failed.append(name)
    print(render(rows))
    if failed:
        # In the table's own output too: a benchmark that printed no row must not pass unseen.
        print(f"FAILED, no rows: {', '.join(failed)}")
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def run_module(name: str) -> list[BenchRow]:
    """One benchmark on its own embedded NATS and PostgreSQL, deleted afterwards."""
    var = scratch_dir(REPO_ROOT / "var")
    # Free ports for both NATS listeners: several engineers may run benchmarks at once.
    settings = Settings().model_copy(
        update={"embedded_nats_port": free_port(), "embedded_nats_monitor_port": free_port()}
    )
    try:
        with infrastructure(settings, var_dir=var) as infra:
            migrate_all(infra.database_url)
            env = BenchEnv(
                settings=settings.model_copy(
                    update={"database_url": infra.database_url, "nats_url": infra.nats_url}
                ),
                var_dir=var,
            )
            module = importlib.import_module(f"tests.benchmarks.{name}")
            result: list[BenchRow] = asyncio.run(module.run(env))
            return result
    finally:
        shutil.rmtree(var, ignore_errors=True)


def scratch_dir(var_root: Path) -> Path:
    """A fresh folder for one benchmark's servers; `var/` itself may not exist yet (fresh clone)."""
    var_root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="bench-", dir=var_root))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
