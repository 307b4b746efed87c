"""SMTP adapter (aiosmtplib): one connection per sending round, STARTTLS/TLS and login as set."""

from __future__ import annotations

from types import TracebackType

import aiosmtplib

from minhbach.settings import Settings


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying will not help."""


class TransientFailure(Exception):
    """The server is down, slow or said 'try later' (4xx): retry with backoff."""


class SmtpMailer:
    """`async with SmtpMailer(settings) as mailer: await mailer.send(...)` reuses one session."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._smtp: aiosmtplib.SMTP | None = None

    async def __aenter__(self) -> SmtpMailer:
        await self.open()
        return self

    async def open(self) -> None:
        """Connect (and STARTTLS, log in) now; raises TransientFailure when unreachable."""
        await self._connect()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _connect(self) -> aiosmtplib.SMTP:
        s = self._settings
        smtp = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            username=s.smtp_username or None,
            password=s.smtp_password or None,
            use_tls=s.smtp_use_tls,
            start_tls=s.smtp_starttls,  # False: never upgrade, not 'if offered'
            timeout=s.smtp_timeout_seconds,
            cert_bundle=s.smtp_cert_bundle or None,
        )
        try:
            await smtp.connect()
        except (aiosmtplib.SMTPException, OSError) as exc:
            where = f"{s.smtp_host}:{s.smtp_port}"
            raise TransientFailure(f"cannot connect to {where}: {exc!r}") from exc
        self._smtp = smtp
        return smtp

    async def send(self, sender: str, recipient: str, data: bytes) -> None:
        """Return once the server accepted the message; raise Permanent/TransientFailure."""
        smtp = self._smtp if self._smtp and self._smtp.is_connected else await self._connect()
        try:
            await smtp.sendmail(sender, [recipient], data)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            failure = PermanentFailure if all(c >= 500 for c in codes) else TransientFailure
            raise failure(f"recipient refused: {exc!r}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            # A refusal of the whole transaction (4xx or 5xx at MAIL or DATA) says how the relay
            # is now, not that the recipient is wrong: retried with the back-off, up to
            # notifier_max_attempts (a recipient refused with 5xx, above, is final).
            raise TransientFailure(f"{exc.code} {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            await self.close()
            raise TransientFailure(repr(exc)) from exc

    async def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None or not smtp.is_connected:
            return
        try:
            await smtp.quit()
        except (aiosmtplib.SMTPException, OSError):
            smtp.close()
