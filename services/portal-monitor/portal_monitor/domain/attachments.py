"""Is a posting's full text really there? Judged from one bounded fetch of its attachment.

"Toàn văn" (task 4.1, indicator 8) holds only when the file answers with content that is not a
web page: a 404, an error page served as 200 HTML or an empty body is no full text. The
evidence kept: HTTP status, content type, size, and a SHA-256 of the bytes read (the first
`ATTACHMENT_PREFIX_BYTES` of the file, enough to tell one file from another).

Whether a posting has its full text is one of three answers (`FullText`): "yes" only for a file
checked `ok`; "no" (an accusation a unit is judged by) only when it is established: the posting
links no file at all, or its file was checked and is `missing` (404/410) or `not_a_file`;
"unknown" for a file not checked yet (`unchecked`) or not reached (`unreachable`: timeouts,
5xx, connection errors, looked at again a day later). Unknown is neither accused nor counted as
full text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from minhbach.events.catalogue import ABSENT_ATTACHMENT_STATUSES, AttachmentStatus

FullText = Literal["yes", "no", "unknown"]
ATTACHMENT_PREFIX_BYTES = 64 * 1024
# 4xx answers that say "not now" (request timeout, too many requests), not "not there".
TRANSIENT_STATUSES = (408, 429)
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


def full_text_of(attachment_url: str | None, check: AttachmentCheck | None) -> FullText:
    """A posting's full text from its link and its file's check (None: never checked)."""
    if attachment_url is None:
        return "no"  # no file linked: established
    if check is None:
        return "unknown"
    if check.status == "ok":
        return "yes"
    return "no" if check.status in ABSENT_ATTACHMENT_STATUSES else "unknown"


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
    if http_status is None or http_status >= 500 or http_status in TRANSIENT_STATUSES:
        return AttachmentCheck(url, "unreachable", now, http_status, kind)
    if http_status >= 400:
        return AttachmentCheck(url, "missing", now, http_status, kind)
    size = declared_size if declared_size is not None else len(body)
    digest = hashlib.sha256(body[:ATTACHMENT_PREFIX_BYTES]).hexdigest() if body else None
    if not body or kind in ("text/html", "application/xhtml+xml"):
        return AttachmentCheck(url, "not_a_file", now, http_status, kind, size, digest)
    return AttachmentCheck(url, "ok", now, http_status, kind, size, digest)
