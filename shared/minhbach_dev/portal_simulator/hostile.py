"""The hostile endpoints under /hostile/ that the fetcher's tests aim at: endless and lying bodies,
a gzip bomb, redirect loops, a trickle, invalid UTF-8 and decomposed (NFD) titles."""

from __future__ import annotations

import asyncio
import contextlib
import struct
import unicodedata
import zlib
from datetime import date

from minhbach_dev.portal_simulator import content
from minhbach_dev.portal_simulator.content import SimItem, SimSection
from minhbach_dev.portal_simulator.portal import Response, SimPortal

HOSTILE_PREFIX = "/hostile/"

_BOMB: bytes | None = None
BOMB_DECODED_BYTES = 256 * 1024 * 1024


def gzip_bomb() -> bytes:
    """256 MiB of zeros compressed to about 250 KB (built once, in milliseconds).

    Compressing 256 MiB took seconds on a loaded machine, inside the simulator's event loop, so
    the first request for the bomb timed out instead of being refused as a bomb. After a full
    flush deflate's output no longer depends on what came before, so the compressed form of one
    MiB of zeros is computed once and repeated; the gzip trailer (CRC-32, length) is computed."""
    global _BOMB
    if _BOMB is None:
        chunk = b"\0" * (1024 * 1024)
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
        repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
        last_block = compressor.flush()[:-8]  # the final empty block, without the trailer
        count = BOMB_DECODED_BYTES // len(chunk)
        crc = 0
        for _ in range(count):
            crc = zlib.crc32(chunk, crc)
        trailer = struct.pack("<II", crc, BOMB_DECODED_BYTES & 0xFFFFFFFF)
        _BOMB = first + repeated * (count - 1) + last_block + trailer
    return _BOMB


def hostile(portal: SimPortal, path: str, host: str) -> Response:
    name = path.removeprefix(HOSTILE_PREFIX)
    html_type = {"Content-Type": "text/html; charset=utf-8"}
    if name == "huge":
        return Response(200, special=_stream_huge)
    if name == "huge-declared":
        return Response(200, special=_declared_huge)
    if name == "gzip-bomb":
        return Response(200, gzip_bomb(), {**html_type, "Content-Encoding": "gzip"})
    if name == "redirect-loop":
        return Response(302, headers={"Location": "/hostile/redirect-loop-b"})
    if name == "redirect-loop-b":
        return Response(302, headers={"Location": "/hostile/redirect-loop"})
    if name.startswith("endless-redirect"):
        n = int(name.rsplit("/", 1)[-1]) if "/" in name else 0
        return Response(302, headers={"Location": f"/hostile/endless-redirect/{n + 1}"})
    if name == "off-portal":
        return Response(302, headers={"Location": f"http://127.0.0.2:{portal.port}/"})
    if name == "trickle":
        return Response(200, special=_trickle)
    if name == "invalid-utf8":
        body = content.listing_page(portal.name, _hostile_section(), _nfd_items(False), 1, False)
        return Response(200, body.encode().replace(b"<main>", b"<main>\xff\xfe"), html_type)
    if name == "nfd":
        body = content.listing_page(portal.name, _hostile_section(), _nfd_items(True), 1, False)
        return Response(200, body.encode(), html_type)
    return Response(404, b"", html_type)


def _hostile_section() -> SimSection:
    return SimSection("hostile", "/hostile/nfd", "listing", "vb")


def _nfd_items(nfd: bool) -> list[SimItem]:

    titles = [
        "Kế hoạch số 77/KH-UBND ngày 03/10/2024 về chuyển đổi số",
        "Quyết định số 9/2024/QĐ-UBND quy định quản lý chợ",
    ]
    items = []
    for n, title in enumerate(titles, 1):
        text = unicodedata.normalize("NFD", title) if nfd else title
        items.append(SimItem(9000 + n, text, None, date(2024, 10, 3), text, "UBND"))
    return items


async def _stream_huge(writer: asyncio.StreamWriter) -> None:
    """10 MB of HTML with no Content-Length: only the client's byte limit stops it."""
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        b"Connection: close\r\n\r\n<html><body>"
    )
    chunk = b"<p>" + "Văn bản ".encode() * 1000 + b"</p>"
    sent = 0
    with contextlib.suppress(ConnectionError):
        while sent < 10 * 1024 * 1024:
            writer.write(chunk)
            sent += len(chunk)
            await writer.drain()


async def _declared_huge(writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10485760\r\n\r\n")
    with contextlib.suppress(ConnectionError):
        await writer.drain()
        await asyncio.sleep(5)


async def _trickle(writer: asyncio.StreamWriter) -> None:
    """One byte every half second, forever (as long as the client listens)."""
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        b"Content-Length: 50000\r\n\r\n"
    )
    with contextlib.suppress(ConnectionError):
        for _ in range(1_000_000):
            writer.write(b"<")
            await writer.drain()
            await asyncio.sleep(0.5)
