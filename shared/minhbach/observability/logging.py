"""Structured logging (structlog) in English, one line per event, prefixed by service.

Tracebacks keep the exception and the stack but never local variables: a frame's locals can hold
request bodies, unit tokens or a database URL with its password (structlog renders them by
default when `rich` is installed).
"""

from __future__ import annotations

import logging
import sys

import structlog
from structlog.tracebacks import ExceptionDictTransformer


def configure_logging(service: str, level: str = "INFO", json: bool = False) -> None:
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=_rendering(json))
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    structlog.contextvars.bind_contextvars(service=service)
    for noisy in ("uvicorn.access", "nats", "faststream.access.nats"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _rendering(json: bool) -> list[structlog.types.Processor]:
    """The last steps of every record: exception without locals, then JSON or a console line."""
    strip_meta = structlog.stdlib.ProcessorFormatter.remove_processors_meta
    if json:
        exception = structlog.processors.ExceptionRenderer(
            ExceptionDictTransformer(show_locals=False)
        )
        return [strip_meta, exception, structlog.processors.JSONRenderer()]
    console = structlog.dev.ConsoleRenderer(
        colors=False, pad_event_to=0, exception_formatter=structlog.dev.plain_traceback
    )
    return [strip_meta, console]


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)  # type: ignore[no-any-return]
