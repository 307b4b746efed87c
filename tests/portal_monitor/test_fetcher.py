"""The fetcher against a real (simulated) HTTP server on loopback: politeness, bounds, redirects,
address policy. Hostile endpoints must cost bounded time and memory and say what happened."""

from __future__ import annotations

import resource
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from minhbach_dev.portal_simulator import PortalSimulator, SimPortal
from portal_monitor.addresses import AddressPolicy
from portal_monitor.fetcher import Fetcher, FetchLimits, Validators, make_client
from portal_monitor.tls import tls_days_left

LOGICAL = "https://xa-thu.test.invalid"
LIMITS = FetchLimits(
    timeout_seconds=3.0,
    max_bytes=512 * 1024,
    max_decoded_bytes=2 * 1024 * 1024,
    max_redirects=4,
    min_delay_seconds=0.0,
    user_agent="MinhBach-PortalMonitor/test (+mailto:test@example.invalid)",
)


@pytest.fixture
async def simulator() -> AsyncIterator[PortalSimulator]:
    sim = await PortalSimulator([SimPortal(code="xa-thu", name="UBND xã Thử")]).start()
    yield sim
    await sim.stop()


@pytest.fixture
async def fetcher(simulator: PortalSimulator) -> AsyncIterator[Fetcher]:
    policy = AddressPolicy(address_map={LOGICAL: simulator.origin("xa-thu")})
    async with make_client(LIMITS) as client:
        yield Fetcher(client, LIMITS, policy)


HOSTS = ("xa-thu.test.invalid",)


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/hostile/huge", "too_large"),
        ("/hostile/huge-declared", "too_large"),
        ("/hostile/gzip-bomb", "decompression_bomb"),
        ("/hostile/redirect-loop", "redirect_loop"),
        ("/hostile/endless-redirect/0", "too_many_redirects"),
        ("/hostile/off-portal", "off_portal_redirect"),
        ("/hostile/trickle", "timeout"),
    ],
)
async def test_hostile_responses_are_bounded_and_named(
    fetcher: Fetcher, simulator: PortalSimulator, path: str, problem: str
) -> None:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    result = await fetcher.fetch(LOGICAL + path, HOSTS)
    elapsed = time.monotonic() - started
    assert result.problem == problem
    assert result.body == b""
    assert result.bytes_received <= LIMITS.max_bytes + 65536
    # Bounded: the per-response time limit plus slack; memory far below the 256 MiB bomb.
    assert elapsed < LIMITS.timeout_seconds + 5
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert grown_kib < 64 * 1024
    if problem == "off_portal_redirect":
        assert all("127.0.0.2" not in t for _m, t, _h in simulator.portal("xa-thu").requests)


async def test_invalid_utf8_is_decoded_with_replacement_and_reported(fetcher: Fetcher) -> None:
    result = await fetcher.fetch(LOGICAL + "/hostile/invalid-utf8", HOSTS)
    text, clean = result.text()
    assert result.ok and not clean and "\ufffd" in text


async def test_conditional_request_gets_304(fetcher: Fetcher, simulator: PortalSimulator) -> None:
    first = await fetcher.fetch(LOGICAL + "/", HOSTS)
    assert first.ok and first.validators.etag
    second = await fetcher.fetch(LOGICAL + "/", HOSTS, first.validators)
    assert second.not_modified and second.body == b""
    _method, _target, headers = simulator.portal("xa-thu").requests[-1]
    assert headers["if-none-match"] == first.validators.etag
    assert headers["user-agent"].startswith("MinhBach-PortalMonitor")
    assert "mailto:" in headers["user-agent"]


async def test_gzip_is_decoded(fetcher: Fetcher, simulator: PortalSimulator) -> None:
    result = await fetcher.fetch(LOGICAL + "/", HOSTS)
    assert result.ok and "Cổng thông tin điện tử".encode() in result.body


async def test_one_request_at_a_time_per_host_with_a_delay(simulator: PortalSimulator) -> None:
    limits = FetchLimits(min_delay_seconds=0.3, timeout_seconds=3.0)
    policy = AddressPolicy(address_map={LOGICAL: simulator.origin("xa-thu")})
    async with make_client(limits) as client:
        fetcher = Fetcher(client, limits, policy)
        import asyncio

        started = time.monotonic()
        await asyncio.gather(*(fetcher.fetch(LOGICAL + "/", HOSTS) for _ in range(3)))
        assert time.monotonic() - started >= 0.6  # three requests, two delays between them


async def test_addresses_outside_the_allowed_networks_are_never_contacted() -> None:
    limits = FetchLimits(timeout_seconds=2.0, min_delay_seconds=0)
    async with make_client(limits) as client:
        unmapped = Fetcher(client, limits, AddressPolicy())
        result = await unmapped.fetch("https://lucnam.bacgiang.gov.vn/", ["lucnam.bacgiang.gov.vn"])
        assert result.problem == "blocked_address" and result.status is None
        public = Fetcher(client, limits, AddressPolicy(address_map={LOGICAL: "http://192.0.2.1"}))
        assert (await public.fetch(LOGICAL + "/", HOSTS)).problem == "blocked_address"
    assert await tls_days_left("https://lucnam.bacgiang.gov.vn/", AddressPolicy(), _now()) is None


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def test_unreachable_server_is_a_network_problem_worth_retrying(
    simulator: PortalSimulator,
) -> None:
    from minhbach.infra.embedded import free_port

    policy = AddressPolicy(address_map={LOGICAL: f"http://127.0.0.1:{free_port()}"})
    async with make_client(LIMITS) as client:
        result = await Fetcher(client, LIMITS, policy).fetch(LOGICAL + "/", HOSTS)
    assert result.problem == "network" and result.transient


async def test_validators_are_sent_only_to_the_first_url(fetcher: Fetcher) -> None:
    result = await fetcher.fetch(LOGICAL + "/", HOSTS, Validators(etag='"nope"'))
    assert result.ok


async def test_tls_days_left_reads_the_certificate_even_if_untrusted(tmp_path: Path) -> None:
    import asyncio
    import shutil
    import ssl
    import subprocess
    from datetime import UTC, datetime

    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed (deploy/system-deps.sh)")
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    await asyncio.to_thread(
        subprocess.run,
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "30",
            "-subj",
            "/CN=cong.test.invalid",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    async def handshake_then_close(_r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        w.close()

    server = await asyncio.start_server(handshake_then_close, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    policy = AddressPolicy(address_map={"https://cong.test.invalid": f"https://127.0.0.1:{port}"})
    async with server:
        days = await tls_days_left("https://cong.test.invalid/", policy, datetime.now(UTC))
    assert days in (29, 30)
