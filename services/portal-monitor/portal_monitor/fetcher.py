"""Polite, bounded HTTP fetching of portal pages (httpx, HTTP/1.1).

- Address policy (`addresses.py`): every address actually contacted is checked before each hop.
- Per host: one request at a time and a minimum delay between requests (raised by Crawl-delay).
- Per response: bounded wall time (a server that trickles bytes is cut off), bounded wire bytes
  and bounded decompressed bytes (a gzip bomb is stopped), redirects followed by hand: loops and
  hops off the portal's hosts are refused.
- Conditional requests with stored ETag / Last-Modified.
"""

from __future__ import annotations

import asyncio
import codecs
import re
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from portal_monitor import metrics
from portal_monitor.addresses import AddressPolicy, BlockedAddress
from portal_monitor.domain.state import Validators

Problem = str  # one of messages.FETCH_PROBLEMS' keys


@dataclass(frozen=True)
class FetchLimits:
    timeout_seconds: float = 20.0
    max_bytes: int = 2 * 1024 * 1024
    max_decoded_bytes: int = 8 * 1024 * 1024
    max_redirects: int = 5
    min_delay_seconds: float = 1.0
    user_agent: str = "MinhBach-PortalMonitor/0.1"


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    problem: Problem | None = None
    validators: Validators = field(default_factory=Validators)
    bytes_received: int = 0
    elapsed_ms: float = 0.0
    declared_size: int | None = None  # the whole resource (Content-Range total, else length)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.problem is None and self.status is not None and 200 <= self.status < 300

    @property
    def transient(self) -> bool:
        """Worth retrying: the portal did not answer, or answered with a server error."""
        if self.problem in ("network", "timeout"):
            return True
        return self.problem is None and self.status is not None and self.status >= 500

    def text(self) -> tuple[str, bool]:
        """The body as text and whether it decoded cleanly as its charset: the one the
        Content-Type header declares, else the page's own `<meta charset>` (legacy portals
        declare windows-1258 only there), else UTF-8."""
        charset = "utf-8"
        if "charset=" in self.content_type:
            charset = self.content_type.split("charset=", 1)[1].split(";")[0].strip() or charset
        elif (declared := meta_charset(self.body)) is not None:
            charset = declared
        try:
            return self.body.decode(charset), True
        except (UnicodeDecodeError, LookupError):
            return self.body.decode("utf-8", errors="replace"), False


# The HTML prescan (WHATWG "prescan a byte stream"), simplified: a charset in the first
# <meta> tags: <meta charset="windows-1258"> or <meta http-equiv=... content="...; charset=...">.
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]{1,40})", re.IGNORECASE
)
_PRESCAN_BYTES = 4096


def meta_charset(body: bytes) -> str | None:
    """The charset a page declares in its first 4 KiB, if Python knows it."""
    match = _META_CHARSET.search(body[:_PRESCAN_BYTES])
    if match is None:
        return None
    name = match.group(1).decode("ascii", errors="replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


class HostGate:
    """One request at a time per host, and at least `delay` seconds between two requests."""

    def __init__(self, min_delay: float) -> None:
        self.min_delay = min_delay
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_end: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        if seconds is not None:
            self._delays[host] = seconds

    def delay_for(self, host: str) -> float:
        return max(self.min_delay, self._delays.get(host, 0.0))

    async def acquire(self, host: str) -> asyncio.Lock:
        lock = self._locks.setdefault(host, asyncio.Lock())
        await lock.acquire()
        wait = self._last_end.get(host, 0.0) + self.delay_for(host) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        return lock

    def release(self, host: str, lock: asyncio.Lock) -> None:
        self._last_end[host] = time.monotonic()
        lock.release()


class _TooLarge(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class Fetcher:
    def __init__(
        self, client: httpx.AsyncClient, limits: FetchLimits, policy: AddressPolicy
    ) -> None:
        self.client = client
        self.limits = limits
        self.policy = policy
        self.gate = HostGate(limits.min_delay_seconds)

    async def fetch(
        self,
        url: str,
        allowed_hosts: Iterable[str],
        validators: Validators | None = None,
        method: str = "GET",
        prefix_bytes: int | None = None,
    ) -> FetchResult:
        """Fetch a logical URL; never raises for what a server does. With `prefix_bytes`, only
        the first bytes are asked for (Range) and read, however large the resource."""
        allowed = {h.lower() for h in allowed_hosts}
        started = time.perf_counter()
        result = await self._follow(url, allowed, validators, method, started, prefix_bytes)
        metrics.REQUESTS.labels(_result_label(result)).inc()
        metrics.BYTES.inc(result.bytes_received)
        if result.not_modified:
            metrics.NOT_MODIFIED.inc()
        return result

    async def _follow(
        self,
        url: str,
        allowed: set[str],
        validators: Validators | None,
        method: str,
        started: float,
        prefix_bytes: int | None = None,
    ) -> FetchResult:
        current, seen, received = url, {url}, 0
        deadline = time.monotonic() + self.limits.timeout_seconds
        first_hop = True

        def done(**fields: Any) -> FetchResult:
            elapsed = (time.perf_counter() - started) * 1000
            return FetchResult(
                url=url, final_url=current, bytes_received=received, elapsed_ms=elapsed, **fields
            )

        for _hop in range(self.limits.max_redirects + 1):
            host = (urlsplit(current).hostname or "").lower()
            if host not in allowed:
                return done(problem="off_portal_redirect")
            physical = self.policy.physical(current)
            try:
                await self.policy.check(physical)
            except BlockedAddress:
                return done(problem="blocked_address")
            lock = await self.gate.acquire(host)
            if first_hop:  # latency counts from the request, not from waiting for our turn
                started, first_hop = time.perf_counter(), False
            try:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return done(problem="timeout")
                async with asyncio.timeout(remaining):
                    response = await self.client.send(
                        self._request(
                            method,
                            physical,
                            validators if current == url else None,
                            prefix_bytes,
                        ),
                        stream=True,
                    )
                    try:
                        location = response.headers.get("location")
                        if response.is_redirect and location:
                            nxt = self.policy.logical(urljoin(current, location.strip()))
                            if nxt in seen:
                                return done(status=response.status_code, problem="redirect_loop")
                            seen.add(nxt)
                            current = nxt
                            continue
                        body, received, problem = await self._read(response, prefix_bytes)
                        return done(
                            declared_size=_declared_size(response.headers),
                            status=response.status_code,
                            body=body,
                            problem=problem,
                            content_type=response.headers.get("content-type", ""),
                            validators=Validators(
                                etag=response.headers.get("etag"),
                                last_modified=response.headers.get("last-modified"),
                            ),
                        )
                    finally:
                        await response.aclose()
            except TimeoutError:
                return done(problem="timeout")
            except httpx.HTTPError:
                return done(problem="network")
            finally:
                self.gate.release(host, lock)
        return done(problem="too_many_redirects")

    def _request(
        self,
        method: str,
        url: str,
        validators: Validators | None,
        prefix_bytes: int | None = None,
    ) -> httpx.Request:
        headers = {
            "User-Agent": self.limits.user_agent,
            "Accept-Encoding": "gzip, deflate",  # only what we can bound while decoding
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "vi,en;q=0.5",
        }
        if prefix_bytes is not None:
            headers["Range"] = f"bytes=0-{prefix_bytes - 1}"
        if validators is not None:
            if validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
        return self.client.build_request(method, url, headers=headers)

    async def _read(
        self, response: httpx.Response, prefix_bytes: int | None = None
    ) -> tuple[bytes, int, Problem | None]:
        """The decoded body, wire bytes read, and why reading stopped early (if it did). With
        `prefix_bytes`, reading stops there without a problem (a server may ignore Range)."""
        limits = self.limits
        declared = response.headers.get("content-length", "")
        if prefix_bytes is None and declared.isdigit() and int(declared) > limits.max_bytes:
            return b"", 0, "too_large"
        decoder = _decoder(response.headers.get("content-encoding", ""))
        parts: list[bytes] = []
        decoded = received = 0
        try:
            async for chunk in response.aiter_raw():
                received += len(chunk)
                if received > limits.max_bytes:
                    raise _TooLarge("too_large")
                piece = decoder.feed(chunk, limits.max_decoded_bytes - decoded + 1)
                decoded += len(piece)
                if decoded > limits.max_decoded_bytes:
                    raise _TooLarge("decompression_bomb" if decoder.compressed else "too_large")
                parts.append(piece)
                if prefix_bytes is not None and decoded >= prefix_bytes:
                    return b"".join(parts)[:prefix_bytes], received, None
        except _TooLarge as stop:
            return b"", received, stop.problem
        except zlib.error:
            return b"", received, "malformed"
        return b"".join(parts), received, None


class _Decoder:
    """Incremental gzip/deflate decoding that never produces more than asked for."""

    def __init__(self, encoding: str) -> None:
        self.compressed = encoding in ("gzip", "x-gzip", "deflate")
        wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(wbits) if self.compressed else None

    def feed(self, chunk: bytes, budget: int) -> bytes:
        if self._zlib is None:
            return chunk
        out = self._zlib.decompress(chunk, max(budget, 1))
        # Anything left unconsumed would exceed the budget: report one byte more than allowed.
        return out + (b"\0" if self._zlib.unconsumed_tail else b"")


def _decoder(content_encoding: str) -> _Decoder:
    return _Decoder(content_encoding.strip().lower())


def _declared_size(headers: httpx.Headers) -> int | None:
    """`Content-Range: bytes 0-65535/1234567` -> 1234567; else Content-Length."""
    total = headers.get("content-range", "").rpartition("/")[2].strip()
    if total.isdigit():
        return int(total)
    length = headers.get("content-length", "")
    return int(length) if length.isdigit() else None


def _result_label(result: FetchResult) -> str:
    if result.problem:
        return result.problem
    if result.status is None:
        return "network"
    if result.status == 304:
        return "not_modified"
    return "ok" if result.status < 400 else "http_error"


def make_client(limits: FetchLimits, connections: int = 100) -> httpx.AsyncClient:
    """One HTTP/1.1 client per process; redirects are followed by `Fetcher` itself."""
    return httpx.AsyncClient(
        http1=True,
        http2=False,
        follow_redirects=False,
        timeout=httpx.Timeout(limits.timeout_seconds),
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        trust_env=False,  # no proxy or netrc from the environment: addresses are policy-checked
    )
