"""Sorting a document with the plan's rules, recording the rules that matched.

Two facts, kept apart: the document's type (chỉ thị, công văn, quyết định ... from the number's
symbol or the title's first words, Decree 30/2020) and its kind (the plan's document kinds:
planning, incentives, procedures ...; rules may ask the type). Rules are data
(`portal_monitoring.document_types` and `PortalMonitoring.rules`: the shared rule set the plan
names, with the plan's own rules, decision 0015); this module only knows how to apply them.
Compiled once per plan (`Classifier.from_monitoring`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from minhbach.plan import ClassificationRule, DocumentType, IssuerSymbol, PortalMonitoring
from portal_monitor.domain.text import (
    fold_case,
    has_diacritics,
    is_party_number,
    own_document_number,
    strip_diacritics,
    symbol_parts,
)

OTHER = "other"
FALLBACK_RULE = "no-rule-matched"


# Portals write the same dash as "-", "–" or "—" ("kinh tế – xã hội", "HỎI – ĐÁP"); rules write "-".
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-"})
_LEGAL_NUMBER = re.compile(r"^[0-9]+/[0-9]{4}/")  # a year in the number: a legal normative one
# A title that starts with its own number: "08/CT-UBND Chỉ thị về ...", "Số 12/KH-UBND: ...",
# the Party's "36-CT/TU ...".
_LEADING_NUMBER = re.compile(r"^(?:s[oố]\s*:?\s*)?\d+[a-z]?\s*[/\-]\S*[\s:,.\-–]*")


@dataclass(frozen=True)
class DocumentTyping:
    """The document's type and how it was read: `number:CT`, `number:letter`, `title:chỉ thị`."""

    code: str | None
    rule: str | None
    legal: bool


@dataclass(frozen=True)
class Classification:
    """`confident`: the matched rule is one the plan trusts (`confident: true`); a finding that
    accuses a unit is made only from a confident classification, the others are listed for a
    person to review ("cần xem xét")."""

    kind: str
    rule: str
    document_type: str | None = None
    type_rule: str | None = None
    legal: bool = False
    confident: bool = True


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

    def remove(self, text: str, accented: bool) -> str:
        pattern = self.accented if accented else self.bare
        return text if pattern is None else pattern.sub(" | ", text)

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
class _Pattern:
    """A rule's `title_pattern`, as written and without diacritics (for bare titles)."""

    accented: re.Pattern[str] | None
    bare: re.Pattern[str] | None

    @classmethod
    def of(cls, pattern: str | None) -> _Pattern:
        if pattern is None:
            return cls(None, None)
        folded = unicodedata.normalize("NFC", pattern).casefold()
        return cls(re.compile(folded), re.compile(strip_diacritics(folded)))

    def search(self, title: str, accented: bool) -> bool:
        pattern = self.accented if accented else self.bare
        return pattern is None or pattern.search(title) is not None


@dataclass(frozen=True)
class _CompiledRule:
    rule: ClassificationRule
    any_of: _Phrases
    none_of: _Phrases
    number: re.Pattern[str] | None
    title_pattern: _Pattern = _Pattern(None, None)

    def matches(
        self,
        text: str,
        accented: bool,
        number: str | None,
        section: str | None,
        typing: DocumentTyping,
        title: str = "",
    ) -> bool:
        rule = self.rule
        if not self.title_pattern.search(title, accented):
            return False
        if rule.sections and section not in rule.sections:
            return False
        if rule.types and typing.code not in rule.types:
            return False
        if rule.legal is not None and rule.legal != typing.legal:
            return False
        if rule.text_any and not self.any_of.search(text, accented):
            return False
        if rule.text_all and not self.any_of.each(rule.text_all, text, accented):
            return False
        if rule.text_none and self.none_of.search(text, accented):
            return False
        return not (self.number and (number is None or not self.number.search(number)))


def _symbol_key(symbol: str) -> str:
    """QĐ, qđ and QD (typed without marks) are one symbol."""
    return strip_diacritics(symbol).casefold()


@dataclass(frozen=True)
class _Types:
    """The plan's document types, indexed by symbol and by title start."""

    by_symbol: dict[str, DocumentType]
    starts: tuple[tuple[str, str, DocumentType], ...]  # (accented start, bare start, type)
    letter: DocumentType | None

    @classmethod
    def of(cls, monitoring: PortalMonitoring) -> _Types:
        types = monitoring.document_types
        starts = [
            (fold_case(phrase), strip_diacritics(fold_case(phrase)), t)
            for t in types
            for phrase in t.title_starts
        ]
        starts.sort(key=lambda s: len(s[0]), reverse=True)  # "bộ luật" before "luật"
        return cls(
            {_symbol_key(symbol): t for t in types for symbol in t.symbols},
            tuple(starts),
            next((t for t in types if t.code == monitoring.letter_type), None),
        )

    def of_document(self, title: str, number: str | None, accented: bool) -> DocumentTyping:
        legal_number = number is not None and _LEGAL_NUMBER.match(number) is not None
        found, rule = self._from_number(number, legal_number) if number else (None, None)
        if found is None:
            found, rule = self._from_title(title, accented)
        legal = legal_number or (found is not None and found.legal)
        return DocumentTyping(found.code if found else None, rule, legal)

    def _from_number(
        self, number: str, legal_number: bool
    ) -> tuple[DocumentType | None, str | None]:
        first = symbol_parts(number)[0]
        found = self.by_symbol.get(_symbol_key(first))
        if found is not None:
            return found, f"number:{first}"
        if legal_number or self.letter is None:  # 61/2020/QH14: a law, no letter; see the title
            return None, None
        if is_party_number(number):  # the Party's type is always written: one not known here
            return None, None
        return self.letter, "number:letter"

    def _from_title(self, title: str, accented: bool) -> tuple[DocumentType | None, str | None]:
        start = _LEADING_NUMBER.sub("", title)
        for phrase, bare, found in self.starts:
            wanted = phrase if accented else bare
            if start.startswith(wanted) and not start[len(wanted) : len(wanted) + 1].isalnum():
                return found, f"title:{phrase}"
        return None, None


@dataclass(frozen=True)
class Classifier:
    rules: tuple[_CompiledRule, ...]
    issuers: tuple[IssuerSymbol, ...] = ()
    types: _Types | None = None
    neutral: _Phrases = _Phrases(None, None)

    @classmethod
    def from_monitoring(cls, monitoring: PortalMonitoring) -> Classifier:
        compiled = tuple(
            _CompiledRule(
                rule=rule,
                any_of=_Phrases.of(rule.text_any),
                none_of=_Phrases.of(rule.text_none),
                number=re.compile(rule.number_pattern) if rule.number_pattern else None,
                title_pattern=_Pattern.of(rule.title_pattern),
            )
            for rule in monitoring.rules
        )
        return cls(
            compiled,
            monitoring.issuers,
            _Types.of(monitoring),
            _Phrases.of(monitoring.neutral_phrases),
        )

    def classify(
        self,
        title: str,
        summary: str | None = None,
        document_number: str | None = None,
        section: str | None = None,
    ) -> Classification:
        title = title.translate(_DASHES)
        raw = f"{title} {summary or ''}"
        accented = has_diacritics(raw)
        text = fold_case(raw) if accented else strip_diacritics(fold_case(raw))
        folded_title = fold_case(title) if accented else strip_diacritics(fold_case(title))
        typing = (
            self.types.of_document(folded_title, document_number, accented)
            if self.types is not None
            else DocumentTyping(None, None, False)
        )
        text = self.neutral.remove(text, accented)
        for compiled in self.rules:
            if compiled.matches(text, accented, document_number, section, typing, folded_title):
                rule = compiled.rule
                return Classification(
                    rule.kind, rule.code, typing.code, typing.rule, typing.legal, rule.confident
                )
        return Classification(
            OTHER, FALLBACK_RULE, typing.code, typing.rule, typing.legal, confident=False
        )

    def own_number(self, title: str) -> str | None:
        """The document's own number in its title, not one it cites (see `own_document_number`)."""
        return own_document_number(title)

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
