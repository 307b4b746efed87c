"""Days left on a portal's TLS certificate (task 6.5), read whether it is trusted or not."""

from __future__ import annotations

import asyncio
import re
import ssl
from datetime import UTC, datetime
from urllib.parse import urlsplit

from portal_monitor.addresses import AddressPolicy, BlockedAddress


async def tls_days_left(
    url: str, policy: AddressPolicy, now: datetime, timeout: float = 10.0
) -> int | None:
    """Days until the certificate of an https portal expires (negative: expired; None: not
    https or no answer). The certificate is read whether or not it is trusted: an expired or
    self-signed one must still be reported, not skipped."""
    physical = urlsplit(policy.physical(url))
    if physical.scheme != "https" or not physical.hostname:
        return None
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # we only read the expiry date
    try:
        await policy.check(policy.physical(url))
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(
                physical.hostname,
                physical.port or 443,
                ssl=context,
                server_hostname=urlsplit(url).hostname,
            )
        try:
            ssl_object = writer.get_extra_info("ssl_object")
            der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        finally:
            writer.close()
    except (OSError, TimeoutError, BlockedAddress, ssl.SSLError):
        return None
    expires = der_not_after(der or b"")
    return None if expires is None else (expires - now).days


_DER_TIME = re.compile(rb"\x17\x0d(\d{12}Z)|\x18\x0f(\d{14}Z)")


def der_not_after(der: bytes) -> datetime | None:
    """notAfter of a DER X.509 certificate: the second time value of its TBSCertificate (the
    validity sequence is the first place times occur)."""
    times = [m.group(1) or m.group(2) for m in _DER_TIME.finditer(der)][:2]
    if len(times) < 2:
        return None
    text = times[1].decode()
    pattern = "%y%m%d%H%M%SZ" if len(text) == 13 else "%Y%m%d%H%M%SZ"
    try:
        return datetime.strptime(text, pattern).replace(tzinfo=UTC)
    except ValueError:
        return None
