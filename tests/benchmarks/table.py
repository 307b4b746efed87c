"""Rows every benchmark returns, and the table `make bench` prints."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchRow:
    """One measured figure, next to the baseline measured in the same run (None: no baseline)."""

    bench: str
    metric: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_label: str = ""
    higher_is_better: bool = True

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]


def render(rows: list[BenchRow]) -> str:
    header = ("bench", "metric", "value", "unit", "baseline", "ratio", "baseline is")
    lines = [header]
    for r in rows:
        lines.append(
            (
                r.bench,
                r.metric,
                f"{r.value:,.2f}",
                r.unit,
                "" if r.baseline is None else f"{r.baseline:,.2f}",
                "" if r.ratio is None else f"{r.ratio:.2f}x",
                r.baseline_label,
            )
        )
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    out = []
    for n, row in enumerate(lines):
        out.append(" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
        if n == 0:
            out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)
