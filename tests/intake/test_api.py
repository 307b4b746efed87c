"""The JSON API against real PostgreSQL and NATS JetStream.

Each test files for a commune nobody else uses (see builders), so the shared database and stream
never make one test depend on another.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
import nats
import pytest
from nats.aio.client import Client as NatsClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from intake.auth import token_hash
from intake.db import evidence, messaging, report_versions, reports, unit_tokens
from intake.messages import INVALID_TEXT
from minhbach.infra.embedded import EmbeddedNats
from tests.intake.builders import COMMUNES, report_body
from tests.intake.conftest import RunningIntake
from tests.support.servers import eventually

Issue = Callable[[str], Awaitable[str]]


async def messages_mentioning(
    client: NatsClient, subject: str, needle: str
) -> list[dict[str, Any]]:
    """Every message on `subject` in the INTAKE stream whose JSON contains `needle`."""
    js = client.jetstream()
    sub = await js.pull_subscribe(subject, stream="INTAKE")
    found = []
    try:
        while True:
            try:
                batch = await sub.fetch(256, timeout=0.5)
            except TimeoutError:
                break
            for message in batch:
                if needle.encode() in message.data:
                    found.append(json.loads(message.data))
                await message.ack()
    finally:
        await sub.unsubscribe()
    return found


async def outbox_published(sessions: async_sessionmaker[AsyncSession], event_id: Any) -> bool:
    async with sessions() as session:
        published = await session.scalar(
            select(messaging.outbox.c.published_at).where(messaging.outbox.c.event_id == event_id)
        )
    return published is not None


async def version_rows(sessions: async_sessionmaker[AsyncSession], report_id: str) -> int:
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(report_versions)
            .where(report_versions.c.report_id == UUID(report_id))
        )
    return int(count or 0)


async def event_id_of(
    sessions: async_sessionmaker[AsyncSession], report_id: str, version: int
) -> Any:
    async with sessions() as session:
        return await session.scalar(
            select(report_versions.c.event_id).where(
                report_versions.c.report_id == UUID(report_id),
                report_versions.c.version_no == version,
            )
        )


async def test_an_accepted_report_is_stored_and_emitted_exactly_once(
    intake_server: RunningIntake,
    issue: Issue,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
) -> None:
    unit = COMMUNES.take()
    async with intake_server.client(await issue(unit)) as client:
        response = await client.post("/api/v1/reports", json=report_body(intake_server.plan, unit))
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["version_no"] == 1 and receipt["on_time"] is True
    assert receipt["unit_code"] == unit and receipt["period"] == "Q2"
    report_id = receipt["report_id"]
    assert await version_rows(sessions, report_id) == 1

    event_id = await event_id_of(sessions, report_id, 1)
    await eventually(lambda: outbox_published(sessions, event_id), timeout=30)
    events = await messages_mentioning(nats_client, "intake.report.submitted", report_id)
    assert len(events) == 1
    event = events[0]
    assert event["event_id"] == str(event_id)
    assert event["unit_code"] == unit and event["on_time"] is True
    assert event["reporter"] == "lead_units" and event["rule_code"] == "lead-quarterly"
    led = [task.code for task in intake_server.plan.tasks_led_by(unit)]
    assert [task["task_code"] for task in event["tasks"]] == led


async def test_a_retried_post_with_the_same_idempotency_key_returns_the_first_answer(
    intake_server: RunningIntake,
    issue: Issue,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
) -> None:
    unit = COMMUNES.take()
    body = report_body(intake_server.plan, unit)
    headers = {"Idempotency-Key": f"retry-{unit}"}
    async with intake_server.client(await issue(unit)) as client:
        first = await client.post("/api/v1/reports", json=body, headers=headers)
        intake_server.clock.advance(timedelta(minutes=5))
        again = await client.post("/api/v1/reports", json=body, headers=headers)
        changed = dict(body, analysis="Một báo cáo khác hẳn.")
        misuse = await client.post("/api/v1/reports", json=changed, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert misuse.status_code == 422
    assert misuse.json()["errors"][0]["field"] == "Idempotency-Key"

    report_id = first.json()["report_id"]
    assert await version_rows(sessions, report_id) == 1
    event_id = await event_id_of(sessions, report_id, 1)
    await eventually(lambda: outbox_published(sessions, event_id), timeout=30)
    assert len(await messages_mentioning(nats_client, "intake.report.submitted", report_id)) == 1


async def test_a_report_filed_while_nats_is_down_is_emitted_once_when_it_returns(
    intake_server: RunningIntake,
    issue: Issue,
    sessions: async_sessionmaker[AsyncSession],
    embedded_nats: EmbeddedNats | None,
    nats_url: str,
) -> None:
    if embedded_nats is None:
        pytest.skip("needs the embedded NATS to stop and start it")
    unit = COMMUNES.take()
    token = await issue(unit)
    embedded_nats.stop()
    try:
        async with intake_server.client(token) as client:
            response = await client.post(
                "/api/v1/reports",
                json=report_body(intake_server.plan, unit),
                headers={"Idempotency-Key": "while-down"},
            )
            retried = await client.post(
                "/api/v1/reports",
                json=report_body(intake_server.plan, unit),
                headers={"Idempotency-Key": "while-down"},
            )
        assert response.status_code == 201, response.text
        assert retried.json() == response.json()
        report_id = response.json()["report_id"]
        event_id = await event_id_of(sessions, report_id, 1)
        assert not await outbox_published(sessions, event_id)
    finally:
        embedded_nats.start()
    await eventually(lambda: outbox_published(sessions, event_id), timeout=60)
    checker = await nats.connect(nats_url)
    try:
        events = await messages_mentioning(checker, "intake.report.submitted", report_id)
    finally:
        await checker.close()
    assert len(events) == 1


async def test_a_late_report_is_accepted_and_flagged_late(
    intake_server: RunningIntake, issue: Issue
) -> None:
    unit = COMMUNES.take()
    due = intake_server.app.state.intake.rules.due("lead_units", "Q2", 2024).due_at
    intake_server.clock.set(due)  # due instants are exclusive: this very instant is late
    async with intake_server.client(await issue(unit)) as client:
        response = await client.post("/api/v1/reports", json=report_body(intake_server.plan, unit))
        status = await client.get(f"/api/v1/units/{unit}/status")
    assert response.status_code == 201
    assert response.json()["on_time"] is False
    assert "muộn hạn" in response.json()["message"]
    q2 = next(p for p in status.json()["periods"] if p["period"] == "Q2")
    assert q2["status"] == "late" and q2["label"] == "Đã gửi, muộn hạn"
    q1 = next(p for p in status.json()["periods"] if p["period"] == "Q1")
    assert q1["status"] == "not_required"


async def test_a_report_missing_a_task_is_rejected_naming_the_task(
    intake_server: RunningIntake, issue: Issue, sessions: async_sessionmaker[AsyncSession]
) -> None:
    unit = COMMUNES.take()
    body = report_body(intake_server.plan, unit, skip=("3.2",))
    body["tasks"][0]["status"] = "not_started"
    async with intake_server.client(await issue(unit)) as client:
        response = await client.post("/api/v1/reports", json=body)
        metrics = (await client.get("/metrics")).text
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"field": "tasks[0].difficulties", "message": errors[0]["message"]} in errors
    missing = [e for e in errors if e["field"] == "tasks"]
    assert len(missing) == 1 and "3.2" in missing[0]["message"]
    async with sessions() as session:
        stored = await session.scalar(
            select(func.count()).select_from(reports).where(reports.c.unit_code == unit)
        )
    assert stored == 0
    assert 'minhbach_intake_reports_rejected_total{reason="task_missing"}' in metrics
    assert 'minhbach_intake_reports_rejected_total{reason="reason_missing"}' in metrics
    # Latency is observed once the response has left: poll rather than race it.
    labels = ('service="intake"', 'method="POST"', 'route="/api/v1/reports"', 'status="422"')
    async with intake_server.client() as client:
        await eventually(lambda: _latency_observed(client, labels), timeout=10)


async def test_missing_or_wrong_token_is_401(intake_server: RunningIntake) -> None:
    unit = COMMUNES.take()
    body = report_body(intake_server.plan, unit)
    async with intake_server.client() as anonymous:
        missing = await anonymous.post("/api/v1/reports", json=body)
    async with intake_server.client("not-a-token") as stranger:
        wrong = await stranger.post("/api/v1/reports", json=body)
        reading = await stranger.get("/api/v1/reports")
    for response in (missing, wrong, reading):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["errors"][0]["field"] == "Authorization"
    assert "Thiếu mã truy cập" in missing.json()["errors"][0]["message"]
    assert "không đúng" in wrong.json()["errors"][0]["message"]


# Every authenticated route, with a body or parameters that would fail validation.
ANONYMOUS_REQUESTS = [
    ("POST", "/api/v1/reports", {}),
    ("POST", "/api/v1/reports", "not json"),
    ("POST", "/api/v1/evidence", {}),
    ("POST", "/api/v1/reports/not-a-uuid/versions", {}),
    ("GET", "/api/v1/reports?plan_year=not-a-year", None),
    ("GET", "/api/v1/reports/not-a-uuid", None),
    ("GET", "/api/v1/reports/not-a-uuid/versions/0", None),
    ("GET", "/api/v1/units/x/status?plan_year=2100", None),
    ("GET", "/api/v1/evidence?plan_year=-1", None),
    ("GET", "/api/v1/me", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ANONYMOUS_REQUESTS)
async def test_no_token_is_401_before_any_validation(
    intake_server: RunningIntake, method: str, path: str, body: object
) -> None:
    async with intake_server.client() as anonymous:
        if isinstance(body, str):
            response = await anonymous.request(method, path, content=body)
        else:
            response = await anonymous.request(method, path, json=body)
    assert response.status_code == 401, response.text
    assert response.json()["errors"][0]["field"] == "Authorization"


@pytest.mark.parametrize("year", [1999, 2000, 2100, 2101, 9999])
async def test_a_year_the_calendar_cannot_serve_is_a_422_in_vietnamese(
    intake_server: RunningIntake, issue: Issue, year: int
) -> None:
    unit = COMMUNES.take()
    token = await issue(intake_server.plan.roles.focal_unit)
    body = {**report_body(intake_server.plan, unit), "plan_year": year}
    async with intake_server.client(token) as client:
        responses = [
            await client.get(f"/api/v1/units/{unit}/status", params={"plan_year": year}),
            await client.get("/api/v1/reports", params={"plan_year": year}),
            await client.get("/api/v1/evidence", params={"plan_year": year}),
            await client.post("/api/v1/reports", json=body),
        ]
    for response in responses:
        assert response.status_code == 422, response.text
        error = response.json()["errors"][0]
        assert error["field"] == "plan_year"
        assert "Năm kế hoạch phải từ 2001 đến 2099" in error["message"]


async def test_a_unit_cannot_read_or_amend_another_units_report_but_the_focal_unit_reads_all(
    intake_server: RunningIntake, issue: Issue
) -> None:
    owner, other = COMMUNES.take(), COMMUNES.take()
    plan = intake_server.plan
    async with intake_server.client(await issue(owner)) as client:
        filed = (await client.post("/api/v1/reports", json=report_body(plan, owner))).json()
    report_id = filed["report_id"]
    async with intake_server.client(await issue(other)) as client:
        read = await client.get(f"/api/v1/reports/{report_id}")
        listing = await client.get("/api/v1/reports", params={"unit": owner})
        status = await client.get(f"/api/v1/units/{owner}/status")
        amend = await client.post(
            f"/api/v1/reports/{report_id}/versions", json=report_body(plan, other)
        )
        consolidated = await client.post(
            "/api/v1/reports", json=report_body(plan, other, reporter="focal_unit")
        )
        own = await client.get("/api/v1/reports")
    for response in (read, listing, status, amend, consolidated):
        assert response.status_code == 403, response.text
    assert (
        read.json()["errors"][0]["message"] == "Đơn vị chỉ được xem và gửi dữ liệu của chính mình."
    )
    assert own.status_code == 200 and own.json() == []

    async with intake_server.client(await issue(plan.roles.focal_unit)) as focal:
        detail = await focal.get(f"/api/v1/reports/{report_id}")
        everyone = await focal.get("/api/v1/reports")
        one_unit = await focal.get("/api/v1/reports", params={"unit": owner})
    assert detail.status_code == 200 and detail.json()["unit_code"] == owner
    assert report_id in [r["report_id"] for r in everyone.json()]
    assert [r["report_id"] for r in one_unit.json()] == [report_id]


async def test_an_amendment_is_a_new_version_and_keeps_the_old_one_readable(
    intake_server: RunningIntake,
    issue: Issue,
    nats_client: NatsClient,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    unit = COMMUNES.take()
    plan = intake_server.plan
    first_body = report_body(plan, unit)
    second_body = report_body(plan, unit, analysis="Bổ sung: đã khắc phục việc chậm đăng tải.")
    second_body["tasks"][0].update(status="in_progress", difficulties="Thiếu cán bộ biên tập.")
    async with intake_server.client(await issue(unit)) as client:
        first = (await client.post("/api/v1/reports", json=first_body)).json()
        report_id = first["report_id"]
        again = await client.post("/api/v1/reports", json=first_body)
        intake_server.clock.advance(timedelta(hours=2))
        amended = await client.post(f"/api/v1/reports/{report_id}/versions", json=second_body)
        wrong_period = await client.post(
            f"/api/v1/reports/{report_id}/versions", json=report_body(plan, unit, "Q1")
        )
        detail = (await client.get(f"/api/v1/reports/{report_id}")).json()
        version_1 = (await client.get(f"/api/v1/reports/{report_id}/versions/1")).json()
        no_version = await client.get(f"/api/v1/reports/{report_id}/versions/9")
    assert again.status_code == 409 and report_id in again.json()["errors"][0]["message"]
    assert amended.status_code == 201, amended.text
    assert amended.json()["version_no"] == 2
    assert amended.json()["report_id"] == report_id
    assert amended.json()["first_submitted_at"] == first["submitted_at"]
    assert wrong_period.status_code == 422
    assert [v["version_no"] for v in detail["versions"]] == [1, 2]
    assert detail["latest_version"] == 2
    assert detail["not_done_task_codes"] == [second_body["tasks"][0]["task_code"]]
    assert version_1["analysis"] == first_body["analysis"]
    assert version_1["tasks"][0]["status"] == "done"
    assert detail["versions"][1]["analysis"] == second_body["analysis"]
    assert no_version.status_code == 404

    event_id = await event_id_of(sessions, report_id, 2)
    await eventually(lambda: outbox_published(sessions, event_id), timeout=30)
    events = await messages_mentioning(nats_client, "intake.report.submitted", report_id)
    assert sorted(e["version_no"] for e in events) == [1, 2]


async def test_a_too_large_body_is_refused_with_413(
    intake_server: RunningIntake, issue: Issue
) -> None:
    unit = COMMUNES.take()
    body = report_body(intake_server.plan, unit, analysis="x" * 49_000)
    body["tasks"][0]["work_done"] = "y" * 9_000
    body["tasks"][1]["work_done"] = "y" * 9_000
    async with intake_server.client(await issue(unit)) as client:
        response = await client.post("/api/v1/reports", json=body)
    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "body"
    assert "64 KiB" in response.json()["errors"][0]["message"]


async def test_evidence_is_stored_and_emitted_and_read_back(
    intake_server: RunningIntake,
    issue: Issue,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
) -> None:
    unit = COMMUNES.take()
    filing = {
        "task_code": "2.1",
        "plan_year": 2024,
        "evidence": {
            "url": f"https://{unit}.example.invalid/uu-dai/1",
            "document_number": "21/QĐ-UBND",
            "issued_on": "2024-06-20",
            "title": "Quyết định ban hành chính sách hỗ trợ đầu tư",
        },
        "note": "Đăng tải ngày 21/6.",
    }
    async with intake_server.client(await issue(unit)) as client:
        accepted = await client.post("/api/v1/evidence", json=filing)
        bad = await client.post(
            "/api/v1/evidence", json=dict(filing, evidence={"url": "javascript:alert(1)"})
        )
        listed = await client.get("/api/v1/evidence")
    assert accepted.status_code == 201, accepted.text
    evidence_id = accepted.json()["evidence_id"]
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "evidence.url"
    assert [e["evidence_id"] for e in listed.json()] == [evidence_id]
    async with sessions() as session:
        event_id = await session.scalar(
            select(evidence.c.event_id).where(evidence.c.evidence_id == UUID(evidence_id))
        )
    await eventually(lambda: outbox_published(sessions, event_id), timeout=30)
    events = await messages_mentioning(nats_client, "intake.evidence.submitted", evidence_id)
    assert len(events) == 1 and events[0]["evidence"]["document_number"] == "21/QĐ-UBND"


async def test_me_lists_the_units_tasks(intake_server: RunningIntake, issue: Issue) -> None:
    async with intake_server.client(await issue("tu-phap")) as client:
        me = (await client.get("/api/v1/me")).json()
    assert me["unit_name"] == "Phòng Tư pháp" and me["is_focal_unit"] is False
    assert "5.1" in [task["code"] for task in me["led_tasks"]]


async def test_tokens_are_stored_hashed(
    issue: Issue, sessions: async_sessionmaker[AsyncSession]
) -> None:
    token = await issue("ktht")
    async with sessions() as session:
        stored = (
            await session.execute(select(unit_tokens.c.token_hash, unit_tokens.c.unit_code))
        ).all()
    assert (token_hash(token), "ktht") in stored
    assert all(token not in row.token_hash for row in stored)


async def test_text_postgresql_cannot_store_is_refused_not_a_server_error(
    intake_server: RunningIntake, issue: Issue
) -> None:
    unit = COMMUNES.take()
    nul = report_body(intake_server.plan, unit, analysis="a\u0000b")
    surrogate = report_body(intake_server.plan, unit)
    surrogate["tasks"][0]["work_done"] = "\ud800"
    async with intake_server.client(await issue(unit)) as client:
        with_nul = await client.post("/api/v1/reports", json=nul)
        with_surrogate = await client.post(
            "/api/v1/reports",
            content=json.dumps(surrogate),  # ASCII JSON carries the lone surrogate escaped
            headers={"Content-Type": "application/json"},
        )
        header = await client.post(
            "/api/v1/reports",
            json=report_body(intake_server.plan, unit),
            headers={"Idempotency-Key": "khóa".encode()},  # type: ignore[dict-item]
        )
    assert with_nul.status_code == 422
    assert [e["field"] for e in with_nul.json()["errors"]] == ["analysis"]
    assert with_nul.json()["errors"][0]["message"] == INVALID_TEXT
    assert with_surrogate.status_code == 422  # not JSON pydantic accepts: the body is refused
    assert with_surrogate.json()["errors"][0]["field"] == "body"
    assert header.status_code == 422
    assert header.json()["errors"][0]["field"] == "Idempotency-Key"


async def _latency_observed(client: httpx.AsyncClient, labels: tuple[str, ...]) -> bool:
    lines = (await client.get("/metrics")).text.splitlines()
    return any(
        line.startswith("minhbach_http_request_duration_seconds_count{")
        and all(label in line for label in labels)
        for line in lines
    )
