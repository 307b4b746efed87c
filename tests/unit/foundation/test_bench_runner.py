"""`make bench` on a fresh clone: `var/` does not exist yet and is created."""

from __future__ import annotations

from pathlib import Path

from tests.benchmarks.__main__ import scratch_dir


def test_a_benchmark_scratch_folder_is_made_where_var_does_not_exist_yet(tmp_path: Path) -> None:
    var_root = tmp_path / "fresh-clone" / "var"
    first, second = scratch_dir(var_root), scratch_dir(var_root)
    assert first.is_dir() and second.is_dir() and first != second
    assert first.parent == var_root
