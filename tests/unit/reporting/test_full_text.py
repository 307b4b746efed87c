"""The inspection notice accuses a portal of "no full text" only when portal-monitor established
it, and lists each finding once: a document's own line (address, date seen) stands for the
failed check that names it, and a check naming anything the notice does not list stays."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from minhbach.calendar import TZ
from minhbach.events.catalogue import (
    AttachmentEvidence,
    CheckResult,
    DocumentKind,
    PortalDocument,
    ProbeOutcome,
)
from reporting.domain.facts import PostedDocument, Probe
from reporting.domain.inspection import (
    CHECK_FAILED,
    NO_FULL_TEXT,
    NOT_DIRECTIVE,
    POSTED_LATE,
    SECTION_STALE,
    Problem,
    inspection_notice,
    listed_by_documents,
)
from reporting.domain.schedule import ROUND_COMPLETE, inspection_round

SEEN = datetime(2024, 10, 1, 9, tzinfo=TZ)
ROUND = inspection_round("week", SEEN)
UNIT = "bao-dai"
FILE = f"https://{UNIT}.example/files/1.pdf"
DIRECTIVE = "Chỉ thị số 08/CT-UBND về tăng cường kỷ luật hành chính"

# (case, the posting's file, the event's evidence status (None: no evidence), accused)
STATUSES: list[tuple[str, str | None, str | None, bool]] = [
    ("ok", FILE, "ok", False),
    ("missing", FILE, "missing", True),
    ("not_a_file", FILE, "not_a_file", True),
    ("unreachable", FILE, "unreachable", False),
    ("unchecked", FILE, "unchecked", False),
    ("linked, no evidence", FILE, None, False),
    ("no link", None, None, True),
]
IDS = [case[0] for case in STATUSES]


def _event(url: str | None, status: str | None, **changes: object) -> PortalDocument:
    evidence = None
    if status is not None and url is not None:
        evidence = AttachmentEvidence(url=url, status=status)  # type: ignore[arg-type]
    values: dict[str, object] = {
        "document_id": uuid.uuid4(),
        "portal_unit_code": UNIT,
        "url": f"https://{UNIT}.example/van-ban/1",
        "title": DIRECTIVE,
        "section": "directives",
        "kind": DocumentKind.DIRECTIVE,
        "first_seen_at": SEEN,
        "full_text_available": status == "ok",
        "attachment_url": url,
        "attachment": evidence,
        "in_directive_section_not_directive": False,
        **changes,
    }
    return PortalDocument(**values)  # type: ignore[arg-type]


def _posted(event: PortalDocument, title: str | None = None, **changes: object) -> PostedDocument:
    """What reporting keeps of the event (`domain.projections.document_row`, `documents_seen`)."""
    values: dict[str, object] = {
        "document_id": event.document_id,
        "portal_unit_code": event.portal_unit_code,
        "url": event.url,
        "title": title or event.title,
        "section": event.section,
        "kind": str(event.kind),
        "issued_on": None,
        "first_seen_at": event.first_seen_at,
        "full_text_available": event.full_text_available,
        "posted_on_time": True,
        "not_directive": event.in_directive_section_not_directive,
        "event_id": uuid.uuid4(),
        "no_full_text": event.full_text_absent,
        **changes,
    }
    return PostedDocument(**values)  # type: ignore[arg-type]


def _probe(*checks: CheckResult) -> Probe:
    return Probe(UNIT, f"https://{UNIT}.example", SEEN, ProbeOutcome.OK, checks, uuid.uuid4())


def _problems(probe: Probe, *documents: PostedDocument) -> list[tuple[str, str]]:
    notice = inspection_notice(ROUND, [UNIT], [probe], documents, SEEN, ROUND_COMPLETE)
    return [(p.kind, p.detail) for p in notice.findings[0].problems]


def _directive_check(*items: str, detail: str = "Chưa đạt") -> CheckResult:
    return CheckResult(
        check="directive_section_clean",
        passed=False,
        section="directives",
        detail=detail,
        evidence_url=f"https://{UNIT}.example/chi-dao",
        items=items,
    )


@pytest.mark.parametrize(("case", "url", "status", "accused"), STATUSES, ids=IDS)
def test_no_full_text_is_stored_only_when_established(
    case: str, url: str | None, status: str | None, accused: bool
) -> None:
    assert _event(url, status).full_text_absent is accused


@pytest.mark.parametrize(("case", "url", "status", "accused"), STATUSES, ids=IDS)
def test_the_notice_accuses_only_an_established_absence(
    case: str, url: str | None, status: str | None, accused: bool
) -> None:
    problems = _problems(_probe(), _posted(_event(url, status)))
    assert problems == ([(NO_FULL_TEXT, DIRECTIVE)] if accused else [])


def test_an_event_from_before_attachments_were_checked_is_not_accused() -> None:
    """Old producers: full text meant a linked file, and no attachment URL was sent."""
    assert not _event(None, None, full_text_available=True).full_text_absent


def test_a_missing_file_is_listed_once_with_its_address_not_again_as_a_failed_check() -> None:
    missing = _posted(_event(FILE, "missing"))
    check = _directive_check(DIRECTIVE, detail=f"1 văn bản không có toàn văn: “{DIRECTIVE}”.")
    notice = inspection_notice(ROUND, [UNIT], [_probe(check)], [missing], SEEN, ROUND_COMPLETE)
    (problem,) = notice.findings[0].problems
    assert (problem.kind, problem.detail) == (NO_FULL_TEXT, DIRECTIVE)
    assert (problem.evidence_url, problem.seen_at) == (missing.url, SEEN)


def test_a_check_also_naming_an_older_document_stays_beside_the_document_lines() -> None:
    older = "Công văn số 12/UBND-VP (đăng từ đợt trước)"
    foreign = _posted(_event(FILE, "ok"), "Giải bóng đá thanh niên", not_directive=True)
    check = _directive_check(DIRECTIVE, "Giải bóng đá thanh niên", older)
    problems = _problems(_probe(check), _posted(_event(FILE, "missing")), foreign)
    assert problems == [
        (CHECK_FAILED, "Chưa đạt"),  # it alone names the older document
        (NO_FULL_TEXT, DIRECTIVE),
        (NOT_DIRECTIVE, "Giải bóng đá thanh niên"),
    ]


@pytest.mark.parametrize(
    ("case", "check", "listed", "left_out"),
    [
        ("every item listed", _directive_check(DIRECTIVE), [(NO_FULL_TEXT, DIRECTIVE)], True),
        ("listed as not a directive", _directive_check("A"), [(NOT_DIRECTIVE, "A")], True),
        (
            "one item not listed",
            _directive_check(DIRECTIVE, "B"),
            [(NO_FULL_TEXT, DIRECTIVE)],
            False,
        ),
        ("listed only as late", _directive_check(DIRECTIVE), [(POSTED_LATE, DIRECTIVE)], False),
        ("no items (older event)", _directive_check(), [(NO_FULL_TEXT, DIRECTIVE)], False),
        (
            "another check",
            CheckResult(check="section_fresh", passed=False, section="directives", items=("X",)),
            [(NO_FULL_TEXT, "X")],
            False,
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_check_is_left_out_only_when_its_items_are_each_a_document_line(
    case: str, check: CheckResult, listed: list[tuple[str, str]], left_out: bool
) -> None:
    lines = [Problem(kind, title, None, SEEN, "directives") for kind, title in listed]
    assert listed_by_documents(check, lines) is left_out
    elsewhere = [Problem(kind, title, None, SEEN, "planning") for kind, title in listed]
    assert not listed_by_documents(check, elsewhere)  # another section's lines


def test_a_check_left_out_never_takes_other_findings_with_it() -> None:
    stale = CheckResult(check="section_fresh", passed=False, section="directives", detail="Cũ")
    check = _directive_check(DIRECTIVE)
    problems = _problems(_probe(stale, check), _posted(_event(FILE, "not_a_file")))
    assert problems == [(SECTION_STALE, "Cũ"), (NO_FULL_TEXT, DIRECTIVE)]
