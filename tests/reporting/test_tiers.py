"""Two focal tiers drafted on a real PostgreSQL: the focal unit reports each quarter to the
Chairman and, on its own earlier deadline, to another unit. Each rule gets its own consolidated
report, under its own key (a second focal rule once silently replaced the first), each announced
through the outbox."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from minhbach.db.session import make_engine, make_sessionmaker, transaction
from minhbach.events.catalogue import DraftKind, ReportSubmitted, TaskReport, TaskStatus
from minhbach.messaging.outbox import Outbox
from reporting import store
from reporting.db import drafts, messaging
from reporting.domain.projections import report_row
from reporting.drafting import Drafter
from tests.reporting.conftest import fresh_database, vn
from tests.support.tiers import two_focal_tiers

pytestmark = pytest.mark.slow


async def test_each_focal_rule_drafts_its_own_q3_report(database_url: str) -> None:
    plan = two_focal_tiers()
    url = await fresh_database(database_url, "reporting")
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        filed_at = vn(2024, 9, 30, 9)
        async with transaction(sessions) as session:
            for unit in plan.lead_unit_codes_all():
                await store.save_report(
                    session,
                    report_row(
                        ReportSubmitted(
                            report_id=uuid.uuid4(),
                            version_no=1,
                            unit_code=unit,
                            plan_year=2024,
                            period="Q3",
                            submitted_at=filed_at,
                            due_at=vn(2024, 10, 2, 0),
                            on_time=True,
                            tasks=tuple(
                                TaskReport(task_code=t.code, status=TaskStatus.DONE)
                                for t in plan.tasks_led_by(unit)
                            ),
                            analysis="Đã thực hiện.",
                        )
                    ),
                )
        drafter = Drafter(
            plan=plan,
            sessions=sessions,
            emit=Outbox(messaging).emit,
            soffice=None,
            pdf_timeout_seconds=30,
        )
        announced = await drafter.run_pass(vn(2024, 10, 1, 9))
        q3 = sorted(e.period_key for e in announced if e.period_key.startswith("2024-Q3"))
        assert q3 == ["2024-Q3", "2024-Q3-focal-quarterly-pci"]
        assert all(e.kind == DraftKind.CONSOLIDATED_REPORT for e in announced)
        assert {e.trigger for e in announced if e.period_key in q3} == {"all_filed"}

        async with sessions() as session:
            stored = (await session.execute(select(drafts.c.period_key))).scalars().all()
            outbox = (await session.execute(select(messaging.outbox.c.payload))).scalars().all()
        assert set(q3) <= set(stored)
        assert len(stored) == len(set(stored))  # one version each: nothing replaced
        keys = [json.loads(payload)["period_key"] for payload in outbox]
        assert sorted(k for k in keys if k.startswith("2024-Q3")) == q3

        async with sessions() as session:
            filed = await store.period_reports(session, 2024, "Q3")
        assert filed and {r.plan_year for r in filed} == {2024}  # the unit page names the year

        # A second pass with nothing new drafts nothing again.
        assert await drafter.run_pass(vn(2024, 10, 1, 10)) == []
    finally:
        await engine.dispose()
