"""A small HTTP/1.1 server (plain asyncio) that plays many portals, one port each on loopback.

Hand-written rather than a framework so that it can misbehave on purpose (trickle bytes, lie about
lengths, serve a gzip bomb) and serve a thousand ports from one process for the benchmark."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import re
from collections.abc import Awaitable, Callable
from email.utils import formatdate
from urllib.parse import parse_qs, urlsplit

from minhbach_dev.portal_simulator import content
from minhbach_dev.portal_simulator.content import SimSection
from minhbach_dev.portal_simulator.hostile import HOSTILE_PREFIX, hostile
from minhbach_dev.portal_simulator.portal import Response, SimPortal

MAX_HEAD = 64 * 1024


_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    404: "Not Found",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class PortalSimulator:
    """Serve `portals` on 127.0.0.1; `elapsed()` (simulator seconds) makes items appear."""

    def __init__(
        self,
        portals: list[SimPortal],
        host: str = "127.0.0.1",
        elapsed: Callable[[], float] | None = None,
    ) -> None:
        self.portals = portals
        self.host = host
        self._servers: list[asyncio.Server] = []
        self._start = 0.0
        self._elapsed = elapsed
        self._cache: dict[tuple[str, str, str, bool], Response] = {}

    def elapsed(self) -> float:
        if self._elapsed is not None:
            return self._elapsed()
        return asyncio.get_running_loop().time() - self._start

    async def start(self) -> PortalSimulator:
        self._start = asyncio.get_running_loop().time()
        for portal in self.portals:
            server = await asyncio.start_server(
                self._handler(portal), self.host, portal.port, limit=MAX_HEAD, backlog=512
            )
            portal.port = server.sockets[0].getsockname()[1]
            self._servers.append(server)
        return self

    def _handler(
        self, portal: SimPortal
    ) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await self._serve(portal, reader, writer)

        return handle

    async def stop(self) -> None:
        for server in self._servers:
            server.close()
        for server in self._servers:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await server.wait_closed()
        self._servers.clear()

    def origin(self, code: str) -> str:
        return f"http://{self.host}:{self.portal(code).port}"

    def portal(self, code: str) -> SimPortal:
        return next(p for p in self.portals if p.code == code)

    def changed(self) -> None:
        """Forget rendered pages after a test edits a portal."""
        self._cache.clear()

    # --- connection handling -------------------------------------------------------------------

    async def _serve(
        self, portal: SimPortal, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, *header_lines = head.decode("latin-1").split("\r\n")
                method, target, _version = [*line.split(" "), "", ""][:3]
                headers = {}
                for header in header_lines:
                    if ":" in header:
                        key, value = header.split(":", 1)
                        headers[key.strip().lower()] = value.strip()
                portal.requests.append((method, target, headers))
                if portal.mode == "down":
                    return
                if portal.mode == "slow":
                    await asyncio.sleep(portal.slow_seconds)
                response = self._respond(portal, method, target, headers)
                if response.special is not None:
                    await response.special(writer)  # type: ignore[misc]
                    return
                await self._write(writer, response, method == "HEAD")
                if headers.get("connection", "").lower() == "close":
                    return
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            return
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    @staticmethod
    async def _write(writer: asyncio.StreamWriter, response: Response, head_only: bool) -> None:
        headers = {
            "Content-Length": str(len(response.body)),
            "Server": "sim-egov/1.0",
            "Date": formatdate(usegmt=True),
            **response.headers,
        }
        lines = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'X')}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if not head_only and response.status != 304:
            writer.write(response.body)
        await writer.drain()

    # --- routing -------------------------------------------------------------------------------

    def _respond(
        self, portal: SimPortal, method: str, target: str, headers: dict[str, str]
    ) -> Response:
        if portal.mode == "broken":
            return Response(
                500, "Lỗi máy chủ".encode(), {"Content-Type": "text/plain; charset=utf-8"}
            )
        parts = urlsplit(target)
        path = parts.path or "/"
        if path.startswith(HOSTILE_PREFIX):
            return hostile(portal, path, self.host)
        query = parse_qs(parts.query)
        page = int((query.get("page") or ["1"])[0] or 1)
        detail = _detail(portal, path, query, self.elapsed())
        if detail is not None:
            return detail
        gz = "gzip" in headers.get("accept-encoding", "")
        response = self._render(portal, path, page, gz)
        etag = response.headers.get("ETag")
        if etag and headers.get("if-none-match") == etag:
            return Response(304, headers={"ETag": etag})
        return response

    def _render(self, portal: SimPortal, path: str, page: int, gz: bool) -> Response:
        now = self.elapsed()
        visible_key = str(sum(1 for s in portal.sections for i in s.items if i.appears_at <= now))
        missing_key = ",".join(s.code for s in portal.sections if _missing(s, now))
        key = (portal.code, f"{path}?{page}", visible_key + "|" + missing_key, gz)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        response = self._build(portal, path, page, now)
        if response.status == 200:
            response = _finish(response, gz)
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[key] = response
        return response

    def _build(self, portal: SimPortal, path: str, page: int, now: float) -> Response:
        html_type = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            return Response(200, portal.robots.encode(), {"Content-Type": "text/plain"})
        if path == "/":
            sections = [s for s in portal.sections if not _missing(s, now)]
            body = content.home_page(portal.name, sections, portal.legal_links)
            return Response(200, body.encode(), html_type)
        if path.startswith("/files/"):
            return _file(portal, path)
        section = portal.section_at(path)
        if section is None or _missing(section, now):
            return Response(404, "Không tìm thấy trang".encode(), html_type)
        if section.soft_404:
            return Response(200, content.SOFT_404_PAGE.encode(), html_type)
        if section.links_to is not None:
            return Response(
                200, content.delegated_page(portal.name, section.links_to).encode(), html_type
            )
        items = sorted(
            (i for i in section.items if i.appears_at <= now),
            key=lambda i: (i.issued_on, i.id),
            reverse=True,
        )
        if section.source == "feed" and section.style == "wp":
            return Response(
                200,
                content.rss_with_enclosures(portal.name, items).encode(),
                {"Content-Type": "application/rss+xml; charset=UTF-8"},
            )
        if section.style in ("dnn", "aspx"):
            size = content.PAGE_SIZE
            pages = max(1, -(-len(items) // size))
            body = content.other_listing_page(
                portal.name, section, items[(page - 1) * size : page * size], page, pages
            )
            if section.style == "aspx":  # windows-1258, declared only in <meta>
                return Response(200, content.encode_cp1258(body), {"Content-Type": "text/html"})
            return Response(200, body.encode(), html_type)
        if section.source == "feed":
            return Response(
                200,
                content.rss(portal.name, items).encode(),
                {"Content-Type": "application/rss+xml; charset=utf-8"},
            )
        if section.source == "sitemap":
            return Response(
                200,
                content.sitemap(section, items).encode(),
                {"Content-Type": "application/xml; charset=utf-8"},
            )
        start = (page - 1) * content.PAGE_SIZE
        shown = items[start : start + content.PAGE_SIZE]
        links = portal.legal_links if section.code == "legal_documents" else ()
        body = content.listing_page(
            portal.name, section, shown, page, len(items) > start + content.PAGE_SIZE, links
        )
        return Response(200, body.encode(), html_type)


_WP_POST = re.compile(r"^/(\d+)/[^/]*/?$")


def _detail(
    portal: SimPortal, path: str, query: dict[str, list[str]], now: float
) -> Response | None:
    """A document's own page in the layouts that keep metadata there (see `content`)."""
    item_id: str | None = None
    if path == "/Default.aspx":
        item_id = next(iter(query.get("ItemID", [])), None)
    elif path == "/VanBan/ChiTiet.aspx":
        item_id = next(iter(query.get("id", [])), None)
    elif (match := _WP_POST.match(path)) is not None:
        item_id = match.group(1)
    if item_id is None or not item_id.isdigit():
        return None
    for section in portal.sections:
        if section.style not in content.OTHER_STYLES:
            continue
        for item in section.items:
            if item.id == int(item_id) and item.appears_at <= now:
                body = content.detail_page(portal.name, section.style, item)
                if section.style == "aspx":
                    return Response(200, content.encode_cp1258(body), {"Content-Type": "text/html"})
                return Response(200, body.encode(), {"Content-Type": "text/html; charset=utf-8"})
    return Response(404, "Không tìm thấy trang".encode(), {"Content-Type": "text/html"})


def _missing(section: SimSection, now: float) -> bool:
    return section.missing_after is not None and now >= section.missing_after


def _finish(response: Response, gz: bool) -> Response:
    """Add validators (ETag, Last-Modified) and compress when the client accepts gzip."""
    etag = '"' + hashlib.sha1(response.body).hexdigest()[:16] + '"'
    headers = {**response.headers, "ETag": etag, "Last-Modified": formatdate(0, usegmt=True)}
    body = response.body
    if gz and len(body) > 512:
        body = gzip.compress(body, compresslevel=5, mtime=0)
        headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
    return Response(response.status, body, headers)


def _file(portal: SimPortal, path: str) -> Response:
    """An item's attachment: a small PDF of its own (404 when the item's file is missing)."""
    item_id = path.removeprefix("/files/").removesuffix(".pdf")
    item = next((i for s in portal.sections for i in s.items if str(i.id) == item_id), None)
    if item is not None and item.attachment_missing:
        return Response(404, "Không tìm thấy tệp".encode(), {"Content-Type": "text/html"})
    body = f"%PDF-1.4 simulated {portal.code} {item_id}\n".encode()
    return Response(200, body, {"Content-Type": "application/pdf"})
