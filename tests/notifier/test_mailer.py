"""The SMTP adapter against real aiosmtpd servers on 127.0.0.1: login, STARTTLS (self-signed
certificate trusted through the configured bundle), and a wrong password keeps notices waiting."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from minhbach.infra.embedded import free_port
from minhbach.settings import Settings
from notifier.mailer import SmtpMailer, TransientFailure

MESSAGE = b"Subject: thu\r\nMessage-ID: <k@localhost>\r\n\r\nXin ch\xc3\xa0o\r\n"


class Keeper:
    def __init__(self) -> None:
        self.received: list[tuple[bool, bytes]] = []  # (authenticated, content)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        self.received.append((bool(session.authenticated), envelope.original_content or b""))
        return "250 OK"


def only_notifier(
    server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"notifier", b"bi-mat")
    return AuthResult(success=ok)


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Keeper, int]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    keeper, port = Keeper(), free_port()
    controller = Controller(
        keeper,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=only_notifier,
    )
    controller.start()
    yield keeper, port
    controller.stop()


def smtp_settings(settings: Settings, port: int, **extra: object) -> Settings:
    return settings.model_copy(update={"smtp_port": port, "smtp_timeout_seconds": 5, **extra})


async def test_starttls_and_login_then_send(
    settings: Settings, tls_server: tuple[Keeper, int], certificate: tuple[Path, Path]
) -> None:
    keeper, port = tls_server
    config = smtp_settings(
        settings,
        port,
        smtp_starttls=True,
        smtp_cert_bundle=str(certificate[0]),
        smtp_username="notifier",
        smtp_password="bi-mat",
    )
    async with SmtpMailer(config) as mailer:
        await mailer.send("minhbach@localhost", "a@example.invalid", MESSAGE)
        await mailer.send("minhbach@localhost", "b@example.invalid", MESSAGE)
    assert [auth for auth, _ in keeper.received] == [True, True]
    assert keeper.received[0][1] == MESSAGE


async def test_a_wrong_password_is_a_transient_failure_before_any_notice_is_claimed(
    settings: Settings, tls_server: tuple[Keeper, int], certificate: tuple[Path, Path]
) -> None:
    keeper, port = tls_server
    config = smtp_settings(
        settings,
        port,
        smtp_starttls=True,
        smtp_cert_bundle=str(certificate[0]),
        smtp_username="notifier",
        smtp_password="sai",
        smtp_timeout_seconds=2,
    )
    with pytest.raises(TransientFailure):  # 535, or a stalled AUTH exchange: either way, wait
        await SmtpMailer(config).open()
    assert keeper.received == []


async def test_an_untrusted_certificate_is_refused(
    settings: Settings, tls_server: tuple[Keeper, int]
) -> None:
    _, port = tls_server
    config = smtp_settings(
        settings, port, smtp_starttls=True, smtp_username="notifier", smtp_password="bi-mat"
    )
    with pytest.raises(TransientFailure, match="CERTIFICATE_VERIFY_FAILED"):
        await SmtpMailer(config).open()
