"""What readiness yields: each signal's share with its evidence, each indicator's figure, and
the tally a signal is counted with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scoring import messages

DECIMALS = 6


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One thing counted (`ok` True/False), or one that could not be looked at yet (`ok` None:
    a portal not yet probed is "chưa kiểm tra", counted nowhere, never a failure)."""

    label: str
    ok: bool | None
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class SignalFigure:
    code: str
    name: str
    value: float
    weight: float
    evidence: str
    items: tuple[EvidenceItem, ...] = ()
    # False: nothing to count yet ("Chưa có dữ liệu"); the signal is left out of its
    # indicator's readiness and `missing` says why (decision 0014).
    has_data: bool = True
    missing: str = ""


@dataclass(frozen=True, slots=True)
class IndicatorFigure:
    indicator: int
    readiness: float
    signals: tuple[SignalFigure, ...]

    def values(self) -> dict[str, float]:
        return {s.code: s.value for s in self.signals}

    def signal(self, code: str) -> SignalFigure | None:
        return next((s for s in self.signals if s.code == code), None)

    @property
    def has_data(self) -> bool:
        """Some signal has data (otherwise the readiness 0 says nothing)."""
        return any(s.has_data for s in self.signals)

    @property
    def without_data(self) -> tuple[SignalFigure, ...]:
        return tuple(s for s in self.signals if not s.has_data)


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
    missing: str | None = None  # why there is nothing to count (None: there is)

    @classmethod
    def unknown(cls, why: str, items: tuple[EvidenceItem, ...] = ()) -> Measured:
        return cls(0.0, messages.no_data(why), items, why)


def weighted(signals: Sequence[SignalFigure]) -> float:
    """The weighted mean over the signals that have data, weights renormalised over them
    (0 when none has)."""
    known = [s for s in signals if s.has_data]
    total = sum(s.weight for s in known)
    return sum(s.value * s.weight for s in known) / total if total > 0 else 0.0


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

    def unchecked(self, label: Callable[[], str]) -> None:
        """Something that could not be looked at yet: listed, counted nowhere."""
        if self.with_items:
            self.items.append(EvidenceItem(label(), None))

    def measured(self, summary: Callable[[int, int], str], why_none: str) -> Measured:
        """The share counted, or "no data" and `why_none` when nothing was."""
        if not self.total:
            return Measured.unknown(why_none, tuple(self.items))
        return Measured(ratio(self.ok, self.total), summary(self.ok, self.total), tuple(self.items))


def clamp_round(value: float) -> float:
    return round(min(1.0, max(0.0, value)), DECIMALS)
