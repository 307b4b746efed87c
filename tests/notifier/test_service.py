"""The notifier service on real NATS JetStream, PostgreSQL and an SMTP server (aiosmtpd) on
127.0.0.1: obligations arrive as events, digests leave by SMTP, once each."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from email.utils import getaddresses

import httpx
from nats.aio.client import Client as NatsClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.calendar import TZ
from minhbach.clock import FixedClock
from minhbach.events.catalogue import (
    EscalationRaised,
    NoticeSent,
    ObligationKind,
    ObligationStatus,
    ProbeFinished,
    ProbeOutcome,
)
from minhbach.infra.embedded import free_port
from minhbach.plan import Plan
from minhbach.settings import Settings
from notifier.app import create_app
from notifier.db import notices, obligations, portals
from notifier.service import Notifier
from tests.notifier.helpers import SmtpServer, code_of, obligation, publish, unique_plan
from tests.support.servers import eventually, serving

Q3_DUE = datetime(2024, 10, 2, tzinfo=TZ)  # Q3 report: before 02/10/2024
THREE_DAYS_LATE = datetime(2024, 10, 4, 9, 0, tzinfo=TZ)  # Friday


def before_hours(moment: datetime) -> datetime:
    """The same day at 06:00: no sending round decides yet, facts can settle first."""
    return moment.astimezone(TZ).replace(hour=6, minute=0)


def notifier_settings(settings: Settings, smtp_port: int, **extra: object) -> Settings:
    return settings.model_copy(
        update={
            "smtp_port": smtp_port,
            "notifier_round_seconds": 0.2,
            "notifier_retry_backoff_seconds": [0.1, 0.2],
            "public_intake_url": "http://127.0.0.1:8010/bao-cao",
            **extra,
        }
    )


@asynccontextmanager
async def running_notifier(
    settings: Settings, plan: Plan, clock: FixedClock
) -> AsyncIterator[tuple[Notifier, str]]:
    """The service on a real HTTP server: its sending rounds, and its base URL."""
    app = create_app(settings=settings, clock=clock, plan=plan)
    async with serving(app) as url:
        yield app.state.notifier, url


async def stored(sessions: async_sessionmaker[AsyncSession], *ids: str) -> bool:
    async with sessions() as session:
        found = await session.scalar(
            select(func.count()).where(obligations.c.obligation_id.in_(ids))
        )
    return found == len(ids)


async def notice_states(sessions: async_sessionmaker[AsyncSession], plan: Plan) -> list[str]:
    units = [u.code for u in plan.units]
    async with sessions() as session:
        rows = await session.execute(
            select(notices.c.state).where(notices.c.recipient_unit.in_(units))
        )
    return sorted(r.state for r in rows)


async def events_in_stream(nats_client: NatsClient, subject: str, marker: str) -> list[bytes]:
    js = nats_client.jetstream()
    sub = await js.pull_subscribe(subject, stream="NOTIFIER")
    found: list[bytes] = []
    try:
        while True:
            try:
                batch = await sub.fetch(256, timeout=0.5)
            except TimeoutError:
                break
            found += [m.data for m in batch if marker.encode() in m.data]
            for m in batch:
                await m.ack()
    finally:
        await sub.unsubscribe()
    return found


async def test_the_right_people_get_one_digest_each(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
    smtp_server: SmtpServer,
) -> None:
    plan = unique_plan()
    a1 = obligation(plan, "tckh", Q3_DUE)
    a2 = obligation(
        plan, "tckh", Q3_DUE, kind=ObligationKind.FIXED_DEADLINE_TASK, title="Nhiệm vụ 1.1"
    )
    b1 = obligation(plan, "tnmt", Q3_DUE)
    clock = FixedClock(before_hours(THREE_DAYS_LATE))
    async with running_notifier(notifier_settings(settings, smtp_server.port), plan, clock) as (
        notifier,
        url,
    ):
        await publish(nats_client, a1, a2, b1)
        await eventually(
            lambda: stored(sessions, a1.obligation_id, a2.obligation_id, b1.obligation_id),
            timeout=30,
        )
        clock.set(THREE_DAYS_LATE)  # one sending round sees all three
        await eventually(lambda: len(smtp_server.for_plan(plan)) >= 3, timeout=30)
        await eventually(lambda: notice_states(sessions, plan), timeout=10)
        # More rounds, a redelivered event: nothing new to say, nothing sent again.
        await publish(nats_client, a1)
        await notifier.run_round()
        await notifier.run_round()
        assert await notice_states(sessions, plan) == ["sent", "sent", "sent"]
        async with httpx.AsyncClient(base_url=url) as client:
            exposed = (await client.get("/metrics")).text
            dead = (await client.get("/notices", params={"state": "dead"})).json()
        for series in (
            'minhbach_notifier_notices_total{outcome="sent",stage="escalate_1"}',
            'minhbach_notifier_queue_depth{state="pending"}',
            "minhbach_notifier_send_seconds_bucket",
            "minhbach_notifier_dead_notices",
        ):
            assert series in exposed
        assert isinstance(dead, list)

    tckh, tnmt, vhtt = (code_of(plan, c) for c in ("tckh", "tnmt", "vhtt"))
    email = {u.code: u.email for u in plan.units}
    mails = {code: smtp_server.to(email[code]) for code in (tckh, tnmt, vhtt)}
    assert {code: len(m) for code, m in mails.items()} == {tckh: 1, tnmt: 1, vhtt: 1}
    assert len(smtp_server.for_plan(plan)) == 3

    unit_mail = mails[tckh][0].message
    assert unit_mail["X-Minhbach-Stage"] == "overdue"
    assert getaddresses([str(unit_mail["To"])]) == [("Phòng Tài chính - Kế hoạch", email[tckh])]
    text = unit_mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Báo cáo quý III năm 2024" in text and "Nhiệm vụ 1.1" in text
    assert "ngày 01 tháng 10 năm 2024" in text  # the last permitted day, Vietnamese date
    assert "Đã quá hạn 3 ngày làm việc" in text
    assert "http://127.0.0.1:8010/bao-cao" in text
    html = unit_mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert '<a href="http://127.0.0.1:8010/bao-cao">' in html

    focal_mail = mails[vhtt][0].message
    assert focal_mail["X-Minhbach-Stage"] == "escalate_1"
    focal_text = focal_mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Phòng Tài chính - Kế hoạch" in focal_text and "Phòng Tài nguyên" in focal_text
    assert focal_text.count("Đơn vị thực hiện") == 3

    sent_events = await events_in_stream(nats_client, NoticeSent.subject, vhtt)
    assert len(sent_events) == 1
    escalations = [
        EscalationRaised.model_validate_json(e)
        for ob in (a1, a2, b1)
        for e in await events_in_stream(nats_client, EscalationRaised.subject, ob.obligation_id)
    ]
    assert sorted((e.obligation_id, e.level, e.recipient_unit) for e in escalations) == sorted(
        (ob.obligation_id, "1", vhtt) for ob in (a1, a2, b1)
    )


async def test_fulfilment_stops_the_ladder(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
    smtp_server: SmtpServer,
) -> None:
    plan = unique_plan()
    ob = obligation(plan, "tckh", Q3_DUE)
    clock = FixedClock(datetime(2024, 10, 2, 9, 0, tzinfo=TZ))  # one working day late
    async with running_notifier(notifier_settings(settings, smtp_server.port), plan, clock) as (
        notifier,
        _,
    ):
        await publish(nats_client, ob)
        await eventually(lambda: len(smtp_server.for_plan(plan)) == 1, timeout=30)
        done = ob.model_copy(
            update={
                "event_id": uuid.uuid4(),
                "occurred_at": ob.occurred_at + timedelta(seconds=1),
                "fulfilled_at": clock.now(),
                "status": ObligationStatus.FULFILLED_LATE,
            }
        )
        await publish(nats_client, done)
        await eventually(lambda: _fulfilled(sessions, ob.obligation_id), timeout=30)
        clock.set(datetime(2024, 10, 15, 9, 0, tzinfo=TZ))  # past both escalation steps
        await notifier.run_round()
        await notifier.run_round()
    (only,) = smtp_server.for_plan(plan)
    assert only.message["X-Minhbach-Stage"] == "overdue"


async def _fulfilled(sessions: async_sessionmaker[AsyncSession], oid: str) -> bool:
    async with sessions() as session:
        at = await session.scalar(
            select(obligations.c.fulfilled_at).where(obligations.c.obligation_id == oid)
        )
    return at is not None


async def test_smtp_down_for_a_while_then_delivered_once(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
) -> None:
    plan = unique_plan()
    ob = obligation(plan, "tckh", Q3_DUE)
    server = SmtpServer(free_port())  # not started: the port refuses connections
    clock = FixedClock(datetime(2024, 10, 2, 9, 0, tzinfo=TZ))
    config = notifier_settings(settings, server.port)
    try:
        async with running_notifier(config, plan, clock) as (notifier, _):
            await publish(nats_client, ob)
            await eventually(lambda: notice_states(sessions, plan), timeout=30)
            await notifier.run_round()
            assert await notice_states(sessions, plan) == ["pending"]
            server.start()
            await eventually(lambda: len(server.for_plan(plan)) == 1, timeout=30)
            await eventually(lambda: _states_are(sessions, plan, ["sent"]), timeout=10)
            await notifier.run_round()
        assert len(server.for_plan(plan)) == 1
    finally:
        server.stop()


async def _outage_probes(
    sessions: async_sessionmaker[AsyncSession], unit_code: str, probes: int
) -> bool:
    async with sessions() as session:
        found = await session.scalar(
            select(portals.c.unreachable_probes).where(portals.c.unit_code == unit_code)
        )
    return found == probes


async def _states_are(
    sessions: async_sessionmaker[AsyncSession], plan: Plan, expected: list[str]
) -> bool:
    return await notice_states(sessions, plan) == expected


async def test_a_refused_recipient_is_dead_lettered_for_operators(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
    smtp_server: SmtpServer,
) -> None:
    plan = unique_plan()
    ob = obligation(plan, "tckh", Q3_DUE)
    smtp_server.refuse = {plan.unit(ob.unit_code).email}
    clock = FixedClock(datetime(2024, 10, 2, 9, 0, tzinfo=TZ))
    async with running_notifier(notifier_settings(settings, smtp_server.port), plan, clock):
        await publish(nats_client, ob)
        await eventually(lambda: _states_are(sessions, plan, ["dead"]), timeout=30)
    assert smtp_server.for_plan(plan) == []


async def test_a_relay_refusing_every_message_is_retried_and_delivers_once_when_it_recovers(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
    smtp_server: SmtpServer,
) -> None:
    """A 5xx to the whole transaction is the relay's state, not the recipient's (a recipient
    refused with 5xx stays dead, above): retried with the back-off, sent once (chaos run)."""
    plan = unique_plan()
    ob = obligation(plan, "tckh", Q3_DUE)
    smtp_server.data_reply = "554 5.3.0 Transaction failed"
    clock = FixedClock(datetime(2024, 10, 2, 9, 0, tzinfo=TZ))
    try:
        async with running_notifier(notifier_settings(settings, smtp_server.port), plan, clock):
            await publish(nats_client, ob)
            await eventually(lambda: _states_are(sessions, plan, ["pending"]), timeout=30)
            await eventually(lambda: _attempted(sessions, plan), timeout=30)
            smtp_server.data_reply = None
            await eventually(lambda: _states_are(sessions, plan, ["sent"]), timeout=30)
    finally:
        smtp_server.data_reply = None
    assert len(smtp_server.for_plan(plan)) == 1


async def test_a_relay_failing_past_the_attempts_never_makes_a_notice_dead(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
    smtp_server: SmtpServer,
) -> None:
    """Transient failures are the relay's state: a notice is retried past
    notifier_max_attempts (decision 0019, draft e-mails killed by a run of SMTP faults) and
    sent once when the relay recovers."""
    plan = unique_plan()
    ob = obligation(plan, "tckh", Q3_DUE)
    smtp_server.data_reply = "451 4.3.0 Try again later"
    clock = FixedClock(datetime(2024, 10, 2, 9, 0, tzinfo=TZ))
    tight = notifier_settings(settings, smtp_server.port, notifier_max_attempts=2)
    try:
        async with running_notifier(tight, plan, clock):
            await publish(nats_client, ob)
            await eventually(lambda: _attempts_at_least(sessions, plan, 4), timeout=30)
            assert await notice_states(sessions, plan) in (["pending"], ["sending"])
            smtp_server.data_reply = None
            await eventually(lambda: _states_are(sessions, plan, ["sent"]), timeout=30)
    finally:
        smtp_server.data_reply = None
    assert len(smtp_server.for_plan(plan)) == 1


async def _attempts_at_least(
    sessions: async_sessionmaker[AsyncSession], plan: Plan, count: int
) -> bool:
    async with sessions() as session:
        attempts = await session.scalars(
            select(notices.c.attempts).where(
                notices.c.recipient_unit.in_([u.code for u in plan.units])
            )
        )
        return any(n >= count for n in attempts)


async def _attempted(sessions: async_sessionmaker[AsyncSession], plan: Plan) -> bool:
    async with sessions() as session:
        errors = await session.scalars(
            select(notices.c.last_error).where(
                notices.c.recipient_unit.in_([u.code for u in plan.units])
            )
        )
        return any(error and "554" in error for error in errors)


async def test_portal_down_sends_one_notice_instead_of_one_per_section(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    nats_client: NatsClient,
    smtp_server: SmtpServer,
) -> None:
    plan = unique_plan()
    commune = next(u for u in plan.communes())
    seed_code = commune.code.rsplit("-", 1)[0]
    sections = [
        obligation(plan, seed_code, Q3_DUE, kind=ObligationKind.DOCUMENT_POSTING, title=f"Mục {n}")
        for n in range(4)
    ]
    now = datetime(2024, 10, 2, 9, 0, tzinfo=TZ)
    probes = [
        ProbeFinished(
            probe_id=uuid.uuid4(),
            portal_unit_code=commune.code,
            portal_url=commune.portal or "",
            started_at=now - timedelta(minutes=m),
            finished_at=now - timedelta(minutes=m - 1),
            outcome=ProbeOutcome.UNREACHABLE,
        )
        for m in (30, 20)
    ]
    clock = FixedClock(before_hours(now))
    config = notifier_settings(settings, smtp_server.port, notifier_portal_down_after_probes=2)
    async with running_notifier(config, plan, clock) as (notifier, _):
        await publish(nats_client, *probes, *sections)
        await eventually(lambda: stored(sessions, *(s.obligation_id for s in sections)), timeout=30)
        # A bound, not a timing: applying the probes took 15-26 s at load average 9.
        await eventually(lambda: _outage_probes(sessions, commune.code, 2), timeout=90)
        clock.set(now)
        await eventually(lambda: len(smtp_server.for_plan(plan)) >= 1, timeout=30)
        await notifier.run_round()
    (mail,) = smtp_server.for_plan(plan)
    assert mail.message["X-Minhbach-Stage"] == "portal_down"
    text = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Mục 0" not in text and (commune.portal or "") in text
