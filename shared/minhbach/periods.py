"""A reporting period, in one place: its code, first and last day, data cut-off and its name.

Every service asks this module what "Q3 of 2024" is; none computes quarter ends or writes a
period's Vietnamese name itself (decision 0017).

- Codes: "Q1".."Q4" (quarters), "H1"/"H2" (half years), "M9" (the first nine months), "year".
- Kinds, as a plan's reporting rule names them: quarter, half_year, nine_months, year.
- The name, one style everywhere, as administrative documents write it: "quý III năm 2026",
  "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "9 tháng năm 2026", "năm 2026".
- The data cut-off (Decree 09/2019/NĐ-CP, Art. 12): figures of a period run from the day after
  the cut-off day of the month before the period to the cut-off day of its last month (with
  day 14: a quarter's figures run from the 15th of the month before to the 14th of its last
  month; the year's from 15/12 of the year before to 14/12).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

PeriodCode = Literal["Q1", "Q2", "Q3", "Q4", "H1", "H2", "M9", "year"]
PeriodKind = Literal["quarter", "half_year", "nine_months", "year"]

QUARTERS: Final[tuple[PeriodCode, ...]] = ("Q1", "Q2", "Q3", "Q4")
HALVES: Final[tuple[PeriodCode, ...]] = ("H1", "H2")
NINE_MONTHS: Final = "M9"
YEAR: Final = "year"
PERIOD_CODES: Final[tuple[PeriodCode, ...]] = (*QUARTERS, *HALVES, "M9", "year")
PERIOD_KINDS: Final[tuple[PeriodKind, ...]] = ("quarter", "half_year", "nine_months", "year")

# code -> (first month, number of months)
_SPANS: Final[dict[str, tuple[int, int]]] = {
    "Q1": (1, 3),
    "Q2": (4, 3),
    "Q3": (7, 3),
    "Q4": (10, 3),
    "H1": (1, 6),
    "H2": (7, 6),
    "M9": (1, 9),
    "year": (1, 12),
}
_CODES_OF_KIND: Final[dict[str, tuple[PeriodCode, ...]]] = {
    "quarter": QUARTERS,
    "half_year": HALVES,
    "nine_months": ("M9",),
    "year": ("year",),
}
_ROMAN: Final = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV"}
_KIND_NAMES: Final = {
    "quarter": "quý",
    "half_year": "6 tháng",
    "nine_months": "9 tháng",
    "year": "năm",
}


def periods_of_kind(kind: str) -> tuple[PeriodCode, ...]:
    """The periods of a year of one kind: the four quarters, the two halves, M9, or the year."""
    try:
        return _CODES_OF_KIND[kind]
    except KeyError:
        raise ValueError(
            f"unknown period kind {kind!r}: one of {', '.join(PERIOD_KINDS)}"
        ) from None


def kind_of(code: str) -> PeriodKind:
    for kind in PERIOD_KINDS:
        if code in _CODES_OF_KIND[kind]:
            return kind
    raise ValueError(f"unknown period {code!r}: one of {', '.join(PERIOD_CODES)}")


def is_period_code(code: str) -> bool:
    return code in _SPANS


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) `months` months after (year, month); negative counts back."""
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True, slots=True, order=True)
class ReportingPeriod:
    """One period of one year: "Q3" of 2024, "H1" of 2026, the year 2026."""

    year: int
    code: str

    def __post_init__(self) -> None:
        if self.code not in _SPANS:
            raise ValueError(f"unknown period {self.code!r}: one of {', '.join(PERIOD_CODES)}")

    @property
    def kind(self) -> PeriodKind:
        return kind_of(self.code)

    @property
    def length_months(self) -> int:
        return _SPANS[self.code][1]

    @property
    def first_day(self) -> date:
        return date(self.year, _SPANS[self.code][0], 1)

    @property
    def last_day(self) -> date:
        year, month = self.month(self.length_months + 1)
        return date(year, month, 1) - timedelta(days=1)

    def month(self, k: int) -> tuple[int, int]:
        """(year, month) of the period's k-th month (1-based); k = length + 1 is the month after
        the period (January of the next year after Q4, H2 or the year)."""
        if k < 1:
            raise ValueError(f"a period's months count from 1, got {k}")
        return add_months(self.year, _SPANS[self.code][0], k - 1)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    @property
    def key(self) -> str:
        """ "2024-Q3", "2026-H1", "2024-year": how events and drafts name the period."""
        return f"{self.year}-{self.code}"

    @property
    def label(self) -> str:
        return period_label(self.code, self.year)

    def data_span(self, cutoff_day: int) -> tuple[date, date]:
        """The days whose figures the period's report covers, for a cut-off day (1..28): from
        the day after the cut-off of the month before the period to the cut-off of its last
        month."""
        if not 1 <= cutoff_day <= 28:
            raise ValueError(f"a data cut-off day lies in 1..28, got {cutoff_day}")
        end_year, end_month = self.month(self.length_months)
        start_year, start_month = self.month(1)
        before_year, before_month = add_months(start_year, start_month, -1)
        return date(before_year, before_month, cutoff_day) + timedelta(days=1), date(
            end_year, end_month, cutoff_day
        )


def period_label(code: str, year: int) -> str:
    """The one Vietnamese name of a period: "quý III năm 2026", "6 tháng đầu năm 2026",
    "6 tháng cuối năm 2026", "9 tháng năm 2026", "năm 2026"."""
    if code in _ROMAN:
        return f"quý {_ROMAN[code]} năm {year}"
    if code == "H1":
        return f"6 tháng đầu năm {year}"
    if code == "H2":
        return f"6 tháng cuối năm {year}"
    if code == "M9":
        return f"9 tháng năm {year}"
    if code == "year":
        return f"năm {year}"
    raise ValueError(f"unknown period {code!r}: one of {', '.join(PERIOD_CODES)}")


def period_title(code: str, year: int) -> str:
    """The label at the start of a line: "Quý III năm 2026", "Năm 2026" (`str.capitalize`
    would lowercase the numeral: "Quý iii")."""
    label = period_label(code, year)
    return label[:1].upper() + label[1:]


def period_name(code: str) -> str:
    """The period without its year, capitalised for a table cell: "Quý III", "6 tháng đầu năm",
    "9 tháng", "Cả năm"."""
    if code in _ROMAN:
        return f"Quý {_ROMAN[code]}"
    names = {"H1": "6 tháng đầu năm", "H2": "6 tháng cuối năm", "M9": "9 tháng", "year": "Cả năm"}
    if code in names:
        return names[code]
    raise ValueError(f"unknown period {code!r}: one of {', '.join(PERIOD_CODES)}")


def kind_name(kind: str) -> str:
    """ "quý", "6 tháng", "9 tháng", "năm": a report of this kind is a "báo cáo {kind_name}"."""
    return _KIND_NAMES[kind]


def period_first_day(year: int, code: str) -> date:
    return ReportingPeriod(year, code).first_day


def period_last_day(year: int, code: str) -> date:
    return ReportingPeriod(year, code).last_day


def periods_of_year(
    year: int, codes: tuple[str, ...] = PERIOD_CODES
) -> tuple[ReportingPeriod, ...]:
    return tuple(ReportingPeriod(year, code) for code in codes)
