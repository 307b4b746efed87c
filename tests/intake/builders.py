"""Plans and reports for intake tests.

`intake_plan()` is the seed plan plus extra communes with unique codes, so that tests sharing one
database and one JetStream never file for the same unit and period.
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from intake.models import ReportIn
from minhbach.plan import Plan
from tests.support.plans import plan_from_seed_data, seed_data

EXTRA_COMMUNES = 40
RUN = uuid.uuid4().hex[:6]


@cache
def intake_plan() -> Plan:
    data = seed_data()
    for n in range(EXTRA_COMMUNES):
        data["units"].append(
            {
                "code": f"t{RUN}-{n:02d}",
                "name": f"UBND xã Thử Nghiệm {n:02d}",
                "kind": "commune",
                "email": f"t{n:02d}@test.example.invalid",
                "portal": f"https://t{RUN}-{n:02d}.example.invalid",
            }
        )
    return plan_from_seed_data(data)


class Communes:
    """Hands out test communes nobody has used in this test session."""

    def __init__(self) -> None:
        self._next = 0

    def take(self) -> str:
        code = f"t{RUN}-{self._next:02d}"
        self._next += 1
        assert self._next <= EXTRA_COMMUNES, "raise EXTRA_COMMUNES"
        return code


COMMUNES = Communes()


def report_body(
    plan: Plan,
    unit_code: str,
    period: str = "Q2",
    *,
    reporter: str = "lead_units",
    skip: tuple[str, ...] = (),
    analysis: str = "Còn chậm cập nhật văn bản; đề xuất tập huấn cho cán bộ phụ trách cổng.",
    year: int | None = None,
) -> dict[str, Any]:
    """A complete, valid report: every expected task done with evidence, except `skip`."""
    tasks = plan.tasks if reporter == "focal_unit" else plan.tasks_led_by(unit_code)
    return {
        "plan_year": year or plan.year,
        "period": period,
        "reporter": reporter,
        "tasks": [
            {
                "task_code": task.code,
                "status": "done",
                "work_done": f"Đã thực hiện nhiệm vụ {task.code}.",
                "evidence": [
                    {
                        "url": f"https://{unit_code}.example.invalid/van-ban/{task.code}",
                        "document_number": "113/KH-UBND",
                        "issued_on": f"{plan.year}-04-02",
                    }
                ],
            }
            for task in tasks
            if task.code not in skip
        ],
        "analysis": analysis,
    }


def report_in(plan: Plan, unit_code: str, period: str = "Q2", **kwargs: Any) -> ReportIn:
    return ReportIn.model_validate(report_body(plan, unit_code, period, **kwargs))
