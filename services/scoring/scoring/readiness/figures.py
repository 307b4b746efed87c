"""What readiness yields: each signal's share with its evidence, each indicator's figure, and
the tally a signal is counted with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scoring import messages

DECIMALS = 6


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    label: str
    ok: bool
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class SignalFigure:
    code: str
    name: str
    value: float
    weight: float
    evidence: str
    items: tuple[EvidenceItem, ...] = ()


@dataclass(frozen=True, slots=True)
class IndicatorFigure:
    indicator: int
    readiness: float
    signals: tuple[SignalFigure, ...]

    def values(self) -> dict[str, float]:
        return {s.code: s.value for s in self.signals}

    def signal(self, code: str) -> SignalFigure | None:
        return next((s for s in self.signals if s.code == code), None)


@dataclass(frozen=True, slots=True)
class OverallReadiness:
    readiness: float
    target_share: float | None  # the plan's overall target as a share of its scale
    meets_target_share: bool | None


@dataclass(frozen=True, slots=True)
class Measured:
    value: float
    evidence: str
    items: tuple[EvidenceItem, ...] = ()


def ratio(ok: int, total: int) -> float:
    return ok / total if total else 0.0


class Tally:
    """Counts what passed; keeps the evidence items only when asked (labels are built lazily:
    the write path needs the value, a reader of the API needs the items)."""

    def __init__(self, with_items: bool) -> None:
        self.with_items = with_items
        self.ok = 0
        self.total = 0
        self.items: list[EvidenceItem] = []

    def add(self, ok: bool, label: Callable[[], str], ref: str | None = None) -> None:
        self.total += 1
        self.ok += ok
        if self.with_items:
            self.items.append(EvidenceItem(label(), ok, ref))

    def measured(self, summary: Callable[[int, int], str]) -> Measured:
        if not self.total:
            return Measured(0.0, messages.NO_DATA)
        return Measured(ratio(self.ok, self.total), summary(self.ok, self.total), tuple(self.items))


def clamp_round(value: float) -> float:
    return round(min(1.0, max(0.0, value)), DECIMALS)
