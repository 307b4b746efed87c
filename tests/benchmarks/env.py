"""What a benchmark is given: settings for this run's real servers, and a scratch folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from minhbach.settings import Settings


@dataclass(frozen=True)
class BenchEnv:
    settings: Settings
    var_dir: Path
