"""The plan year under faults, short (issue 20, decision 0019): the whole system twice, calm and
under one fault of each kind (kill -9 of a service, of NATS and of PostgreSQL, PostgreSQL
restarted, the SMTP relay stalling, answering 4xx and 5xx, dropping the connection after DATA),
six weeks of the clock around the third quarter's report deadline; every invariant must hold.
`make chaos` runs the year. MINHBACH_CHAOS_SEED replays a seed the table printed.

Not yet part of every `make test`: in the whole suite on a quiet machine (load average 2-6) it
held 9 of 10 at this stop, "the same notices" broken by one reminder the chaos run sent and the
calm one did not (decision 0019, "Open"). A test that fails for a known, recorded reason would
only hide new failures behind it; set MINHBACH_CHAOS_SHORT=1 to run it
(`MINHBACH_CHAOS_SHORT=1 make test`). The clock stands at the span's start until every service
answers ready, and after the span the run waits, bounded, until it owes nothing for the span
(tests/chaos/run.py), never a fixed sleep: about 200 s at load average 13-16."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from minhbach.settings import Settings
from tests.chaos.run import run_pair, table
from tests.chaos.scenario import FAULT_KINDS

SEED = int(os.environ.get("MINHBACH_CHAOS_SEED", "20"))


@pytest.mark.skipif(
    not os.environ.get("MINHBACH_CHAOS_SHORT"),
    reason="the short chaos run does not hold every invariant yet (decision 0019): "
    "MINHBACH_CHAOS_SHORT=1 runs it",
)
@pytest.mark.slow
@pytest.mark.timeout(420)  # 100 s idle, 200 s at load average 15 (decision 0019)
async def test_a_short_run_under_every_kind_of_fault_keeps_every_invariant(
    tmp_path: Path,
) -> None:
    outcome = await run_pair(Settings().plan_file, "short", SEED, tmp_path)
    print("\n" + table(outcome))  # with -s: the figures decision 0019 records
    assert set(Counter(f.kind for f in outcome.faults)) == set(FAULT_KINDS)
    assert outcome.held, "\n" + table(outcome)
