"""Fixtures of the notifier tests: a fresh SMTP server per test on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from minhbach.infra.embedded import free_port
from tests.notifier.helpers import SmtpServer


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port()).start()
    yield server
    server.stop()
