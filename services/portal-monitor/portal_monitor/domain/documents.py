"""From listed items to document records: normalised, classified, deduplicated, flagged."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date

from portal_monitor.domain.attachments import FullText
from portal_monitor.domain.classify import OTHER, Classifier
from portal_monitor.domain.extract import ListedItem
from portal_monitor.domain.text import (
    fold_case,
    normalize_text,
    parse_document_number,
    strip_diacritics,
)
from portal_monitor.domain.urls import canonical_url

# A title this long (in syllables) with its date of issue names one document across portals.
_TITLE_FINGERPRINT_WORDS = 8

# Fields whose change makes `portal.document.changed`.
TRACKED_FIELDS = (
    "title",
    "document_number",
    "issued_on",
    "issuer",
    "summary",
    "attachment_url",
    "kind",
)


@dataclass(frozen=True)
class DocumentDraft:
    """What one listing says about one document, ready to compare with the stored record."""

    canonical_url: str
    url: str
    section: str
    title: str
    kind: str
    matched_rule: str
    document_number: str | None
    issued_on: date | None
    issuer: str | None
    summary: str | None
    attachment_url: str | None
    listed_on: date | None = None
    document_type: str | None = None  # chỉ thị, công văn ... (Decree 30/2020), apart from kind
    type_rule: str | None = None  # how the type was read: number:CT, number:letter, title:...
    legal_normative: bool = False
    confident: bool = True  # the kind came from a rule the plan trusts (not a guess)
    detail_pending: bool = False  # its own page is due but not read yet (read on a later probe)
    attachment_unknown: bool = False  # no file listed, but its detail page is not read yet
    corrected: bool = False  # a person set its kind (`corrected`)

    @property
    def fingerprint(self) -> str | None:
        """The same document reposted elsewhere: same number and date of issue; without a
        number, the same long title (case, marks and spacing ignored) and date of issue
        (a provincial listing that shows no number, issue 19)."""
        if self.document_number is None:
            words = strip_diacritics(fold_case(self.title)).split()
            if self.issued_on is None or len(words) < _TITLE_FINGERPRINT_WORDS:
                return None
            return f"title:{' '.join(words)}|{self.issued_on.isoformat()}"
        issued = self.issued_on.isoformat() if self.issued_on else "?"
        return f"{self.document_number.lstrip('0').casefold()}|{issued}"

    @property
    def full_text_linked(self) -> bool:
        return self.attachment_url is not None

    def tracked(self) -> dict[str, str | None]:
        return {
            name: (None if (value := getattr(self, name)) is None else str(value))
            for name in TRACKED_FIELDS
        }


def draft_of(item: ListedItem, section: str, classifier: Classifier) -> DocumentDraft:
    title = normalize_text(item.title)
    summary = normalize_text(item.summary) if item.summary else None
    number = parse_document_number(item.document_number) or classifier.own_number(title)
    found = classifier.classify(title, summary, number, section)
    issuer = normalize_text(item.issuer) if item.issuer else classifier.issuer_of(number)
    return DocumentDraft(
        canonical_url=canonical_url(item.url),
        url=item.url,
        section=section,
        title=title,
        kind=found.kind,
        matched_rule=found.rule,
        document_number=number,
        issued_on=item.issued_on,
        issuer=issuer,
        summary=summary,
        attachment_url=item.attachment_url,
        listed_on=item.listed_on,
        document_type=found.document_type,
        type_rule=found.type_rule,
        legal_normative=found.legal,
        confident=found.confident,
        detail_pending=item.detail_pending,
        attachment_unknown=item.detail_pending and item.attachment_url is None,
    )


def deduplicate(drafts: Iterable[DocumentDraft]) -> list[DocumentDraft]:
    """One draft per canonical URL (a document listed on two pages of a section, or twice)."""
    seen: dict[str, DocumentDraft] = {}
    for draft in drafts:
        seen.setdefault(draft.canonical_url, draft)
    return list(seen.values())


def changed_fields(stored: dict[str, str | None], draft: DocumentDraft) -> tuple[str, ...]:
    now = draft.tracked()
    return tuple(name for name in TRACKED_FIELDS if stored.get(name) != now[name])


@dataclass(frozen=True)
class DirectiveFlag:
    """Task 4.1: only directive documents, in full text, in the directive section.

    `full_text` is "no" only when the absence is established (no file linked, or the file
    checked and not there), "unknown" for a file linked but not checked or not reached yet:
    neither accused nor counted as full text. `review`: the item looks like no directive but
    neither its type nor a rule the plan trusts says so: a person reviews it ("cần xem xét"),
    the unit is not accused."""

    not_directive: bool
    full_text: FullText
    review: bool = False

    @property
    def no_full_text(self) -> bool:
        return self.full_text == "no"

    @property
    def full_text_unknown(self) -> bool:
        return self.full_text == "unknown"

    @property
    def contaminated(self) -> bool:
        return self.not_directive


CORRECTION_RULE = "correction"


def corrected(draft: DocumentDraft, kind: str) -> DocumentDraft:
    """The draft with the kind a person gave it: certain, recorded as rule `correction`."""
    return replace(draft, kind=kind, matched_rule=CORRECTION_RULE, confident=True, corrected=True)


def is_directive(
    draft: DocumentDraft, directive_types: Collection[str], directive_kind: str = "directive"
) -> bool:
    """Task 4.1 asks the document's type (chỉ thị, công văn ...), not its topic; a legal
    normative document belongs in its own section, and a notice of a directive type that a
    rule sorts as no document of the plan (a recruitment or tender notice, a schedule, a
    personnel decision: kind `other`) is no directive either. A person's correction decides."""
    if draft.corrected:
        return draft.kind == directive_kind
    return (
        draft.document_type in directive_types and not draft.legal_normative and draft.kind != OTHER
    )


def not_directive_is_certain(draft: DocumentDraft, directive_types: Collection[str] = ()) -> bool:
    """The finding "not a directive" accuses the unit only when a rule the plan trusts sorted
    the document, or when its type is known (its number's symbol or its title's first words)
    and the type itself decides: a notice of a directive type that only a guessing rule sorted
    `other` ("Thông báo về việc chấm dứt hoạt động ...") is listed for review, not accused."""
    if draft.confident:
        return True
    if draft.document_type is None:
        return False
    return draft.kind != OTHER or draft.document_type not in directive_types


def directive_flag(
    draft: DocumentDraft,
    directive_section: str | None,
    directive_types: Collection[str],
    full_text: FullText | None = None,
    directive_kind: str = "directive",
) -> DirectiveFlag | None:
    """`full_text`: what the check of the file established (`attachments.full_text_of`;
    default: a linked file counts, for callers that check no file)."""
    if directive_section is None or draft.section != directive_section:
        return None
    if full_text is None:
        full_text = "yes" if draft.full_text_linked else "no"
    if draft.attachment_unknown:
        full_text = "unknown"  # "no file" is established only once its page has been read
    not_directive = not is_directive(draft, directive_types, directive_kind)
    return DirectiveFlag(
        not_directive=not_directive,
        full_text=full_text,
        review=not_directive and not not_directive_is_certain(draft, directive_types),
    )
