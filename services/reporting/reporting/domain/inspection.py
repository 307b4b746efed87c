"""The notice after a portal inspection round (the plan's `drafting.inspection_notice.task`):
which units' portals fall short, on what, with the evidence (address, date seen). Findings come
from portal-monitor's checks and its conclusions about the documents it found; nothing is
re-judged here.

Each finding is listed once. A document's own line (posted late, no full text, not a
directive) carries its address and the date it was seen; a failed check that faults documents
by title (`CheckResult.items`, e.g. `directive_section_clean`) is left out when every title it
names is listed as a document line of the kinds it stands for, in its section, in this notice.
A check naming no items, or an item the notice does not list (a document seen in an earlier
round, or one reporting has not received), is kept whole: nothing is lost.

"No full text" is listed only when established (`PostedDocument.no_full_text`: no file linked,
or the file checked and not there); a file not checked or not reached yet is not accused."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from minhbach.events.catalogue import CheckResult, ProbeOutcome
from reporting.domain.facts import PostedDocument, Probe
from reporting.domain.schedule import InspectionRound

# What falls short, in the order the notice lists it.
UNREACHABLE = "unreachable"
SECTION_MISSING = "section_missing"
SECTION_STALE = "section_stale"
CHECK_FAILED = "check_failed"
POSTED_LATE = "posted_late"
NO_FULL_TEXT = "no_full_text"
NOT_DIRECTIVE = "not_directive"
PROBLEM_ORDER = (
    UNREACHABLE,
    SECTION_MISSING,
    SECTION_STALE,
    CHECK_FAILED,
    POSTED_LATE,
    NO_FULL_TEXT,
    NOT_DIRECTIVE,
)
_CHECK_PROBLEMS = {"section_present": SECTION_MISSING, "section_fresh": SECTION_STALE}
# The document lines that stand for a check's items (the same finding, with its evidence).
_ITEMS_LISTED_AS = {"directive_section_clean": (NO_FULL_TEXT, NOT_DIRECTIVE)}


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str
    detail: str  # portal-monitor's Vietnamese detail, or the document's title
    evidence_url: str | None
    seen_at: datetime
    section: str | None = None


@dataclass(frozen=True, slots=True)
class PortalFindings:
    unit_code: str
    portal_url: str
    inspected_at: datetime | None  # None: not inspected in the round
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class InspectionNotice:
    round: InspectionRound
    drafted_at: datetime
    trigger: str
    findings: tuple[PortalFindings, ...]  # every monitored portal, in plan order
    not_inspected: tuple[str, ...]

    @property
    def short_of(self) -> tuple[PortalFindings, ...]:
        return tuple(f for f in self.findings if f.problems)


@dataclass(frozen=True, slots=True)
class FindingKind:
    """One kind of problem and the portals it was found on (plan order of the findings)."""

    kind: str
    units: tuple[str, ...]


def finding_kinds(found: Iterable[PortalFindings]) -> tuple[FindingKind, ...]:
    """The findings by kind, in the order the notice lists kinds, each portal once per kind."""
    by_kind: dict[str, list[str]] = {}
    for portal in found:
        for problem in portal.problems:
            units = by_kind.setdefault(problem.kind, [])
            if portal.unit_code not in units:
                units.append(portal.unit_code)
    return tuple(FindingKind(k, tuple(by_kind[k])) for k in PROBLEM_ORDER if k in by_kind)


def portal_findings(
    probes: Iterable[Probe], documents: Iterable[PostedDocument]
) -> list[PortalFindings]:
    """Each probed portal's problems: failed checks of its newest probe (but those its
    documents' lines already list), then its documents."""
    listed: dict[str, list[Problem]] = {}
    for doc in documents:
        listed.setdefault(doc.portal_unit_code, []).extend(_document_problems(doc))
    by_portal: dict[str, list[Problem]] = {}
    urls: dict[str, str] = {}
    inspected: dict[str, datetime] = {}
    for probe in probes:
        urls[probe.portal_unit_code] = probe.portal_url
        inspected[probe.portal_unit_code] = probe.finished_at
        by_portal[probe.portal_unit_code] = _probe_problems(
            probe, listed.get(probe.portal_unit_code, [])
        )
    for unit, problems in listed.items():
        by_portal.setdefault(unit, []).extend(problems)
    rank = {kind: i for i, kind in enumerate(PROBLEM_ORDER)}
    return [
        PortalFindings(
            unit_code=unit,
            portal_url=urls.get(unit, ""),
            inspected_at=inspected.get(unit),
            problems=tuple(sorted(problems, key=lambda p: (rank[p.kind], p.seen_at))),
        )
        for unit, problems in by_portal.items()
    ]


def _probe_problems(probe: Probe, listed: Collection[Problem]) -> list[Problem]:
    """The probe's failed checks, but those whose items `listed` names each (see above)."""
    if probe.outcome is ProbeOutcome.UNREACHABLE:
        detail = next((c.detail for c in probe.checks if not c.passed), "")
        return [Problem(UNREACHABLE, detail, probe.portal_url, probe.finished_at)]
    return [
        Problem(
            _CHECK_PROBLEMS.get(check.check, CHECK_FAILED),
            check.detail,
            check.evidence_url,
            probe.finished_at,
            check.section,
        )
        for check in probe.checks
        if not check.passed and not listed_by_documents(check, listed)
    ]


def listed_by_documents(check: CheckResult, listed: Collection[Problem]) -> bool:
    """Every title the check faults is a document line of the kinds standing for it, in its
    section (a check without items, or of another kind, is never left out)."""
    kinds = _ITEMS_LISTED_AS.get(check.check, ())
    if not kinds or not check.items:
        return False
    titles = {p.detail for p in listed if p.kind in kinds and p.section == check.section}
    return set(check.items) <= titles


def _document_problems(doc: PostedDocument) -> list[Problem]:
    problems = []
    if doc.posted_on_time is False:
        problems.append(Problem(POSTED_LATE, doc.title, doc.url, doc.first_seen_at, doc.section))
    if doc.kind == "directive" and doc.no_full_text:
        problems.append(Problem(NO_FULL_TEXT, doc.title, doc.url, doc.first_seen_at, doc.section))
    if doc.not_directive:
        problems.append(Problem(NOT_DIRECTIVE, doc.title, doc.url, doc.first_seen_at, doc.section))
    return problems


def inspection_notice(
    round_: InspectionRound,
    portals: Sequence[str],
    probes: Iterable[Probe],
    documents: Iterable[PostedDocument],
    drafted_at: datetime,
    trigger: str,
) -> InspectionNotice:
    """The round's notice: every monitored portal (plan order), problems found in the round."""
    in_round = [d for d in documents if round_.starts <= d.first_seen_at < round_.ends]
    found = {f.unit_code: f for f in portal_findings(probes, in_round)}
    findings = tuple(found.get(unit, PortalFindings(unit, "", None, ())) for unit in portals)
    return InspectionNotice(
        round=round_,
        drafted_at=drafted_at,
        trigger=trigger,
        findings=findings,
        not_inspected=tuple(f.unit_code for f in findings if f.inspected_at is None),
    )
