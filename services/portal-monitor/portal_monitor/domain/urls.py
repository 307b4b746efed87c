"""URLs as identities: one canonical form per document, and hosts that belong to a portal."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that never change what a page is.
_TRACKING = ("utm_", "fbclid", "gclid", "zarsrc")


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, default port dropped, fragment and tracking removed, query
    sorted: the same document linked two ways gets one identity."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(scheme)
    netloc = host if parts.port in (None, default) else f"{host}:{parts.port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    )
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def resolve(base: str, path: str) -> str:
    """A plan path (`/chuyen-muc/...`) or full URL, against the portal's address. A portal that
    is a path on a shared host (a commune's component portal on the province's host,
    `https://tinh.gov.vn/xa-a`) keeps its path: its sections are under it."""
    if path.startswith(("http://", "https://")):
        return path
    prefix = urlsplit(base).path.rstrip("/")
    return origin(base) + prefix + path
