"""The plan's `portal_monitoring` block: how portal-monitor finds each section of each portal,
which sections each regulation requires, and the rules that sort documents into kinds.

All of it is data: a portal built on a known platform names the platform and inherits its
section sources (listing page with CSS selectors, RSS/Atom feed or sitemap); a portal may replace
or add sources. Nothing site-specific lives in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from minhbach.plan.types import Code, Frozen, TaskCode, Text, WorkingDays

SourceKind = Literal["listing", "feed", "sitemap"]
Path = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^(/|https?://)")
]
OTHER_KIND = "other"


class ListingSelectors(Frozen):
    """CSS selectors of a listing page; all but `item` are relative to one item."""

    item: Text
    link: Text = "a"
    title: Text | None = None  # default: the link's text
    document_number: Text | None = None  # default: found in the title
    issued_on: Text | None = None  # default: found in the title or summary
    issuer: Text | None = None
    summary: Text | None = None
    attachment: Text | None = None  # a link to the full text (PDF, DOC ...)
    posted_on: Text | None = None  # the portal's posting date ("Ngày đăng"), not the issue date
    next_page: Text | None = None  # relative to the page, not the item


class DetailPage(Frozen):
    """A document's own page, where portals that list titles only show the rest: a table of
    label/value rows ("thuộc tính văn bản") or "Label: value" text. Each field lists the labels
    that may introduce it, as the portal writes them (case and marks ignored)."""

    rows: Text = "tr"  # CSS selector of the label/value rows (label in the first cell)
    document_number: tuple[Text, ...] = ()  # "Số ký hiệu", "Số hiệu"
    issued_on: tuple[Text, ...] = ()  # "Ngày ban hành"
    issuer: tuple[Text, ...] = ()  # "Cơ quan ban hành"
    posted_on: tuple[Text, ...] = ()  # "Ngày đăng": the posting date, never the issue date
    attachment: Text | None = None  # CSS selector of the link to the file ("File đính kèm")


class SectionSource(Frozen):
    """Where one section's items are listed on a portal."""

    section: Code
    source: SourceKind
    path: Path  # absolute path on the portal, or a full URL on one of its hosts
    selectors: ListingSelectors | None = None
    max_pages: int = Field(default=1, ge=1, le=50)
    url_prefix: Path | None = None  # sitemap: only URLs under this path belong to the section
    # Read each new document's own page (once: a document already stored keeps what was read).
    detail: DetailPage | None = None
    # The section lives on another portal (procedures on the public-service portal): present,
    # and not judged empty or stale, when the section's page or the home page links there.
    delegated_to: Annotated[str, StringConstraints(pattern=r"^https?://")] | None = None
    max_details: int = Field(default=20, ge=1, le=200)  # detail pages per section and probe

    @model_validator(mode="after")
    def _selectors_fit_source(self) -> SectionSource:
        if self.source == "listing" and self.selectors is None:
            raise ValueError("a listing source needs `selectors`")
        if self.source != "listing" and self.selectors is not None:
            raise ValueError(f"`selectors` only belong to a listing source, not {self.source}")
        if self.source != "sitemap" and self.url_prefix is not None:
            raise ValueError("`url_prefix` only belongs to a sitemap source")
        return self


class PortalPlatform(Frozen):
    """A portal software (selector template) shared by every portal built on it."""

    code: Code
    name: Text
    sections: tuple[SectionSource, ...] = Field(min_length=1)


class PortalConfig(Frozen):
    """One unit's portal, when it differs from the default platform."""

    unit: Code
    platform: Code | None = None
    sections: tuple[SectionSource, ...] = ()  # replaces the platform's source of the same section
    extra_hosts: tuple[Text, ...] = ()  # other hosts of the same portal (attachments, CDN)
    probe_interval_minutes: int | None = Field(default=None, ge=1, le=10080)


class Regulation(Frozen):
    """A regulation on what portals must carry, in force from a date (Decree 42/2022 ...)."""

    code: Code
    name: Text
    effective_from: date
    effective_until: date | None = None  # last day in force; None: still in force
    required_sections: tuple[Code, ...] = Field(min_length=1)

    def in_force_on(self, day: date) -> bool:
        ends = self.effective_until
        return self.effective_from <= day and (ends is None or day <= ends)


class ClassificationRule(Frozen):
    """Sorts a document into a kind. Rules are tried in order; the first that matches wins.

    Phrases are searched as whole words in the title and summary, ignoring case, after
    normalisation (portals in NFD or with HTML entities match the same rules); a text written
    without any diacritics is matched against the phrases without theirs. Every condition given
    must hold.
    """

    code: Code
    kind: Code  # a plan document kind, or "other"
    sections: tuple[Code, ...] = ()  # only items listed in these sections
    types: tuple[Code, ...] = ()  # only documents of these types (`document_types`)
    legal: bool | None = None  # only legal normative documents (True) or only others (False)
    text_any: tuple[Text, ...] = ()
    text_all: tuple[Text, ...] = ()
    text_none: tuple[Text, ...] = ()
    # A regular expression searched in the title, case-folded and normalised ("\\?$": a
    # question; "^(đăng ký|cấp) ": a procedure's name); written with diacritics, it also matches
    # a title typed without them.
    title_pattern: Text | None = None
    number_pattern: Text | None = None  # a regular expression searched in the document number
    # False: the rule guesses (a broad phrase, the fallback); a finding that accuses a unit is
    # not made from it, the document is listed "cần xem xét" for a person instead.
    confident: bool = True
    note: Text | None = None

    @field_validator("number_pattern", "title_pattern")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    @property
    def catch_all(self) -> bool:
        """No condition at all: the `other` rule that takes whatever no rule before it took."""
        return not (
            self.text_any
            or self.text_all
            or self.text_none
            or self.title_pattern
            or self.number_pattern
            or self.sections
            or self.types
            or self.legal is not None
        )

    @model_validator(mode="after")
    def _has_condition(self) -> ClassificationRule:
        positive = (
            self.text_any
            or self.text_all
            or self.title_pattern
            or self.number_pattern
            or self.sections
            or self.types
            or self.legal is not None
        )
        if not positive and self.kind != OTHER_KIND:
            raise ValueError("a rule needs at least one condition (only the `other` rule may not)")
        return self


class ClassificationRuleSet(Frozen):
    """A rule set shipped apart from any plan (`shared/plans/rule-sets/*.yaml`), so every plan
    sorts documents with the same, versioned rules (decision 0015): its own file, read by the
    loader when a plan names it in `portal_monitoring.classification_rule_set`."""

    rule_set: Code  # its name
    version: int = Field(ge=1)  # raised with every change of its rules
    note: Text | None = None
    classification_rules: tuple[ClassificationRule, ...] = Field(min_length=1)


class RuleSetReference(Frozen):
    """A plan's choice of a shared rule set: the file (relative to the plan's folder, else to
    the shipped `shared/plans/`), the version the plan was checked against (the file's must be
    the same: a changed rule set is adopted on purpose), and where the plan's own
    `classification_rules` (rules for its own kinds) are tried: `first`, before every shared
    rule, or `last`, after them but before the set's catch-all (the `other` rule without
    conditions), which stays last."""

    file: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"\.ya?ml$")]
    version: int = Field(ge=1)
    own_rules: Literal["first", "last"] = "first"


class DocumentType(Frozen):
    """A type of administrative document (Decree 30/2020/NĐ-CP, Appendix III): read from the
    first part of the number's symbol (08/CT-UBND: CT) or, without a number, from the title's
    first words ("Chỉ thị về ..."). The type is a fact apart from the document's topic."""

    code: Code
    name: Text
    symbols: tuple[Text, ...] = ()  # CT, QĐ, KH ... (the first part of the symbol)
    title_starts: tuple[Text, ...] = ()  # "chỉ thị", "quyết định" ... (case and marks ignored)
    legal: bool = False  # always a legal normative document (Luật, Nghị định, Thông tư ...)


class IssuerSymbol(Frozen):
    """The issuing body read from a document number's symbol, e.g. NĐ-CP -> Chính phủ."""

    symbol: Text  # the last part of the symbol: CP, UBND, HĐND, TTg ...
    name: Text
    # A body of local government (HĐND, UBND): its documents may be a source portal's own. A
    # document whose symbol names another body (NĐ-CP, QĐ-TTg, TT-BTC) is a text the portal
    # re-posts, never the source's own, so no copy duty covers it (issue 19).
    local: bool = False


class CopyDuty(Frozen):
    """A duty to re-post documents: documents of the `tasks`' kinds found on the portals of
    `documents_of` must appear on the portals of `reposted_on` too (units without a portal owe
    nothing), within `within_working_days` of their date of issue (default: the source's own
    publication deadline). Units or groups, as tasks name them."""

    documents_of: tuple[Code, ...] = Field(min_length=1)
    reposted_on: tuple[Code, ...] = Field(min_length=1)
    tasks: tuple[TaskCode, ...] = Field(min_length=1)
    within_working_days: WorkingDays | None = None


@dataclass(frozen=True, slots=True)
class ResolvedCopyDuty:
    """A `CopyDuty` with its groups resolved to unit codes (`plan.copy_duties`)."""

    sources: tuple[str, ...]  # units whose portal holds the documents
    targets: tuple[str, ...]  # units whose portal must carry them (with a portal, not a source)
    tasks: tuple[str, ...]
    kinds: tuple[str, ...]  # document kinds of the tasks, in order, without repeats
    within_working_days: int | None  # None: the source document's own deadline

    def copies(self, source_unit: str, kind: str) -> bool:
        return source_unit in self.sources and kind in self.kinds

    def task_of_kind(self, kind: str, tasks_kinds: dict[str, tuple[str, ...]]) -> str | None:
        """The first of the duty's tasks about `kind` (`tasks_kinds`: task code -> kinds)."""
        return next((code for code in self.tasks if kind in tasks_kinds.get(code, ())), None)


class PortalMonitoring(Frozen):
    default_platform: Code
    probe_interval_minutes: int = Field(default=60, ge=1, le=10080)
    freshness_days: int = Field(default=30, ge=1, le=3650)
    qa_active_within_days: int = Field(default=90, ge=1, le=3650)
    latency_limit_ms: int = Field(default=3000, ge=1)
    tls_warning_days: int = Field(default=14, ge=0)
    legal_links: tuple[Code, ...] = ()  # reference_links a legal section must link to (task 5.2)
    legal_links_section: Code | None = None
    qa_section: Code | None = None
    directive_section: Code | None = None  # task 4.1: only directive documents, in full text
    directive_kind: Code = "directive"
    copy_duties: tuple[CopyDuty, ...] = ()  # documents of one portal owed on others too
    regulations: tuple[Regulation, ...] = Field(min_length=1)
    platforms: tuple[PortalPlatform, ...] = Field(min_length=1)
    portals: tuple[PortalConfig, ...] = ()
    issuers: tuple[IssuerSymbol, ...] = ()
    document_types: tuple[DocumentType, ...] = ()
    # The type of a numbered document whose symbol starts with no type's symbol: a letter
    # (công văn: 1310/UBND-KT, Decree 30/2020 Appendix III).
    letter_type: Code | None = None
    directive_types: tuple[Code, ...] = ()  # task 4.1: the types a directive section may carry
    # Names whose words must not count as a topic ("Phòng Tài chính - Kế hoạch" is no plan).
    neutral_phrases: tuple[Text, ...] = ()
    # A listing page that answers 200 with none of its items and one of these phrases is a
    # "soft 404": the section is missing, not present and empty (case and marks ignored).
    soft_404_phrases: tuple[Text, ...] = ()
    # The shared rule set the plan sorts documents with, and its rules as the loader read them
    # from that file (never written in a plan: `parse_plan` fills them).
    classification_rule_set: RuleSetReference | None = None
    shared_classification_rules: tuple[ClassificationRule, ...] = ()
    # The plan's own rules (its own kinds), or all of them when it names no rule set.
    classification_rules: tuple[ClassificationRule, ...] = ()

    @model_validator(mode="after")
    def _has_rules(self) -> PortalMonitoring:
        if self.classification_rule_set is None and self.shared_classification_rules:
            raise ValueError(
                "`shared_classification_rules` is filled from `classification_rule_set`; "
                "name the rule set instead of writing its rules"
            )
        if self.classification_rule_set is not None and not self.shared_classification_rules:
            raise ValueError(
                f"the rule set {self.classification_rule_set.file!r} was not read "
                "(a plan naming a rule set is read with `load_plan` or `parse_plan`)"
            )
        if not self.rules:
            raise ValueError(
                "no classification rules: name a `classification_rule_set` or write "
                "`classification_rules`"
            )
        return self

    @property
    def rules(self) -> tuple[ClassificationRule, ...]:
        """Every classification rule in the order they are tried: the plan's own first (or last,
        before the shared set's catch-all), then the shared set's."""
        own, shared = self.classification_rules, self.shared_classification_rules
        reference = self.classification_rule_set
        if reference is None or reference.own_rules == "first":
            return (*own, *shared)
        cut = len(shared)
        while cut > 0 and shared[cut - 1].catch_all:
            cut -= 1
        return (*shared[:cut], *own, *shared[cut:])

    def platform(self, code: str) -> PortalPlatform:
        for platform in self.platforms:
            if platform.code == code:
                return platform
        raise KeyError(f"no portal platform {code!r} in the plan")

    def portal_config(self, unit_code: str) -> PortalConfig:
        for config in self.portals:
            if config.unit == unit_code:
                return config
        return PortalConfig(unit=unit_code)

    def section_sources(self, unit_code: str) -> tuple[SectionSource, ...]:
        """The unit's sources: its platform's, with the portal's own replacing or adding."""
        config = self.portal_config(unit_code)
        platform = self.platform(config.platform or self.default_platform)
        own = {source.section: source for source in config.sections}
        merged = [own.pop(source.section, source) for source in platform.sections]
        return (*merged, *own.values())

    def interval_minutes(self, unit_code: str) -> int:
        return self.portal_config(unit_code).probe_interval_minutes or self.probe_interval_minutes

    def regulation_on(self, day: date) -> Regulation:
        """The regulation in force on `day` (the latest to start, if several overlap)."""
        in_force = [r for r in self.regulations if r.in_force_on(day)]
        if not in_force:
            return min(self.regulations, key=lambda r: r.effective_from)
        return max(in_force, key=lambda r: r.effective_from)

    def reposted_text(self, document_number: str | None) -> bool:
        """The number's symbol names a body that is no local government's (`issuers` not
        `local`: NĐ-CP, QĐ-TTg, QH15): a national text a portal re-posts, never a source
        portal's own document, so no copy duty covers it. Without a number, or with a symbol
        naming a local body (KH-UBND, NQ-HĐND) or no known body: not established, False."""
        parts = symbol_parts(document_number)
        if not parts:
            return False
        local = {i.symbol.casefold() for i in self.issuers if i.local}
        other = {i.symbol.casefold() for i in self.issuers if not i.local}
        if any(part in local for part in parts):
            return False
        return any(part in other for part in parts)


_TRAILING_DIGITS = re.compile(r"\d+$")


def symbol_parts(document_number: str | None) -> tuple[str, ...]:
    """ "42/2022/NĐ-CP" -> ("nđ", "cp"); "143/2025/QH15" -> ("qh",); "1310/UBND-KT" ->
    ("ubnd", "kt"): the dash-separated parts after the last "/", case folded, a legislature's
    number dropped."""
    if not document_number or "/" not in document_number:
        return ()
    symbol = document_number.rsplit("/", 1)[1].strip()
    parts = (_TRAILING_DIGITS.sub("", p.strip()).casefold() for p in symbol.split("-"))
    return tuple(p for p in parts if p)
