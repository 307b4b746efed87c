"""Items of a section, read from a listing page (CSS selectors from the plan), an RSS/Atom feed or
a sitemap. Pure: bytes or text in, items out. XML is parsed with defusedxml (no entity bombs)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urljoin
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from selectolax.lexbor import LexborHTMLParser, LexborNode

from minhbach.plan import DetailPage, ListingSelectors
from portal_monitor.domain.text import (
    normalize_text,
    own_document_number,
    own_issue_date,
    parse_date,
    parse_document_number,
)


@dataclass(frozen=True)
class ListedItem:
    """One entry of a section as the portal lists it (metadata still raw-ish; see `documents`)."""

    url: str
    title: str
    document_number: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    summary: str | None = None
    attachment_url: str | None = None
    # The portal's posting date (feed pubDate, sitemap lastmod, a listing's or detail page's
    # "Ngày đăng"): when it was posted, never the date of issue.
    listed_on: date | None = None
    detail_pending: bool = False  # its detail page is due but not read yet: no file is unknown


@dataclass(frozen=True)
class ParsedPage:
    items: tuple[ListedItem, ...] = ()
    next_page_url: str | None = None
    links: frozenset[str] = frozenset()  # every link target on the page, absolute
    malformed: bool = False


def parse_listing(html: str, page_url: str, selectors: ListingSelectors) -> ParsedPage:
    tree = LexborHTMLParser(html)
    items = tuple(
        item
        for node in tree.css(selectors.item)
        if (item := _listing_item(node, page_url, selectors)) is not None
    )
    next_url = None
    if selectors.next_page:
        next_node = tree.css_first(selectors.next_page)
        href = next_node.attributes.get("href") if next_node is not None else None
        next_url = urljoin(page_url, href) if href else None
    return ParsedPage(items=items, next_page_url=next_url, links=_links(tree, page_url))


def page_links(html: str, page_url: str) -> frozenset[str]:
    return _links(LexborHTMLParser(html), page_url)


def _links(tree: LexborHTMLParser, page_url: str) -> frozenset[str]:
    hrefs = (node.attributes.get("href") for node in tree.css("a[href]"))
    return frozenset(urljoin(page_url, href.strip()) for href in hrefs if href)


def _listing_item(
    node: LexborNode, page_url: str, selectors: ListingSelectors
) -> ListedItem | None:
    link = node.css_first(selectors.link)
    href = link.attributes.get("href") if link is not None else None
    if link is None or not href:
        return None
    title = _text_of(node, selectors.title) if selectors.title else _text(link)
    if not title:
        return None
    summary = _text_of(node, selectors.summary)
    number_text = _text_of(node, selectors.document_number)
    date_text = _text_of(node, selectors.issued_on)
    attachment = node.css_first(selectors.attachment) if selectors.attachment else None
    attachment_href = attachment.attributes.get("href") if attachment is not None else None
    return ListedItem(
        url=urljoin(page_url, href.strip()),
        title=title,
        document_number=parse_document_number(number_text) or own_document_number(title),
        issued_on=parse_date(date_text) or _date_in_title(title, summary),
        issuer=_text_of(node, selectors.issuer),
        summary=summary,
        attachment_url=urljoin(page_url, attachment_href.strip()) if attachment_href else None,
        listed_on=parse_date(_text_of(node, selectors.posted_on)),
    )


@dataclass(frozen=True)
class DetailFields:
    """What a document's own page says of it."""

    document_number: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    posted_on: date | None = None
    attachment_url: str | None = None


def parse_detail(html: str, page_url: str, detail: DetailPage) -> DetailFields:
    """The label/value rows of a document's page ("Số ký hiệu | 15/KH-UBND"), else "Label:
    value" anywhere in its text; the file from the plan's selector."""
    tree = LexborHTMLParser(html)
    values: dict[str, str] = {}
    for row in tree.css(detail.rows):
        cells = [_text(c) for c in row.css("th, td")]
        if len(cells) >= 2 and cells[0]:
            values.setdefault(_label_key(cells[0]), cells[1])
    body = tree.body
    text = normalize_text(body.text(separator="\n")) if body is not None else ""

    def field(labels: tuple[str, ...]) -> str | None:
        for label in labels:
            key = _label_key(label)
            if key in values:
                return values[key]
            found = re.search(rf"{re.escape(label)}\s*:?\s*(.{{1,80}})", text, re.IGNORECASE)
            if found is not None:
                return found.group(1)
        return None

    link = tree.css_first(detail.attachment) if detail.attachment else None
    href = link.attributes.get("href") if link is not None else None
    return DetailFields(
        document_number=parse_document_number(field(detail.document_number)),
        issued_on=parse_date(field(detail.issued_on)),
        issuer=field(detail.issuer),
        posted_on=parse_date(field(detail.posted_on)),
        attachment_url=urljoin(page_url, href.strip()) if href else None,
    )


def _label_key(label: str) -> str:
    return normalize_text(label).casefold().rstrip(" :")


def with_detail(item: ListedItem, found: DetailFields) -> ListedItem:
    """The listed item completed by its page: the listing's own values win where it has them."""
    return replace(
        item,
        document_number=item.document_number or found.document_number,
        issued_on=item.issued_on or found.issued_on,
        issuer=item.issuer or found.issuer,
        attachment_url=item.attachment_url or found.attachment_url,
        listed_on=item.listed_on or found.posted_on,
        detail_pending=False,
    )


def _date_in_title(title: str, summary: str | None) -> date | None:
    """The date of issue a title or summary states for the document itself ("Kế hoạch số
    57/KH-UBND ngày 11/3/2024 ..."), not a date it cites or an event's date."""
    return own_issue_date(title) or own_issue_date(summary)


def _text(node: LexborNode) -> str:
    return normalize_text(node.text(separator=" ", strip=True))


def _text_of(node: LexborNode, selector: str | None) -> str | None:
    if not selector:
        return None
    found = node.css_first(selector)
    text = _text(found) if found is not None else ""
    return text or None


# --- feeds and sitemaps -------------------------------------------------------------------------


def _xml_root(data: bytes) -> Element | None:
    try:
        root: Element = SafeElementTree.fromstring(data)
    except (SafeElementTree.ParseError, DefusedXmlException, ValueError):
        return None
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> Iterable[Element]:
    return (child for child in element if _local(child.tag) == name)


def _child_text(element: Element, *names: str) -> str | None:
    for name in names:
        for child in _children(element, name):
            text = "".join(child.itertext())
            if text.strip():
                return normalize_text(text)
    return None


def parse_feed(data: bytes, page_url: str) -> ParsedPage:
    """RSS 2.0 items or Atom entries."""
    root = _xml_root(data)
    if root is None:
        return ParsedPage(malformed=True)
    entries = [e for e in root.iter() if _local(e.tag) in ("item", "entry")]
    items = tuple(item for e in entries if (item := _feed_item(e, page_url)) is not None)
    return ParsedPage(items=items)


def _feed_item(entry: Element, page_url: str) -> ListedItem | None:
    title = _child_text(entry, "title")
    link = _child_text(entry, "link")
    for atom_link in _children(entry, "link"):
        if atom_link.get("href") and atom_link.get("rel", "alternate") == "alternate":
            link = atom_link.get("href")
    if not title or not link:
        return None
    summary = _child_text(entry, "description", "summary")
    enclosure = next((e.get("url") for e in _children(entry, "enclosure") if e.get("url")), None)
    listed = _child_text(entry, "pubDate", "published", "updated", "date")
    return ListedItem(
        url=urljoin(page_url, link.strip()),
        title=title,
        document_number=own_document_number(title),
        issued_on=_date_in_title(title, summary),
        summary=summary,
        attachment_url=urljoin(page_url, enclosure) if enclosure else None,
        listed_on=parse_date(listed),
    )


def parse_sitemap(data: bytes, page_url: str, url_prefix: str | None) -> ParsedPage:
    """`<url><loc>` entries under `url_prefix`; the title is Google News' `<news:title>` when
    given, else the last path segment in words."""
    root = _xml_root(data)
    if root is None:
        return ParsedPage(malformed=True)
    prefix = urljoin(page_url, url_prefix) if url_prefix else None
    items: list[ListedItem] = []
    for entry in (e for e in root.iter() if _local(e.tag) == "url"):
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        url = urljoin(page_url, loc)
        if prefix is not None and not url.startswith(prefix):
            continue
        title = _news_title(entry) or _title_from_path(url)
        items.append(
            ListedItem(
                url=url,
                title=title,
                document_number=own_document_number(title),
                issued_on=own_issue_date(title),
                listed_on=parse_date(_child_text(entry, "lastmod")),
            )
        )
    return ParsedPage(items=tuple(items))


def _news_title(entry: Element) -> str | None:
    for news in _children(entry, "news"):
        title = _child_text(news, "title")
        if title:
            return title
    return None


def _title_from_path(url: str) -> str:
    segment = url.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return normalize_text(segment.replace("-", " ").replace("_", " ")) or url
