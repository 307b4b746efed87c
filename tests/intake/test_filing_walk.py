"""A report's walk through intake decided from what each statement returns (issue 22): the
period's report comes back from the first-filing statement, the reason for a refused amendment
from the amendment statement, and the Idempotency-Key is read in the request's one transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from intake import messages as msg
from intake.db import idempotency_keys, report_versions
from tests.intake.builders import COMMUNES, report_body
from tests.intake.conftest import RunningIntake

Issue = Callable[[str], Awaitable[str]]


async def _versions(sessions: async_sessionmaker[AsyncSession], report_id: str) -> int:
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(report_versions)
            .where(report_versions.c.report_id == UUID(report_id))
        )
    return int(count or 0)


async def test_each_refusal_says_why_and_names_the_report_as_it_stands(
    intake_server: RunningIntake, issue: Issue
) -> None:
    unit = COMMUNES.take()
    plan = intake_server.plan
    async with intake_server.client(await issue(unit)) as client:
        first = (await client.post("/api/v1/reports", json=report_body(plan, unit))).json()
        report_id = first["report_id"]
        await client.post(f"/api/v1/reports/{report_id}/versions", json=report_body(plan, unit))
        again = await client.post("/api/v1/reports", json=report_body(plan, unit))
        unknown = await client.post(
            f"/api/v1/reports/{uuid4()}/versions", json=report_body(plan, unit)
        )
        wrong_period = await client.post(
            f"/api/v1/reports/{report_id}/versions", json=report_body(plan, unit, "Q1")
        )
    assert again.status_code == 409, again.text
    assert again.json()["errors"][0]["message"] == msg.REPORT_EXISTS.format(
        report_id=report_id, version=2
    )
    assert unknown.status_code == 404, unknown.text
    assert unknown.json()["errors"][0]["field"] == "report_id"
    assert wrong_period.status_code == 422, wrong_period.text
    expected = msg.period_label("Q2", plan.year)
    assert wrong_period.json()["errors"][0]["message"] == msg.AMENDMENT_MISMATCH.format(
        expected=expected
    )
    assert await _versions_via_api(intake_server, issue, unit, report_id) == [1, 2]


async def _versions_via_api(
    intake_server: RunningIntake, issue: Issue, unit: str, report_id: str
) -> list[int]:
    async with intake_server.client(await issue(unit)) as client:
        detail = (await client.get(f"/api/v1/reports/{report_id}")).json()
    return [version["version_no"] for version in detail["versions"]]


async def test_two_concurrent_posts_with_one_key_store_one_report_and_give_one_answer(
    intake_server: RunningIntake, issue: Issue, sessions: async_sessionmaker[AsyncSession]
) -> None:
    unit = COMMUNES.take()
    body = report_body(intake_server.plan, unit)
    headers = {"Idempotency-Key": f"both-{unit}"}
    async with intake_server.client(await issue(unit)) as client:
        answers = await asyncio.gather(
            *(client.post("/api/v1/reports", json=body, headers=headers) for _ in range(4))
        )
    assert [answer.status_code for answer in answers] == [201] * 4, [a.text for a in answers]
    assert len({answer.text for answer in answers}) == 1
    replayed = [answer.headers.get("Idempotent-Replayed") == "true" for answer in answers]
    assert replayed.count(False) == 1
    assert await _versions(sessions, answers[0].json()["report_id"]) == 1


async def test_the_purge_forgets_stored_answers_past_their_time(
    intake_server: RunningIntake, issue: Issue, sessions: async_sessionmaker[AsyncSession]
) -> None:
    unit = COMMUNES.take()
    body = report_body(intake_server.plan, unit)
    async with intake_server.client(await issue(unit)) as client:
        await client.post("/api/v1/reports", json=body, headers={"Idempotency-Key": f"old-{unit}"})
    intake = intake_server.app.state.intake
    async with sessions() as session:
        before = await session.scalar(
            select(func.count())
            .select_from(idempotency_keys)
            .where(idempotency_keys.c.unit_code == unit)
        )
    purged = await intake.purge_answers(datetime.now(UTC) + timedelta(days=1))
    async with sessions() as session:
        after = await session.scalar(
            select(func.count())
            .select_from(idempotency_keys)
            .where(idempotency_keys.c.unit_code == unit)
        )
    assert before == 1 and after == 0 and purged >= 1
