"""What the simulator serves: a portal (its sections, its mode of failing) and a response."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from minhbach_dev.portal_simulator.content import SimSection

Mode = Literal["ok", "slow", "broken", "down"]


@dataclass
class SimPortal:
    code: str
    name: str
    port: int = 0  # 0: any free port, known after start
    sections: list[SimSection] = field(default_factory=list)
    mode: Mode = "ok"
    slow_seconds: float = 3.5
    robots: str = "User-agent: *\nDisallow: /quan-tri/\n"
    legal_links: tuple[str, ...] = ()
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def section_at(self, path: str) -> SimSection | None:
        return next((s for s in self.sections if s.path == path), None)

    def section(self, code: str) -> SimSection:
        return next(s for s in self.sections if s.code == code)


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    special: Callable[[asyncio.StreamWriter], object] | None = None  # writes everything itself
