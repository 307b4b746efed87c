"""Pure domain logic: normalisation, dates, numbers, robots.txt, extraction, checks, promptness."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta

import pytest

from minhbach.calendar import WorkingCalendar
from minhbach.events.catalogue import ProbeOutcome
from minhbach.plan import ListingSelectors, default_plan_path, load_plan
from portal_monitor.domain.checks import (
    DirectiveItem,
    PortalObservation,
    SectionObservation,
    evaluate,
    latency_check,
    outcome_of,
)
from portal_monitor.domain.classify import Classifier
from portal_monitor.domain.documents import changed_fields, deduplicate, directive_flag, draft_of
from portal_monitor.domain.extract import ListedItem, parse_feed, parse_listing, parse_sitemap
from portal_monitor.domain.promptness import (
    SourceDocument,
    copy_due,
    copy_finding,
    copy_judged,
    publication_due,
    window_for_kind,
)
from portal_monitor.domain.robots import parse_robots, policy_for_status
from portal_monitor.domain.text import normalize_text, parse_date, parse_document_number
from portal_monitor.domain.urls import canonical_url

PLAN = load_plan(default_plan_path())
assert PLAN.portal_monitoring is not None
MONITORING = PLAN.portal_monitoring
CLASSIFIER = Classifier.from_monitoring(MONITORING)
DIRECTIVE_TYPES = MONITORING.directive_types


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Quy&#7871;t &#273;&#7883;nh", "Quyết định"),
        (unicodedata.normalize("NFD", "Thủ tục hành chính"), "Thủ tục hành chính"),
        ("  Kế\u00a0hoạch\n\t số  57 ", "Kế hoạch số 57"),
        ("V&amp;v &lt;b&gt;", "V&v <b>"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected
    assert unicodedata.is_normalized("NFC", normalize_text(raw))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/10/2024", date(2024, 10, 3)),
        ("3/10/2024", date(2024, 10, 3)),
        ("03-10-2024", date(2024, 10, 3)),
        ("03.10.2024", date(2024, 10, 3)),
        ("ngày 03 tháng 10 năm 2024", date(2024, 10, 3)),
        ("Lục Nam, Ngày 3 tháng 10 năm 2024", date(2024, 10, 3)),
        (unicodedata.normalize("NFD", "ngày 03 tháng 10 năm 2024"), date(2024, 10, 3)),
        ("2024-10-03", date(2024, 10, 3)),
        ("2024-10-03T08:30:00+07:00", date(2024, 10, 3)),
        ("Thu, 03 Oct 2024 08:00:00 +0700", date(2024, 10, 3)),
        ("31/02/2024", None),
        ("không có ngày", None),
        ("", None),
        (None, None),
        ("Kế hoạch 57/KH-UBND ngày 11/3/2024, sửa đổi ngày 20/5/2024", date(2024, 3, 11)),
    ],
)
def test_parse_date(text: str | None, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số: 57/KH-UBND", "57/KH-UBND"),
        ("15/2023/QĐ-UBND", "15/2023/QĐ-UBND"),
        ("Nghị định 42/2022/NĐ-CP", "42/2022/NĐ-CP"),
        ("số 123 / UBND - VP", "123/UBND-VP"),
        ("897/NQ-UBTVQH14", "897/NQ-UBTVQH14"),
        (unicodedata.normalize("NFD", "15/2023/QĐ-UBND"), "15/2023/QĐ-UBND"),
        ("ngày 03/10/2024", None),
        ("tỷ lệ 1/500", None),
        ("không số", None),
    ],
)
def test_parse_document_number(text: str, expected: str | None) -> None:
    assert parse_document_number(text) == expected


ROBOTS = """
User-agent: *
Disallow: /admin/
Crawl-delay: 2

User-agent: minhbach-portalmonitor
User-agent: otherbot
Disallow: /chuyen-muc/
Allow: /chuyen-muc/hoi-dap
Disallow: /*.pdf$
Crawl-delay: 5
"""


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://h/", True),
        ("http://h/admin/x", True),  # our group replaces the * group
        ("http://h/chuyen-muc/quy-hoach", False),
        ("http://h/chuyen-muc/hoi-dap", True),  # longest match wins
        ("http://h/files/a.pdf", False),
        ("http://h/files/a.pdf?x=1", True),  # $ anchors the end
        ("http://h/robots.txt", True),
    ],
)
def test_robots_rules_for_our_agent(url: str, allowed: bool) -> None:
    policy = parse_robots(ROBOTS, "MinhBach-PortalMonitor/0.1 (+mailto:a@b.c)")
    assert policy.allows(url) is allowed
    assert policy.crawl_delay == 5


def test_robots_star_group_and_status_policies() -> None:
    policy = parse_robots(ROBOTS, "SomeoneElse/1.0")
    assert not policy.allows("http://h/admin/x") and policy.crawl_delay == 2
    assert policy_for_status(404, "", "x").allows("http://h/anything")
    assert not policy_for_status(503, "", "x").allows("http://h/")
    assert not policy_for_status(None, "", "x").allows("http://h/")
    tie = parse_robots("User-agent: *\nDisallow: /a\nAllow: /a\n", "x")
    assert tie.allows("http://h/a")


SELECTORS = ListingSelectors(
    item="article.item",
    link="h3 a",
    document_number=".so",
    issued_on=".ngay",
    summary=".trich-yeu",
    attachment="a.tep",
    next_page="a.next",
)

LISTING = """<html><body>
<article class="item"><h3><a href="/van-ban/1?utm_source=x">Kế hoạch sử dụng đất</a></h3>
 <span class="so">Số: 57/KH-UBND</span><span class="ngay">11/03/2024</span>
 <p class="trich-yeu">Về kế hoạch &amp; quy hoạch</p>
 <a class="tep" href="/files/1.pdf">Tải</a></article>
<article class="item"><h3><a href="https://other.example/2">Chỉ thị 01/CT-UBND</a></h3></article>
<article class="item"><h3>no link</h3></article>
<a class="next" href="?page=2">Sau</a><a href="https://vbpl.vn/bacgiang">Pháp luật</a>
</body></html>"""


def test_parse_listing_reads_items_with_the_plan_selectors() -> None:
    page = parse_listing(LISTING, "http://portal.test/chuyen-muc/x", SELECTORS)
    first, second = page.items
    assert first.url == "http://portal.test/van-ban/1?utm_source=x"
    assert (first.document_number, first.issued_on) == ("57/KH-UBND", date(2024, 3, 11))
    assert first.summary == "Về kế hoạch & quy hoạch"
    assert first.attachment_url == "http://portal.test/files/1.pdf"
    assert second.document_number == "01/CT-UBND" and second.attachment_url is None
    assert page.next_page_url == "http://portal.test/chuyen-muc/x?page=2"
    assert "https://vbpl.vn/bacgiang" in page.links


def test_parse_rss_atom_and_sitemap() -> None:
    rss = b"""<?xml version="1.0" encoding="utf-8"?><rss><channel><item>
      <title>H\xe1\xbb\x8fi \xc4\x91\xc3\xa1p v\xe1\xbb\x81 thu\xe1\xba\xbf</title>
      <link>/hoi-dap/1</link><pubDate>Thu, 03 Oct 2024 08:00:00 +0700</pubDate>
      <enclosure url="/f/1.pdf"/></item></channel></rss>"""
    (item,) = parse_feed(rss, "http://p.test/rss/hoi-dap.xml").items
    assert (item.title, item.url, item.listed_on) == (
        "Hỏi đáp về thuế",
        "http://p.test/hoi-dap/1",
        date(2024, 10, 3),
    )
    assert item.attachment_url == "http://p.test/f/1.pdf"
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title>
      <link href="http://p.test/a"/><updated>2024-10-03T00:00:00Z</updated></entry></feed>"""
    assert parse_feed(atom, "http://p.test/").items[0].url == "http://p.test/a"
    sitemap = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>http://p.test/cong-khai/ngan-sach-2024</loc><lastmod>2024-10-01</lastmod></url>
      <url><loc>http://p.test/tin-tuc/x</loc></url></urlset>"""
    (entry,) = parse_sitemap(sitemap, "http://p.test/sitemap.xml", "/cong-khai/").items
    assert entry.title == "ngan sach 2024" and entry.listed_on == date(2024, 10, 1)
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><rss>&a;</rss>'
    assert parse_feed(bomb, "http://p.test/").malformed
    assert parse_feed(b"not xml", "http://p.test/").malformed


def test_drafts_are_deduplicated_by_canonical_url_and_changes_named() -> None:
    page = parse_listing(LISTING, "http://Portal.test:80/chuyen-muc/x", SELECTORS)
    drafts = [draft_of(item, "planning", CLASSIFIER) for item in page.items * 2]
    unique = deduplicate(drafts)
    assert len(unique) == 2
    assert unique[0].canonical_url == "http://portal.test/van-ban/1"
    assert unique[0].kind == "planning" and unique[0].matched_rule == "planning-zoning"
    assert unique[0].fingerprint == "57/kh-ubnd|2024-03-11"
    stored = unique[0].tracked()
    renamed = draft_of(
        ListedItem(
            url=unique[0].url,
            title="Kế hoạch mới",
            document_number="57/KH-UBND",
            issued_on=date(2024, 3, 11),
            summary="Về kế hoạch & quy hoạch",
            attachment_url=unique[0].attachment_url,
        ),
        "planning",
        CLASSIFIER,
    )
    assert changed_fields(stored, renamed) == ("title",)


def test_non_directive_in_directive_section_is_flagged() -> None:
    news = draft_of(
        ListedItem(url="http://p/1", title="Giải bóng đá thanh niên"), "directives", CLASSIFIER
    )
    flag = directive_flag(news, "directives", DIRECTIVE_TYPES)
    assert flag is not None and flag.contaminated and flag.no_full_text
    directive = draft_of(
        ListedItem(url="http://p/2", title="Chỉ thị 01/CT-UBND", attachment_url="http://p/2.pdf"),
        "directives",
        CLASSIFIER,
    )
    flag = directive_flag(directive, "directives", DIRECTIVE_TYPES)
    assert flag is not None and not flag.contaminated and not flag.no_full_text
    assert directive_flag(directive, "directives", DIRECTIVE_TYPES) is not None
    assert directive_flag(news, None, DIRECTIVE_TYPES) is None


def _observation(**changes: object) -> PortalObservation:
    today = date(2024, 10, 10)
    base: dict[str, object] = dict(
        portal_url="http://p.test",
        home_status=200,
        home_problem=None,
        latency_ms=120.0,
        tls_days_left=None,
        home_links=frozenset({"https://vbpl.vn/", "https://vbpl.vn/bacgiang/van-ban"}),
        sections=(
            SectionObservation(
                "legal_documents",
                "Văn bản QPPL",
                "present",
                "http://p.test/l",
                item_count=3,
                newest_on=date(2024, 10, 1),
            ),
            SectionObservation(
                "qa",
                "Hỏi đáp",
                "present",
                "http://p.test/q",
                item_count=1,
                newest_on=date(2024, 1, 2),
            ),
            SectionObservation(
                "directives",
                "Văn bản chỉ đạo",
                "present",
                "http://p.test/d",
                item_count=2,
                newest_on=date(2024, 10, 9),
            ),
            SectionObservation(
                "planning", "Quy hoạch", "missing", "http://p.test/x", http_status=404
            ),
            SectionObservation(
                "disclosure", "Công khai", "unreachable", "http://p.test/c", problem="timeout"
            ),
        ),
        required_sections=("legal_documents", "qa", "directives", "planning", "disclosure"),
        directive_items=(
            DirectiveItem("Chỉ thị", False, "yes"),
            DirectiveItem("Giải bóng đá", True, "no"),
        ),
        today=today,
    )
    base.update(changes)
    return PortalObservation(**base)  # type: ignore[arg-type]


def _by_name(observation: PortalObservation) -> dict[tuple[str, str | None], bool]:
    return {
        (c.check, c.section): c.passed
        for c in evaluate(observation, MONITORING, PLAN.reference_links)
    }


def test_checks_keep_missing_apart_from_unreachable() -> None:
    results = _by_name(_observation())
    assert results[("portal_available", None)] and results[("portal_latency", None)]
    assert results[("section_present", "legal_documents")]
    assert results[("section_fresh", "legal_documents")]
    assert not results[("section_fresh", "qa")] and not results[("qa_active", "qa")]
    assert not results[("section_present", "planning")]  # answered 404: missing
    assert not results[("section_reachable", "disclosure")]  # timed out: unreachable ...
    assert ("section_present", "disclosure") not in results  # ... not counted as missing
    assert results[("legal_links", "legal_documents")]
    assert not results[("directive_section_clean", "directives")]
    assert outcome_of(_observation()) == ProbeOutcome.PARTIAL


def test_missing_legal_link_and_unreachable_portal() -> None:
    results = _by_name(_observation(home_links=frozenset({"https://vbpl.vn/"})))
    assert not results[("legal_links", "legal_documents")]
    sections = tuple(
        SectionObservation(s, s, "unreachable", "http://p.test/" + s, problem="network")
        for s in ("qa", "planning")
    )
    down = _observation(home_status=None, home_problem="network", sections=sections)
    assert outcome_of(down) == ProbeOutcome.UNREACHABLE
    assert not _by_name(down)[("portal_available", None)]


def test_promptness_window_and_commune_copies() -> None:
    calendar = WorkingCalendar()
    assert window_for_kind(PLAN, "planning") == PLAN.publication_window_working_days
    # Thursday 03/10/2024 + 5 working days = Thursday 10/10/2024; due at 00:00 on 11/10 (+07).
    due = publication_due(calendar, date(2024, 10, 3), 5)
    assert due == datetime(2024, 10, 10, 17, 0, tzinfo=UTC)
    (duty,) = PLAN.copy_duties
    assert {"planning", "investment_incentive"} <= set(duty.kinds)
    doc = SourceDocument("Kế hoạch", due, date(2024, 10, 3), "ubnd-huyen")
    before = datetime(2024, 10, 9, tzinfo=UTC)
    after = datetime(2024, 10, 12, tzinfo=UTC)
    assert copy_finding(doc, before, after).status == "on_time"
    assert copy_finding(doc, after, after).status == "late"
    assert copy_finding(doc, None, after).status == "missing"
    assert copy_finding(doc, None, before).status == "not_due"
    # The seed's duty has no window of its own: the copy is due when the source document is.
    assert copy_due(calendar, doc, duty.within_working_days) == due
    # A duty with its own window: 2 working days after Thursday 03/10 = end of Monday 07/10.
    assert copy_due(calendar, doc, 2) == datetime(2024, 10, 7, 17, 0, tzinfo=UTC)
    early = datetime(2024, 10, 8, tzinfo=UTC)
    assert copy_finding(doc, early, after, copy_due(calendar, doc, 2)).status == "late"


def test_canonical_url() -> None:
    assert (
        canonical_url("HTTP://A.test:80/x?b=2&a=1&utm_source=z#frag") == "http://a.test/x?a=1&b=2"
    )
    assert canonical_url("https://a.test:8443") == "https://a.test:8443/"


def test_a_copy_is_judged_only_when_its_window_ends_after_monitoring_began() -> None:
    """Issue 19: a copy due before this portal was first swept cannot be known late or missing
    (it may have been posted in time long ago); a window still open when monitoring began is
    judged."""
    since = datetime(2024, 10, 10, 2, 0, tzinfo=UTC)
    assert not copy_judged(since - timedelta(days=30), since)
    assert not copy_judged(since, since)
    assert copy_judged(since + timedelta(minutes=1), since)
    assert copy_judged(since - timedelta(days=30), None)


def _observed(latency: float | None, samples: tuple[float, ...]) -> PortalObservation:
    return PortalObservation(
        portal_url="https://xa.example.invalid",
        home_status=200,
        home_problem=None,
        latency_ms=latency,
        tls_days_left=None,
        home_links=frozenset(),
        sections=(),
        required_sections=(),
        latency_samples=samples,
    )


def test_latency_is_judged_on_the_median_of_the_windows_samples_never_one_response() -> None:
    """Issue 19: one slow home-page response (3,505 ms against 3,000) is no finding; a slow
    median over at least three responses is, and the finding says it is a median of how many."""
    assert latency_check(_observed(3505.0, ()), 3000) is None
    assert latency_check(_observed(3505.0, (3600.0,)), 3000) is None
    one_slow = latency_check(_observed(3505.0, (800.0, 900.0, 1000.0)), 3000)
    assert one_slow is not None and one_slow.passed
    assert "950 ms (trung vị của 4 lần đo trong 7 ngày gần nhất; giới hạn 3000 ms)" in (
        one_slow.detail
    )
    slow = latency_check(_observed(3505.0, (3400.0, 900.0)), 3000)
    assert slow is not None and not slow.passed
    assert "3400 ms (trung vị của 3 lần đo" in slow.detail
    fast = latency_check(_observed(120.0, ()), 3000)
    assert fast is not None and fast.passed  # a pass accuses nobody
    assert latency_check(_observed(None, ()), 3000) is None
