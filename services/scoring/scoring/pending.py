"""Figures that handled events may have moved, kept in memory until the figure loop's next flush."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from uuid import UUID

SignalScope = dict[int, set[str] | None]
"""Indicator -> the signals an input can move (None: all of them)."""


@dataclass
class PendingFigures:
    """Figures that handled events may have moved, and the events, until the next flush.

    Handlers mark while they hold scoring's lock, so a flush (which takes the lock) always reads
    what they committed. A mark lost in a crash is made good by the time loop's full pass."""

    scope: SignalScope = field(default_factory=dict)
    causes: dict[int, list[UUID]] = field(default_factory=dict)
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def mark(self, scope: SignalScope, *causes: UUID) -> None:
        for number, signals in scope.items():
            if number in self.scope:
                known = self.scope[number]
                self.scope[number] = None if known is None or signals is None else known | signals
            else:
                self.scope[number] = None if signals is None else set(signals)
            self.causes.setdefault(number, []).extend(causes)
        if scope:
            self.ready.set()

    def take(self) -> tuple[SignalScope, dict[int, list[UUID]]]:
        scope, causes = self.scope, self.causes
        self.scope, self.causes = {}, {}
        self.ready.clear()
        return scope, causes
