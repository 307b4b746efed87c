"""Intake started for real (uvicorn on 127.0.0.1, real PostgreSQL and NATS), settable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from intake.app import create_app
from intake.auth import issue_token
from minhbach.calendar import TZ
from minhbach.clock import FixedClock
from minhbach.plan import Plan
from minhbach.settings import Settings
from tests.intake.builders import intake_plan
from tests.support.servers import serving

# Mid-way between the end of Q2 2024 and its lead-unit deadline (before 02/07/2024).
ON_TIME_FOR_Q2 = datetime(2024, 7, 1, 10, 0, tzinfo=TZ)


@dataclass
class RunningIntake:
    url: str
    app: FastAPI
    clock: FixedClock
    plan: Plan

    def client(self, token: str | None = None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=30)


@pytest.fixture(scope="module")
async def intake_server(settings: Settings) -> AsyncIterator[RunningIntake]:
    clock = FixedClock(ON_TIME_FOR_Q2)
    plan = intake_plan()
    app = create_app(
        settings=settings.model_copy(update={"intake_max_body_bytes": 64 * 1024}),
        clock=clock,
        plan=plan,
    )
    async with serving(app) as url:
        yield RunningIntake(url, app, clock, plan)


@pytest.fixture(autouse=True)
def reset_clock(request: pytest.FixtureRequest) -> None:
    if "intake_server" in request.fixturenames:
        request.getfixturevalue("intake_server").clock.set(ON_TIME_FOR_Q2)


@pytest.fixture
def issue(sessions: async_sessionmaker[AsyncSession]) -> Callable[[str], Awaitable[str]]:
    async def issue_for(unit_code: str) -> str:
        return await issue_token(sessions, unit_code, keep_others=True)

    return issue_for
