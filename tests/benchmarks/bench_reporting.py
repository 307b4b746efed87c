"""Reporting: drafting the consolidated report (.docx with its appendix, HTML and the
appendix's .xlsx) for a district of 1,000 lead units with 20 tasks each (20,000 task lines),
against building the same figures without the document (the report's content: who filed,
statuses, grouped reasons, difficulties and proposals, portal findings). Aim: under 2 s.

The PDF is LibreOffice's time, not ours, and is left out (minutes for a 600-page report)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import datetime

from minhbach.calendar import TZ
from minhbach.events.catalogue import CheckResult, ProbeOutcome, TaskReport, TaskStatus
from minhbach.plan import Plan
from reporting import report_document
from reporting.domain.consolidated import consolidated_report
from reporting.domain.facts import FiledReport, Probe
from reporting.domain.schedule import DEADLINE, report_periods
from reporting.drafting import build_files
from tests.benchmarks.env import BenchEnv
from tests.benchmarks.table import BenchRow
from tests.support.plans import plan_from_seed_data, seed_data

UNITS, TASKS, REPEATS = 1000, 20, 3
NOW = datetime(2024, 10, 7, 8, tzinfo=TZ)


def district_plan() -> Plan:
    """The seed plan with 1,000 communes, each leading the plan's first 20 tasks."""
    data = seed_data()
    for n in range(UNITS):
        data["units"].append(
            {
                "code": f"xa-{n:04d}",
                "name": f"UBND xã Thử Nghiệm {n:04d}",
                "kind": "commune",
                "email": f"xa{n:04d}@bench.example.invalid",
                "portal": f"https://xa{n:04d}.bench.example.invalid",
            }
        )
    for index, task in enumerate(data["tasks"]):
        task["lead"] = ["all_communes"] if index < TASKS else task["lead"]
    data["tasks"] = data["tasks"][:TASKS] if len(data["tasks"]) >= TASKS else data["tasks"]
    return plan_from_seed_data(data)


def facts(plan: Plan) -> tuple[list[FiledReport], list[Probe]]:
    reports, probes = [], []
    for n, unit in enumerate(u.code for u in plan.communes()):
        at = datetime(2024, 10, 1, 9, tzinfo=TZ)
        tasks = tuple(
            TaskReport(
                task_code=task.code,
                status=(TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED)[i % 3],
                work_done="Đã đăng tải đầy đủ văn bản trên Cổng TTĐT của xã.",
                difficulties="" if i % 3 == 0 else "Thiếu cán bộ phụ trách Cổng TTĐT.",
                proposals="Đề nghị tập huấn." if i == 0 else "",
            )
            for i, task in enumerate(plan.tasks_led_by(unit))
        )
        if n % 50 != 49:  # one unit in fifty has not filed
            reports.append(
                FiledReport(uuid.uuid4(), 1, uuid.uuid4(), unit, "Q3", "lead_units", at, at,
                            datetime(2024, 10, 2, tzinfo=TZ), tasks, "Kết quả thực chất.")
            )  # fmt: skip
        check = CheckResult(
            check="section_fresh", passed=n % 7 != 0, section="qa", detail="Chuyên mục cũ."
        )
        probes.append(
            Probe(unit, f"https://{unit}.example", at, ProbeOutcome.OK, (check,), uuid.uuid4())
        )
    return reports, probes


def best_of(work: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


async def run(env: BenchEnv) -> list[BenchRow]:
    plan = district_plan()
    period = next(p for p in report_periods(plan, plan.working_calendar()) if p.period == "Q3")
    reports, probes = facts(plan)
    lines = sum(len(plan.tasks_led_by(u.code)) for u in plan.communes())

    def content() -> object:
        return consolidated_report(plan, period, reports, {}, probes, NOW, DEADLINE)

    def draft() -> object:
        document = report_document.consolidated_document(plan, consolidated_report(
            plan, period, reports, {}, probes, NOW, DEADLINE), 1)  # fmt: skip
        return build_files(document)

    baseline = best_of(content)
    drafting = best_of(draft)
    label = "the same figures, no document"
    name = f"reporting ({UNITS:,} units x {TASKS} tasks = {lines:,} lines)"
    rows = [
        BenchRow(name, "draft .docx + HTML + .xlsx", drafting, "s", baseline, label, False),
        BenchRow(name, "figures only", baseline, "s", None, "", False),
    ]
    return rows
