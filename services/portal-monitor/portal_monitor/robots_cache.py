"""robots.txt per portal origin, cached (RFC 9309: up to 24 h; an unreachable one briefly)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from portal_monitor.domain.robots import RobotsPolicy, policy_for_status
from portal_monitor.domain.urls import host_of, origin
from portal_monitor.fetcher import Fetcher

# Fetch problems that mean "the robots.txt could not be read": RFC 9309 2.3.1.3/4.
_UNREACHABLE = ("network", "timeout", "blocked_address", "too_large", "decompression_bomb")


@dataclass
class _Entry:
    policy: RobotsPolicy
    expires: float


class RobotsCache:
    def __init__(self, fetcher: Fetcher, ttl_seconds: float, retry_seconds: float) -> None:
        self.fetcher = fetcher
        self.ttl = ttl_seconds
        self.retry = retry_seconds
        self._entries: dict[str, _Entry] = {}

    async def policy(self, portal_url: str, allowed_hosts: Iterable[str]) -> RobotsPolicy:
        key = origin(portal_url)
        entry = self._entries.get(key)
        if entry is not None and entry.expires > time.monotonic():
            return entry.policy
        result = await self.fetcher.fetch(key + "/robots.txt", allowed_hosts)
        unreachable = result.problem in _UNREACHABLE or result.status is None
        status = None if unreachable else result.status
        text, _clean = result.text()
        policy = policy_for_status(status, text, self.fetcher.limits.user_agent)
        ttl = self.retry if policy.disallow_all else self.ttl
        self._entries[key] = _Entry(policy, time.monotonic() + ttl)
        self.fetcher.gate.set_crawl_delay(host_of(portal_url), policy.crawl_delay)
        return policy
