"""`make run`'s stand-in for the units: they file their Q3 reports through intake's real HTTP
API with real tokens, so the focal unit's consolidated draft appears in the demo.

As an operator would, it issues each lead unit an intake token (stored hashed by intake) and the
focal unit a token for the coordinator's page (printed, and kept in var/demo-tokens.txt). Every
lead unit but one files at once, on time; one task is reported not started with its reason; the
last unit files late, once the demo clock has passed its deadline, which completes the filings.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import httpx

from intake.auth import issue_token
from minhbach.clock import Clock, clock_from_settings
from minhbach.db.session import make_engine, make_sessionmaker
from minhbach.observability.logging import configure_logging, get_logger
from minhbach.plan import Plan, load_plan
from minhbach.settings import Settings
from reporting.access import issue_reader_token

log = get_logger("minhbach.demo_filer")

PERIOD = "Q3"
LATE_AFTER = timedelta(hours=8)  # past the lead deadline (00:00 local), in demo-clock time
# {government}: the plan's issuer (`plan.words.government`, e.g. "UBND tỉnh Bắc Ninh").
NOT_STARTED_REASON = (
    "Chưa bố trí được kinh phí và nhân lực số hóa hồ sơ quy hoạch; đề nghị {government} hỗ trợ."
)


def serve_demo_filer(settings: Settings) -> None:
    configure_logging("demo-filer", settings.log_level)
    asyncio.run(file_demo_reports(settings))


async def file_demo_reports(settings: Settings) -> None:
    plan = load_plan(settings.plan_file)
    clock = clock_from_settings(settings.clock_start, settings.clock_speed, settings.clock_anchor)
    engine = make_engine(settings.database_url, pool_size=1)
    sessions = make_sessionmaker(engine)
    leads = list(plan.lead_unit_codes_all())
    try:
        intake_tokens = {u: await issue_token(sessions, u) for u in leads}
        page_token = await issue_reader_token(sessions, plan.roles.focal_unit)
    finally:
        await engine.dispose()
    (settings.var_dir / "demo-tokens.txt").write_text(
        f"coordinator's page ({plan.roles.focal_unit}): {page_token}\n", encoding="utf-8"
    )
    log.info(
        "coordinator's page",
        url=f"{settings.public_reporting_url}/bao-cao-tong-hop",
        token=page_token,
    )
    base = f"http://{settings.bind_host}:{settings.intake_port}"
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        await _wait_ready(http)
        due = _lead_due(plan)
        for unit in leads[:-1]:
            await _file(http, plan, unit, intake_tokens[unit], idle=unit == leads[0])
        await _wait_until(clock, due + LATE_AFTER)
        await _file(http, plan, leads[-1], intake_tokens[leads[-1]], idle=False)
    log.info("demo reports filed", units=len(leads), period=PERIOD)
    await asyncio.Event().wait()  # a dev process of `make run` lives as long as the stack


def _lead_due(plan: Plan) -> datetime:
    """The lead units' deadline for the demo's period (the earliest rule asking for it)."""
    calendar = plan.working_calendar()
    rules = plan.reporting_rules_covering("lead_units", PERIOD)
    if not rules:
        raise ValueError(f"the demo files {PERIOD} reports: the plan has no lead_units rule for it")
    return min(rule.due(calendar, plan.year, PERIOD) for rule in rules)


async def _wait_ready(http: httpx.AsyncClient) -> None:
    while True:
        try:
            if (await http.get("/readyz")).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(1.0)


async def _wait_until(clock: Clock, moment: datetime) -> None:
    while True:
        if clock.now() >= moment:
            return
        await asyncio.sleep(1.0)


async def _file(http: httpx.AsyncClient, plan: Plan, unit: str, token: str, *, idle: bool) -> None:
    response = await http.post(
        "/api/v1/reports",
        json=demo_report(plan, unit, idle=idle),
        headers={"Authorization": f"Bearer {token}"},
    )
    if response.status_code not in (201, 409):  # 409: filed by an earlier run
        log.warning("demo report refused", unit=unit, status=response.status_code)


def demo_report(plan: Plan, unit: str, *, idle: bool) -> dict[str, Any]:
    tasks: list[dict[str, Any]] = []
    for index, task in enumerate(plan.tasks_led_by(unit)):
        if idle and index == 0:
            tasks.append(
                {
                    "task_code": task.code,
                    "status": "not_started",
                    "difficulties": NOT_STARTED_REASON.format(government=plan.words.government),
                }
            )
        elif index % 4 == 3:
            tasks.append(
                {
                    "task_code": task.code,
                    "status": "in_progress",
                    "work_done": f"Đang triển khai nhiệm vụ {task.code}.",
                    "difficulties": "Cán bộ phụ trách Cổng TTĐT kiêm nhiệm, chưa cập nhật kịp.",
                    "proposals": "Đề nghị tập huấn nghiệp vụ biên tập cho cán bộ phụ trách.",
                }
            )
        else:
            tasks.append(
                {
                    "task_code": task.code,
                    "status": "done",
                    "work_done": f"Đã thực hiện nhiệm vụ {task.code} trong quý.",
                    "evidence": [
                        {
                            "url": f"https://{unit}.example.invalid/van-ban/{task.code}",
                            "document_number": "113/KH-UBND",
                            "issued_on": f"{plan.year}-04-02",
                        }
                    ],
                }
            )
    return {
        "plan_year": plan.year,
        "period": PERIOD,
        "reporter": "lead_units",
        "tasks": tasks,
        "analysis": (
            "Đơn vị đã triển khai các nhiệm vụ được giao; còn chậm cập nhật một số văn bản "
            "do thiếu nhân lực."
        ),
    }
