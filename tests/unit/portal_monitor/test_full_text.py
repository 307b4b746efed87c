"""Task 4.1's "no full text" is an accusation a unit is judged by: it holds only when established
(no file linked, or the file checked and missing or not a file). A file not checked yet or not
reached is unknown: not accused, not counted as full text, counted in the check's detail."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from minhbach.events.catalogue import CheckResult
from minhbach.plan import default_plan_path, load_plan
from portal_monitor import messages
from portal_monitor.domain.attachments import (
    AttachmentCheck,
    FullText,
    full_text_of,
    judge_attachment,
    unchecked,
)
from portal_monitor.domain.checks import (
    DirectiveItem,
    PortalObservation,
    SectionObservation,
    evaluate,
    refreshed,
)
from portal_monitor.domain.classify import Classifier
from portal_monitor.domain.documents import DocumentDraft, directive_flag, draft_of
from portal_monitor.domain.extract import ListedItem
from portal_monitor.store.probes import _item_json, _stored_item

PLAN = load_plan(default_plan_path())
assert PLAN.portal_monitoring is not None
MONITORING = PLAN.portal_monitoring
CLASSIFIER = Classifier.from_monitoring(MONITORING)
SECTION = "directives"
NOW = datetime(2024, 10, 10, 2, tzinfo=UTC)
FILE = "http://p.test/files/1.pdf"
TITLE = "Chỉ thị số 08/CT-UBND ngày 09/10/2024 về tăng cường kỷ luật hành chính"


def _judged(status: int | None, problem: str | None, kind: str, body: bytes) -> AttachmentCheck:
    return judge_attachment(FILE, NOW, status, problem, kind, body, None)


# (case, the file linked, its check: None = never checked) -> what is established
CASES: list[tuple[str, str | None, AttachmentCheck | None, FullText]] = [
    ("ok", FILE, _judged(206, None, "application/pdf", b"%PDF-1.7"), "yes"),
    ("missing", FILE, _judged(404, None, "text/html", b"<h1>404</h1>"), "no"),
    ("gone", FILE, _judged(410, None, "text/html", b""), "no"),
    ("not_a_file", FILE, _judged(200, None, "text/html; charset=utf-8", b"<html>"), "no"),
    ("empty", FILE, _judged(200, None, "application/pdf", b""), "no"),
    ("unreachable 5xx", FILE, _judged(503, None, "text/html", b""), "unknown"),
    ("unreachable timeout", FILE, _judged(None, "timeout", "", b""), "unknown"),
    ("too many requests", FILE, _judged(429, None, "text/html", b"slow down"), "unknown"),
    ("request timeout", FILE, _judged(408, None, "text/html", b""), "unknown"),
    ("unchecked", FILE, unchecked(FILE), "unknown"),
    ("never checked", FILE, None, "unknown"),
    ("no link", None, None, "no"),
]
IDS = [case[0] for case in CASES]


def _draft(attachment_url: str | None, title: str = TITLE) -> DocumentDraft:
    item = ListedItem(url="http://p.test/vb/1", title=title, attachment_url=attachment_url)
    return draft_of(item, SECTION, CLASSIFIER)


def _item(attachment_url: str | None, check: AttachmentCheck | None) -> DirectiveItem:
    draft = _draft(attachment_url)
    full_text = full_text_of(attachment_url, check)
    flag = directive_flag(draft, SECTION, MONITORING.directive_types, full_text)
    assert flag is not None
    return DirectiveItem(TITLE, flag.not_directive, flag.full_text, attachment_url)


def _directive_check(*items: DirectiveItem) -> CheckResult:
    section = SectionObservation(
        SECTION, "Văn bản chỉ đạo", "present", "http://p.test/d", item_count=len(items)
    )
    observation = PortalObservation(
        portal_url="http://p.test",
        home_status=200,
        home_problem=None,
        latency_ms=100.0,
        tls_days_left=None,
        home_links=frozenset(),
        sections=(section,),
        required_sections=(SECTION,),
        directive_items=items,
        today=date(2024, 10, 10),
    )
    checks = evaluate(observation, MONITORING, PLAN.reference_links)
    (check,) = [c for c in checks if c.check == "directive_section_clean"]
    return check


@pytest.mark.parametrize(("case", "url", "check", "expected"), CASES, ids=IDS)
def test_full_text_is_established_only_by_no_link_or_a_file_checked_and_not_there(
    case: str, url: str | None, check: AttachmentCheck | None, expected: FullText
) -> None:
    assert full_text_of(url, check) == expected
    item = _item(url, check)
    assert not item.not_directive  # a directive: only its file is in question
    assert item.no_full_text is (expected == "no")
    assert item.full_text_unknown is (expected == "unknown")


@pytest.mark.parametrize(("case", "url", "check", "expected"), CASES, ids=IDS)
def test_the_directive_check_accuses_only_what_is_established(
    case: str, url: str | None, check: AttachmentCheck | None, expected: FullText
) -> None:
    result = _directive_check(_item(url, check))
    assert result.passed is (expected != "no")
    assert ("không có toàn văn" in result.detail) is (expected == "no")
    assert result.items == ((TITLE,) if expected == "no" else ())
    pending = "1 văn bản chưa kiểm tra được tệp toàn văn, sẽ kiểm tra lại"
    assert (pending in result.detail) is (expected == "unknown")
    if expected == "yes":
        assert result.detail == messages.directive_section([], [])


def test_a_first_sweep_with_files_not_yet_checked_passes_and_says_how_many() -> None:
    checked = _item(FILE, _judged(206, None, "application/pdf", b"%PDF"))
    later = [_item(f"http://p.test/files/{n}.pdf", None) for n in range(2, 5)]
    result = _directive_check(checked, *later)
    assert result.passed and result.items == ()
    assert result.detail == (
        "Chuyên mục chỉ đạo điều hành chỉ có văn bản chỉ đạo, điều hành; "
        "3 văn bản chưa kiểm tra được tệp toàn văn, sẽ kiểm tra lại."
    )


def test_the_check_names_every_title_it_faults_and_counts_the_unknown_apart() -> None:
    news = DirectiveItem("Giải bóng đá thanh niên", True, "unknown", "http://p.test/f/9.pdf")
    bare = [DirectiveItem(f"Chỉ thị {n}/CT-UBND", False, "no") for n in range(1, 6)]
    unknown = DirectiveItem("Công văn 7/UBND-VP", False, "unknown", FILE)
    result = _directive_check(news, *bare, unknown)
    assert not result.passed
    assert result.items == ("Giải bóng đá thanh niên", *(i.title for i in bare))
    assert result.detail == (
        "1 mục không phải văn bản chỉ đạo, điều hành: “Giải bóng đá thanh niên”; "
        "5 văn bản không có toàn văn: “Chỉ thị 1/CT-UBND”, “Chỉ thị 2/CT-UBND”, "
        "“Chỉ thị 3/CT-UBND” và 2 mục khác; "
        "1 văn bản chưa kiểm tra được tệp toàn văn, sẽ kiểm tra lại."
    )  # the item not a directive is faulted for that alone: its file is not counted


@pytest.mark.parametrize(("case", "url", "check", "expected"), CASES, ids=IDS)
def test_a_stored_item_follows_its_files_later_check(
    case: str, url: str | None, check: AttachmentCheck | None, expected: FullText
) -> None:
    """A section answered 304 reuses its stored items: a file checked since decides them."""
    stored = _item(url, None)  # stored when its file was not checked yet
    files = {} if check is None else {FILE: check}
    (now,) = refreshed([stored], files)
    assert (now.no_full_text, now.full_text_unknown) == (expected == "no", expected == "unknown")


def test_stored_items_round_trip_and_old_rows_accuse_nothing() -> None:
    for item in (
        DirectiveItem(TITLE, False, "no"),  # no file linked: established
        DirectiveItem(TITLE, False, "unknown", FILE),
        DirectiveItem(TITLE, True, "yes", FILE),
    ):
        assert _stored_item(_item_json(item)) == item
    # Stored before unknown was told apart: "no full text" may have been a file not checked.
    old = _stored_item({"title": TITLE, "not_directive": False, "no_full_text": True})
    assert not old.no_full_text and old.full_text_unknown
    assert refreshed([old], {}) == [old]  # no file URL kept: stays unknown until re-read
    assert _directive_check(old).passed
