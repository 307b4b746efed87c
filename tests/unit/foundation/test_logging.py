"""Logs keep the exception and its stack, never a frame's local variables (tokens, bodies, URLs)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from minhbach.cli import app as cli_app
from minhbach.observability.logging import configure_logging, get_logger

SECRET = "postgresql://minhbach:S3cr3t-Passw0rd@db.example.invalid/minhbach"


def _fail_holding_a_secret(database_url: str = SECRET) -> None:
    token = "unit-token-that-must-not-leak"
    raise RuntimeError(f"could not reach the database ({len(database_url) + len(token)} chars)")


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """A stream for stderr; the logging setup of the session is put back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    config = structlog.get_config()
    yield io.StringIO()
    root.handlers[:], root.level = handlers, level
    structlog.configure(**config)
    structlog.contextvars.clear_contextvars()


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.parametrize("via", ["structlog", "stdlib"])
def test_a_logged_exception_has_its_stack_but_no_locals(
    captured: io.StringIO, monkeypatch: pytest.MonkeyPatch, as_json: bool, via: str
) -> None:
    monkeypatch.setattr("sys.stderr", captured)
    configure_logging("tests", json=as_json)
    try:
        _fail_holding_a_secret()
    except RuntimeError:
        if via == "structlog":
            get_logger("tests").exception("request failed")
        else:
            logging.getLogger("uvicorn.error").exception("request failed")
    text = captured.getvalue()
    assert "could not reach the database" in text
    assert "_fail_holding_a_secret" in text  # the stack is there
    assert "S3cr3t-Passw0rd" not in text
    assert "unit-token-that-must-not-leak" not in text
    if as_json:
        record = json.loads(text.strip().splitlines()[-1])
        assert record["exception"][0]["exc_type"] == "RuntimeError"


def test_the_cli_prints_crashes_without_locals() -> None:
    assert cli_app.pretty_exceptions_show_locals is False
