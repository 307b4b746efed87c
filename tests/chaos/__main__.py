"""`make chaos` (python -m tests.chaos): the plan year, calm and under faults; prints the table
and exits 1 if an invariant broke. `--span quarter` is the short version `make test` runs."""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
from pathlib import Path

from minhbach.observability.logging import configure_logging
from minhbach.settings import REPO_ROOT, Settings
from tests.chaos.run import run_pair, table


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.chaos")
    parser.add_argument("--span", default="year", choices=("short", "quarter", "year"))
    parser.add_argument("--seed", type=int, default=None, help="replay a run: the seed it printed")
    parser.add_argument("--plan", type=Path, default=Settings().plan_file)
    parser.add_argument("--keep", action="store_true", help="keep the runs' folders and logs")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1, 1_000_000)
    print(f"chaos: span {args.span}, seed {seed}, plan {args.plan}", flush=True)
    configure_logging("chaos", "WARNING")
    (REPO_ROOT / "var").mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="chaos-", dir=REPO_ROOT / "var"))
    try:
        outcome = asyncio.run(run_pair(args.plan, args.span, seed, root))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(table(outcome), flush=True)
    if args.keep:
        print(f"logs and data: {root}")
    return 0 if outcome.held else 1


if __name__ == "__main__":
    sys.exit(main())
