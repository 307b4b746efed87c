"""Sorting a document into the plan's kinds with the plan's rules, recording the rule that matched.

Rules are data (`portal_monitoring.classification_rules`); this module only knows how to apply
them. Compiled once per plan (`Classifier.from_plan`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from minhbach.plan import ClassificationRule, IssuerSymbol, PortalMonitoring
from portal_monitor.domain.text import fold_case, has_diacritics, strip_diacritics, symbol_parts

OTHER = "other"
FALLBACK_RULE = "no-rule-matched"


@dataclass(frozen=True)
class Classification:
    kind: str
    rule: str


@dataclass(frozen=True)
class _Phrases:
    """Whole-word phrases, with and without diacritics."""

    accented: re.Pattern[str] | None
    bare: re.Pattern[str] | None

    @classmethod
    def of(cls, phrases: Sequence[str]) -> _Phrases:
        if not phrases:
            return cls(None, None)
        folded = [fold_case(p) for p in phrases]
        return cls(_alternation(folded), _alternation([strip_diacritics(p) for p in folded]))

    def search(self, text: str, accented: bool) -> bool:
        pattern = self.accented if accented else self.bare
        return pattern is not None and pattern.search(text) is not None

    def each(self, phrases: Sequence[str], text: str, accented: bool) -> bool:
        for phrase in phrases:
            folded = fold_case(phrase)
            if not _word(folded if accented else strip_diacritics(folded)).search(text):
                return False
        return True


def _word(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


def _alternation(phrases: Sequence[str]) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)")


@dataclass(frozen=True)
class _CompiledRule:
    rule: ClassificationRule
    any_of: _Phrases
    none_of: _Phrases
    number: re.Pattern[str] | None

    def matches(self, text: str, accented: bool, number: str | None, section: str | None) -> bool:
        rule = self.rule
        if rule.sections and section not in rule.sections:
            return False
        if rule.text_any and not self.any_of.search(text, accented):
            return False
        if rule.text_all and not self.any_of.each(rule.text_all, text, accented):
            return False
        if rule.text_none and self.none_of.search(text, accented):
            return False
        return not (self.number and (number is None or not self.number.search(number)))


@dataclass(frozen=True)
class Classifier:
    rules: tuple[_CompiledRule, ...]
    issuers: tuple[IssuerSymbol, ...] = ()

    @classmethod
    def from_monitoring(cls, monitoring: PortalMonitoring) -> Classifier:
        compiled = tuple(
            _CompiledRule(
                rule=rule,
                any_of=_Phrases.of(rule.text_any),
                none_of=_Phrases.of(rule.text_none),
                number=re.compile(rule.number_pattern) if rule.number_pattern else None,
            )
            for rule in monitoring.classification_rules
        )
        return cls(compiled, monitoring.issuers)

    def classify(
        self,
        title: str,
        summary: str | None = None,
        document_number: str | None = None,
        section: str | None = None,
    ) -> Classification:
        raw = f"{title} {summary or ''}"
        accented = has_diacritics(raw)
        text = fold_case(raw) if accented else strip_diacritics(fold_case(raw))
        for compiled in self.rules:
            if compiled.matches(text, accented, document_number, section):
                return Classification(compiled.rule.kind, compiled.rule.code)
        return Classification(OTHER, FALLBACK_RULE)

    def issuer_of(self, document_number: str | None) -> str | None:
        """The issuing body from the number's symbol (`42/2022/NĐ-CP` -> Chính phủ)."""
        if document_number is None:
            return None
        by_symbol = {entry.symbol.casefold(): entry.name for entry in self.issuers}
        for part in reversed(symbol_parts(document_number)):
            name = by_symbol.get(part.casefold()) or by_symbol.get(
                part.rstrip("0123456789").casefold()
            )
            if name is not None:
                return name
        return None
