"""A draft due now: its content built, the facts it came from, the version it will be."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minhbach.events.catalogue import DraftKind
from reporting.render.document import OfficialDocument


@dataclass(frozen=True)
class Planned:
    """A draft due now, with its content built and the facts it came from."""

    kind: DraftKind
    period_key: str
    version_no: int
    trigger: str
    document: OfficialDocument
    fingerprint: str
    sources: dict[str, Any]
    missing_units: tuple[str, ...]
