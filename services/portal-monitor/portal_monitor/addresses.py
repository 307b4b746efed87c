"""Where a portal's address really points, and which networks may be contacted at all.

A portal's address may be mapped to another origin by configuration (dev and tests map the plan's
addresses to the local simulator), and every address actually contacted must lie in the allowed
networks (loopback only by default), checked before any packet is sent to it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit


class BlockedAddress(Exception):
    pass


@dataclass(frozen=True)
class AddressPolicy:
    """Where a portal's address really points, and which networks may be contacted at all."""

    address_map: Mapping[str, str] = field(default_factory=dict)  # logical origin -> origin
    allowed_networks: tuple[str, ...] = ("127.0.0.0/8", "::1/128")

    def physical(self, url: str) -> str:
        parts = urlsplit(url)
        mapped = self.address_map.get(f"{parts.scheme}://{parts.netloc}".lower())
        if mapped is None:
            return url
        target = urlsplit(mapped)
        return urlunsplit((target.scheme, target.netloc, parts.path or "/", parts.query, ""))

    def logical(self, url: str) -> str:
        """The portal's own address for a URL a mapped server wrote in absolute form."""
        parts = urlsplit(url)
        physical_origin = f"{parts.scheme}://{parts.netloc}".lower()
        for logical_origin, mapped in self.address_map.items():
            if mapped.rstrip("/").lower() == physical_origin:
                base = urlsplit(logical_origin)
                return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
        return url

    @property
    def _networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(n, strict=False) for n in self.allowed_networks]

    def _loopback_only(self) -> bool:
        return all(network.is_loopback for network in self._networks)

    async def check(self, physical_url: str) -> None:
        """Refuse an address outside the allowed networks (before any packet is sent to it).

        Host names are resolved only when non-loopback networks are allowed: with the default
        loopback-only policy a name other than `localhost` is refused without a DNS query."""
        host = urlsplit(physical_url).hostname or ""
        addresses = await self._addresses(host)
        networks = self._networks
        for address in addresses:
            if not any(address in network for network in networks):
                raise BlockedAddress(f"{host} ({address}) is outside the allowed networks")

    async def _addresses(self, host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        if host == "localhost":
            return [ipaddress.ip_address("127.0.0.1")]
        if self._loopback_only():
            raise BlockedAddress(f"{host}: names are not resolved under a loopback-only policy")
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise BlockedAddress(f"{host}: {exc}") from exc
        return [ipaddress.ip_address(str(info[4][0])) for info in infos]
