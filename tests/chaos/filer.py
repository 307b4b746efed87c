"""The units of the scenario: each files its reports through intake's real HTTP API at the
clock moments the scenario fixed, retrying with the same Idempotency-Key until it holds a
receipt, as a unit's clerk would press "Gửi" again after an error page."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx

from minhbach import tokens
from minhbach.db.session import make_engine, make_sessionmaker
from minhbach.plan import Plan
from tests.chaos.scenario import Filing
from tests.chaos.world import World

RETRY_SECONDS = 0.2
REPORTS = "/api/v1/reports"
REPORT_KINDS = ("quarterly_report", "annual_report")


@dataclass(frozen=True)
class Receipt:
    unit: str
    period: str
    report_id: UUID
    version_no: int
    on_time: bool
    at: datetime | None = None  # clock time the receipt came


@dataclass
class Filer:
    world: World
    plan: Plan
    receipts: list[Receipt] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)  # answers that were neither 2xx nor 5xx
    _tokens: dict[str, str] = field(default_factory=dict)

    async def report_deadlines(self) -> list[tuple[str, str, str, datetime]]:
        """(unit, obligation id, period, due at) of every lead unit's report, from scoring."""
        async with httpx.AsyncClient(
            base_url=self.world.url("scoring") + "/api/v1", timeout=10
        ) as http:
            params: list[tuple[str, str | int]] = [("kind", k) for k in REPORT_KINDS]
            page = (await http.get("/obligations", params=[*params, ("limit", 1000)])).json()
        return [
            (o["unit_code"], o["obligation_id"], o["period"], datetime.fromisoformat(o["due_at"]))
            for o in page["items"]
        ]

    async def issue_tokens(self) -> None:
        from intake.db import unit_tokens

        engine = make_engine(self.world.pg.url, pool_size=1)
        try:
            sessions = make_sessionmaker(engine)
            for unit in self.plan.lead_unit_codes_all():
                self._tokens[unit] = await tokens.issue_token(sessions, unit_tokens, unit)
        finally:
            await engine.dispose()

    async def run(self, planned: list[Filing]) -> None:
        """Each unit's report for a period on its own (a unit waiting out an outage does not
        hold up the others); a period's amendment after its first filing."""
        by_report: dict[tuple[str, str], list[Filing]] = {}
        for filing in planned:
            by_report.setdefault((filing.unit, filing.period), []).append(filing)
        async with httpx.AsyncClient(base_url=self.world.url("intake"), timeout=5) as http:
            await asyncio.gather(*(self._file_in_turn(http, f) for f in by_report.values()))

    async def _file_in_turn(self, http: httpx.AsyncClient, in_turn: list[Filing]) -> None:
        report_id: UUID | None = None
        for filing in in_turn:
            await asyncio.sleep(self._real_seconds_until(filing.at))
            if filing.amends and report_id is None:
                return  # its first filing was refused: nothing to amend
            path = f"{REPORTS}/{report_id}/versions" if filing.amends else REPORTS
            receipt = await self._until_receipt(http, filing, path)
            if receipt is None:
                return
            report_id = receipt.report_id
            self.receipts.append(receipt)

    def _real_seconds_until(self, moment: datetime) -> float:
        clock = self.world.clock
        return max(0.0, (moment - clock.now()).total_seconds() / clock.speed)

    async def _until_receipt(
        self, http: httpx.AsyncClient, filing: Filing, path: str
    ) -> Receipt | None:
        key = f"chaos-{filing.unit}-{filing.period}-{'amend' if filing.amends else 'first'}"
        headers = {"Authorization": f"Bearer {self._tokens[filing.unit]}", "Idempotency-Key": key}
        body = self._report(filing)
        while True:
            try:
                response = await http.post(path, json=body, headers=headers)
            except httpx.TransportError:
                await asyncio.sleep(RETRY_SECONDS)
                continue
            if response.status_code in (200, 201):
                data = response.json()
                report_id = UUID(data["report_id"])
                return Receipt(
                    filing.unit,
                    filing.period,
                    report_id,
                    data["version_no"],
                    data["on_time"],
                    self.world.clock.now(),
                )
            if response.status_code >= 500:
                await asyncio.sleep(RETRY_SECONDS)
                continue
            self.refusals.append(
                f"{filing.unit} {filing.period}: {response.status_code} {response.text[:200]}"
            )
            return None

    def _report(self, filing: Filing) -> dict[str, Any]:
        tasks = [
            {
                "task_code": task.code,
                "status": "in_progress" if index % 3 == 2 else "done",
                "work_done": f"Đã triển khai nhiệm vụ {task.code}.",
                "difficulties": "Thiếu nhân lực." if index % 3 == 2 else "",
            }
            for index, task in enumerate(self.plan.tasks_led_by(filing.unit))
        ]
        analysis = "Bản bổ sung: đã cập nhật số liệu." if filing.amends else "Đã triển khai."
        return {
            "plan_year": self.plan.year,
            "period": filing.period,
            "reporter": "lead_units",
            "tasks": tasks,
            "analysis": analysis,
        }
