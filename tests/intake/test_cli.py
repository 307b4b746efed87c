"""`minhbach units ...`: a token is printed once, stored hashed, and works; re-issuing revokes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from intake.auth import TokenVerifier, token_hash
from intake.db import unit_tokens
from minhbach.cli import app
from minhbach.settings import get_settings


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("MINHBACH_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout


async def test_issue_token_prints_a_working_token_once_and_stores_its_hash(
    cli_env: None, sessions: async_sessionmaker[AsyncSession]
) -> None:
    code, out = await asyncio.to_thread(run, "units", "issue-token", "ldtbxh")
    assert code == 0
    token = out.strip()
    assert len(token) >= 40 and "\n" not in token
    verifier = TokenVerifier(sessions, cache_seconds=0)
    assert await verifier.unit_for(token) == "ldtbxh"
    async with sessions() as session:
        hashes = set(await session.scalars(select(unit_tokens.c.token_hash)))
    assert token_hash(token) in hashes and token not in hashes

    code, out = await asyncio.to_thread(run, "units", "issue-token", "ldtbxh")
    assert code == 0
    assert await verifier.unit_for(out.strip()) == "ldtbxh"
    assert await verifier.unit_for(token) is None  # the earlier token was revoked

    code, listing = await asyncio.to_thread(run, "units", "list")
    assert code == 0
    line = next(line for line in listing.splitlines() if line.startswith("ldtbxh "))
    assert "tokens=1" in line and "lead" in line

    code, out = await asyncio.to_thread(run, "units", "revoke", "ldtbxh")
    assert code == 0 and "revoked 1" in out


def test_an_unknown_unit_gets_no_token(cli_env: None) -> None:
    code, out = run("units", "issue-token", "khong-co")
    assert code == 2 and out == ""
