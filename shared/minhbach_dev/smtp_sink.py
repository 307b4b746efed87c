"""A local SMTP server for `make run`: every message lands as a `.eml` file under `var/mail/`.

Never deployed. Bound to 127.0.0.1 at `settings.smtp_port` (8025). A file is named from the
message's Date, first recipient and Message-ID, so a message re-sent with the same Message-ID
(the notifier's crash recovery) replaces its file, as a mailbox that de-duplicates would.
"""

from __future__ import annotations

import hashlib
import logging
import re
import signal
import threading
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session

from minhbach.observability.logging import configure_logging, get_logger
from minhbach.settings import Settings

log = get_logger("minhbach.smtp_sink")

SINK_HOST = "127.0.0.1"


class EmlWriter:
    """aiosmtpd handler: accept every message and write it to `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        if isinstance(envelope.content, bytes) and not content:
            content = envelope.content
        path = self.directory / eml_name(content, [str(r) for r in envelope.rcpt_tos])
        path.write_bytes(content)
        log.info("mail stored", file=str(path), to=list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def eml_name(content: bytes, recipients: list[str]) -> str:
    headers = BytesHeaderParser().parsebytes(content)
    # .strip(): a long Message-ID is folded onto its own line (legal), and unfolds with a space.
    message_id = str(headers.get("Message-ID", "")).strip() or hashlib.sha256(content).hexdigest()
    try:
        stamp = parsedate_to_datetime(str(headers["Date"])).strftime("%Y%m%d-%H%M%S")
    except (TypeError, ValueError, KeyError):
        stamp = "undated"
    to = re.sub(r"[^A-Za-z0-9._-]", "_", recipients[0].split("@")[0] if recipients else "unknown")
    digest = hashlib.sha256(message_id.encode()).hexdigest()[:12]
    return f"{stamp}-{to}-{digest}.eml"


def start_smtp_sink(directory: Path, port: int, host: str = SINK_HOST) -> Controller:
    """Start the sink in a background thread; `.stop()` the returned controller."""
    controller = Controller(EmlWriter(directory), hostname=host, port=port, enable_SMTPUTF8=True)
    controller.start()
    return controller


def serve_smtp_sink(settings: Settings) -> None:
    """Run the sink until SIGINT/SIGTERM (blocking)."""
    configure_logging("smtp-sink", settings.log_level)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per SMTP verb
    directory = settings.var_dir / "mail"
    controller = start_smtp_sink(directory, settings.smtp_port)
    log.info("smtp sink listening", host=SINK_HOST, port=settings.smtp_port, folder=str(directory))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
