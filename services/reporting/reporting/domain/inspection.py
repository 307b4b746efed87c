"""The notice after a portal inspection round (task 6.4): which units' portals fall short, on
what, with the evidence (address, date seen). Findings come from portal-monitor's checks and its
conclusions about the documents it found; nothing is re-judged here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from minhbach.events.catalogue import ProbeOutcome
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


def portal_findings(
    probes: Iterable[Probe], documents: Iterable[PostedDocument]
) -> list[PortalFindings]:
    """Each probed portal's problems: failed checks of its newest probe, then its documents."""
    by_portal: dict[str, list[Problem]] = {}
    urls: dict[str, str] = {}
    inspected: dict[str, datetime] = {}
    for probe in probes:
        urls[probe.portal_unit_code] = probe.portal_url
        inspected[probe.portal_unit_code] = probe.finished_at
        by_portal[probe.portal_unit_code] = _probe_problems(probe)
    for doc in documents:
        by_portal.setdefault(doc.portal_unit_code, []).extend(_document_problems(doc))
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


def _probe_problems(probe: Probe) -> list[Problem]:
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
        if not check.passed
    ]


def _document_problems(doc: PostedDocument) -> list[Problem]:
    problems = []
    if doc.posted_on_time is False:
        problems.append(Problem(POSTED_LATE, doc.title, doc.url, doc.first_seen_at, doc.section))
    if doc.kind == "directive" and not doc.full_text_available:
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
