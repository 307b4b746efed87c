"""Reporting's one call to portal-monitor: a person's correction of a document's kind, sent to
the service that owns the kind (`POST /documents/{id}/kind`, issue 19). Services do not import
each other: this is plain HTTP to `MINHBACH_PORTAL_MONITOR_URL`."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

import httpx

from minhbach.observability.logging import get_logger

log = get_logger(__name__)


class Sent(StrEnum):
    ACCEPTED = "accepted"
    UNKNOWN_DOCUMENT = "unknown_document"  # portal-monitor does not know it (404)
    REFUSED = "refused"  # portal-monitor refused the kind (422)
    UNREACHABLE = "unreachable"  # no answer, or an answer we cannot read


async def send_correction(
    base_url: str,
    timeout_seconds: float,
    document_id: UUID,
    kind: str,
    corrected_by: str,
    note: str | None,
) -> Sent:
    url = f"{base_url.rstrip('/')}/documents/{document_id}/kind"
    body = {"kind": kind, "corrected_by": corrected_by, "note": note}
    try:
        async with httpx.AsyncClient(timeout=timeout_seconds) as client:
            response = await client.post(url, json=body)
    except httpx.HTTPError as exc:
        log.warning("correction not sent", document_id=str(document_id), error=repr(exc))
        return Sent.UNREACHABLE
    if response.status_code == 200:
        log.info("correction sent", document_id=str(document_id), kind=kind)
        return Sent.ACCEPTED
    log.warning(
        "correction refused",
        document_id=str(document_id),
        status=response.status_code,
        body=response.text[:300],
    )
    if response.status_code == 404:
        return Sent.UNKNOWN_DOCUMENT
    if response.status_code == 422:
        return Sent.REFUSED
    return Sent.UNREACHABLE
