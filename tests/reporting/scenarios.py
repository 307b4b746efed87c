"""Quarters to draft, as events and as the facts reporting keeps: the seed's Q3 of the demo year
(the reports `make run`'s demo filer sends, 11 of the 26 portals probed), and a province of 120
lead units and 25 tasks whose units write the same difficulty in different ways (with and
without diacritics, NFC and NFD, reworded). Scoring's own readiness model computes the figures
from the same events, so a draft can be compared with what scoring's API says."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from minhbach.calendar import TZ
from minhbach.events.base import Event
from minhbach.events.catalogue import (
    CheckResult,
    ProbeFinished,
    ProbeOutcome,
    ReportSubmitted,
    Signal,
    TaskReport,
    TaskStatus,
)
from minhbach.plan import Plan
from minhbach_dev.demo_filer import LATE_AFTER, demo_report
from reporting.domain.facts import Figure, FiledReport, Probe
from scoring.domain.derive import derive
from scoring.domain.facts import Facts
from scoring.domain.readiness import IndicatorFigure, ReadinessModel
from tests.support.plans import plan_from_seed_data, seed_data


def vn(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=TZ)


LEAD_DUE = vn(2024, 10, 2, 0)
DRAFT_AT = vn(2024, 10, 7, 8)
Q2_FILED = vn(2024, 7, 1, 9)
Q3_STARTS = vn(2024, 7, 1, 0)


@dataclass(frozen=True)
class Quarter:
    plan: Plan
    reports: tuple[FiledReport, ...]
    probes: tuple[Probe, ...]
    figures: dict[int, Figure]  # scoring's, at DRAFT_AT
    previous: dict[int, Figure]  # scoring's, as Q3 began
    scoring: tuple[IndicatorFigure, ...]  # the same, as scoring's model says them


def submitted(plan: Plan, unit: str, body: dict[str, Any], at: datetime) -> ReportSubmitted:
    """A report as intake announces it, from the body a unit POSTs."""
    return ReportSubmitted(
        report_id=uuid.uuid4(),
        version_no=1,
        unit_code=unit,
        plan_year=plan.year,
        period=body["period"],
        submitted_at=at,
        first_submitted_at=at,
        due_at=LEAD_DUE if body["period"] == "Q3" else vn(2024, 7, 2, 0),
        on_time=at < LEAD_DUE,
        tasks=tuple(
            TaskReport(
                task_code=t["task_code"],
                status=TaskStatus(t["status"]),
                work_done=t.get("work_done", ""),
                difficulties=t.get("difficulties", ""),
                proposals=t.get("proposals", ""),
            )
            for t in body["tasks"]
        ),
        analysis=body.get("analysis", ""),
    )


def filed(event: ReportSubmitted) -> FiledReport:
    return FiledReport(
        report_id=event.report_id,
        version_no=event.version_no,
        event_id=event.event_id,
        unit_code=event.unit_code,
        period=event.period,
        reporter=event.reporter,
        submitted_at=event.submitted_at,
        first_submitted_at=event.first_submitted_at or event.submitted_at,
        due_at=event.due_at,
        tasks=event.tasks,
        analysis=event.analysis,
    )


def probe_event(unit: str, url: str, at: datetime, problems: int) -> ProbeFinished:
    """A probe: unreachable (problems == 3), or a portal missing `problems` sections."""
    checks: tuple[CheckResult, ...] = ()
    if problems == 3:
        outcome = ProbeOutcome.UNREACHABLE
    else:
        outcome = ProbeOutcome.OK
        sections = ["planning", "investment_incentives", "administrative_procedures", "qa"]
        checks = (
            *(
                CheckResult(
                    check="section_present",
                    passed=index >= problems,
                    section=section,
                    detail="" if index >= problems else "Không tìm thấy chuyên mục trên cổng",
                    evidence_url=url,
                )
                for index, section in enumerate(sections)
            ),
            CheckResult(check="qa_active", passed=problems == 0, section="qa"),
        )
    return ProbeFinished(
        probe_id=uuid.uuid4(),
        portal_unit_code=unit,
        portal_url=url,
        started_at=at,
        finished_at=at,
        outcome=outcome,
        checks=checks,
        occurred_at=at,
    )


def as_probe(event: ProbeFinished) -> Probe:
    return Probe(
        event.portal_unit_code,
        event.portal_url,
        event.finished_at,
        event.outcome,
        event.checks,
        event.event_id,
    )


def scoring_figures(
    plan: Plan, events: Sequence[Event], at: datetime
) -> tuple[tuple[IndicatorFigure, ...], dict[int, Figure]]:
    """Scoring's figures of these events at `at`, and as reporting keeps them."""
    model = ReadinessModel(plan)
    figures = derive(model, Facts.from_events(events), at).figures
    kept = {
        f.indicator: Figure(
            f.indicator,
            f.readiness,
            tuple(
                Signal(
                    name=s.code,
                    value=s.value,
                    weight=s.weight,
                    evidence=s.evidence,
                    has_data=s.has_data,
                    missing=s.missing,
                )
                for s in f.signals
            ),
            at,
            uuid.uuid4(),
        )
        for f in figures
    }
    return figures, kept


def quarter(
    plan: Plan, q3: list[ReportSubmitted], q2: list[ReportSubmitted], probes: list[ProbeFinished]
) -> Quarter:
    before = [*q2]
    now = [*q2, *q3, *probes]
    _, previous = scoring_figures(plan, before, Q3_STARTS)
    scoring, figures = scoring_figures(plan, now, DRAFT_AT)
    return Quarter(
        plan,
        tuple(filed(e) for e in q3),
        tuple(as_probe(p) for p in probes),
        figures,
        previous,
        scoring,
    )


def seed_q3(plan: Plan) -> Quarter:
    """The demo year's Q3 as `make run` files it: every lead unit but the last at once (the
    first with a task not started), the last late; Q2 filed with less done; 11 of 26 portals
    probed, some short of sections, one unreachable."""
    leads = list(plan.lead_unit_codes_all())
    q3 = [
        submitted(
            plan,
            unit,
            demo_report(plan, unit, idle=unit == leads[0]),
            LEAD_DUE + LATE_AFTER if unit == leads[-1] else vn(2024, 10, 1),
        )
        for unit in leads
    ]
    q2 = [submitted(plan, unit, _q2_body(plan, unit), Q2_FILED) for unit in leads[::2]]
    portals = plan.portal_units()
    probes = [
        probe_event(u.code, str(u.portal), DRAFT_AT - timedelta(hours=n + 1), n % 4)
        for n, u in enumerate(portals[:11])
    ]
    return quarter(plan, q3, q2, probes)


def _q2_body(plan: Plan, unit: str) -> dict[str, Any]:
    tasks = [
        {"task_code": t.code, "status": "done" if i % 2 else "in_progress"}
        for i, t in enumerate(plan.tasks_led_by(unit))
    ]
    return {"period": "Q2", "tasks": tasks}


# --- a province ----------------------------------------------------------------------------------

PROVINCE_DEPARTMENTS, PROVINCE_COMMUNES, PROVINCE_EXTRA_TASKS = 6, 75, 6
SHORT_STAFF = "Cán bộ phụ trách Cổng TTĐT kiêm nhiệm, chưa cập nhật kịp."
SHORT_STAFF_WAYS = (
    SHORT_STAFF,
    unicodedata.normalize("NFD", SHORT_STAFF),
    "Can bo phu trach Cong TTDT kiem nhiem, chua cap nhat kip",
    "Cán bộ phụ trách cổng TTĐT kiêm nhiệm nên chưa cập nhật kịp",
)
NO_FUNDS = "Chưa bố trí được kinh phí số hóa hồ sơ."
NO_FUNDS_WAYS = (NO_FUNDS, "Chua bo tri duoc kinh phi so hoa ho so")
TRAINING = "Đề nghị tỉnh tổ chức tập huấn nghiệp vụ biên tập cho cán bộ phụ trách."


def province_plan() -> Plan:
    """The seed plan grown to 120 lead units (20 departments and centres, 100 communes and
    towns) and 25 tasks (6 more, led by every department and commune)."""
    data = seed_data()
    for n in range(PROVINCE_DEPARTMENTS):
        data["units"].append(
            {
                "code": f"so-{n:02d}",
                "name": f"Phòng Chuyên môn Thử nghiệm số {n + 1}",
                "kind": "department",
                "email": f"so{n:02d}@province.example.invalid",
            }
        )
    for n in range(PROVINCE_COMMUNES):
        data["units"].append(
            {
                "code": f"xa-{n:03d}",
                "name": f"UBND xã Thử Nghiệm {n + 1}",
                "kind": "commune",
                "email": f"xa{n:03d}@province.example.invalid",
                "portal": f"https://xa{n:03d}.province.example.invalid",
            }
        )
    template = next(t for t in data["tasks"] if t["code"] == "6.2")
    for n in range(PROVINCE_EXTRA_TASKS):
        indicator = n % 8 + 1
        code = f"{indicator}.9"
        data["tasks"].append({**template, "code": code, "indicator": indicator})
        for entry in data["indicators"]:
            if entry["number"] == indicator:
                entry["tasks"].append(code)
    return plan_from_seed_data(data)


def province_q3(plan: Plan) -> Quarter:
    """Every lead unit but four files; a quarter of the pairs in progress with a difficulty
    written one of four ways, a few not started for lack of funds (written two ways), one
    proposal shared by many."""
    leads = list(plan.lead_unit_codes_all())
    q3 = []
    for n, unit in enumerate(leads):
        if n % 30 == 29:
            continue  # four units have not filed
        tasks = []
        for i, task in enumerate(plan.tasks_led_by(unit)):
            entry: dict[str, Any] = {
                "task_code": task.code,
                "status": "done",
                "work_done": "Đã thực hiện.",
            }
            if (n + i) % 4 == 3:
                entry.update(
                    status="in_progress",
                    difficulties=SHORT_STAFF_WAYS[(n + i) % len(SHORT_STAFF_WAYS)],
                    proposals=TRAINING if i == 3 else "",
                )
            elif (n * 7 + i) % 41 == 0:
                entry.update(status="not_started", difficulties=NO_FUNDS_WAYS[n % 2])
            tasks.append(entry)
        body = {"period": "Q3", "tasks": tasks, "analysis": "Còn chậm cập nhật một số văn bản."}
        at = LEAD_DUE + LATE_AFTER if n % 25 == 24 else vn(2024, 10, 1)
        q3.append(submitted(plan, unit, body, at))
    q2 = [submitted(plan, unit, _q2_body(plan, unit), Q2_FILED) for unit in leads]
    portals = plan.portal_units()
    probes = [
        probe_event(u.code, str(u.portal), DRAFT_AT - timedelta(minutes=n + 1), n % 5 % 4)
        for n, u in enumerate(portals)
        if n % 6 != 5
    ]
    return quarter(plan, q3, q2, probes)
