"""Is a posting's full text really there? Judged from one bounded fetch of its attachment.

"Toàn văn" (task 4.1, indicator 8) holds only when the file answers with content that is not a
web page: a 404, an error page served as 200 HTML or an empty body is no full text. The
evidence kept: HTTP status, content type, size, and a SHA-256 of the bytes read (the first
`ATTACHMENT_PREFIX_BYTES` of the file, enough to tell one file from another).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

AttachmentStatus = Literal["ok", "missing", "not_a_file", "unreachable", "unchecked"]
ATTACHMENT_PREFIX_BYTES = 64 * 1024
# A file found missing or unreachable is looked at again after this long (it may be uploaded).
RECHECK_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class AttachmentCheck:
    url: str
    status: AttachmentStatus
    checked_at: datetime | None = None
    http_status: int | None = None
    content_type: str | None = None
    size_bytes: int | None = None
    sha256: str | None = None

    @property
    def full_text(self) -> bool:
        return self.status == "ok"

    def due_again(self, now: datetime) -> bool:
        """Checked once; only a file that was not there is looked at again, a day later."""
        if self.checked_at is None:
            return True
        return self.status != "ok" and now - self.checked_at >= RECHECK_AFTER


def unchecked(url: str) -> AttachmentCheck:
    return AttachmentCheck(url, "unchecked")


def judge_attachment(
    url: str,
    now: datetime,
    http_status: int | None,
    problem: str | None,
    content_type: str,
    body: bytes,
    declared_size: int | None,
) -> AttachmentCheck:
    """The check's conclusion from what one (ranged) GET returned."""
    kind = content_type.split(";")[0].strip().lower() or None
    if problem is not None and problem not in ("too_large",):
        return AttachmentCheck(url, "unreachable", now, http_status, kind)
    if http_status is None or http_status >= 500:
        return AttachmentCheck(url, "unreachable", now, http_status, kind)
    if http_status >= 400:
        return AttachmentCheck(url, "missing", now, http_status, kind)
    size = declared_size if declared_size is not None else len(body)
    digest = hashlib.sha256(body[:ATTACHMENT_PREFIX_BYTES]).hexdigest() if body else None
    if not body or kind in ("text/html", "application/xhtml+xml"):
        return AttachmentCheck(url, "not_a_file", now, http_status, kind, size, digest)
    return AttachmentCheck(url, "ok", now, http_status, kind, size, digest)
