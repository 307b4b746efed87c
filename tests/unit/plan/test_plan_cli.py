"""`minhbach plan validate` and `minhbach plan show`, through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minhbach.cli.plan import plan_app
from minhbach.plan import default_plan_path
from tests.unit.plan.helpers import edited, line_of, task_index

runner = CliRunner()


def test_validate_accepts_the_seed_plan() -> None:
    result = runner.invoke(plan_app, ["validate", str(default_plan_path())])
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout
    assert "8 indicators, 19 tasks" in result.stdout


def test_validate_warns_about_a_year_without_official_swapped_days(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed = runner.invoke(plan_app, ["validate", str(default_plan_path())])
    assert seed.exit_code == 0 and "warning" not in seed.stderr  # 2024 and 2025 have tables
    # As if 2025's notices were not in the table yet (the seed plan's deadlines reach 2025).
    monkeypatch.setattr("minhbach.cli.plan.has_official_table", lambda year: year != 2025)
    result = runner.invoke(plan_app, ["validate", str(default_plan_path())])
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout
    assert "warning: no table of official swapped days for 2025" in result.stderr
    assert "for 2024" not in result.stderr


def test_validate_rejects_a_broken_plan_one_line_per_issue(tmp_path: Path) -> None:
    text = edited("lead: [tu-phap]", "lead: [tu-phap-x]").replace(
        "notify: pct-phu-trach", "notify: nobody"
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    result = runner.invoke(plan_app, ["validate", str(broken)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0] == (
        f"{broken}:{line_of(text, 'lead: [tu-phap-x]')}: tasks[{task_index('5.1')}].lead[0]: "
        "unknown unit or group 'tu-phap-x'"
    )
    assert lines[1] == (
        f"{broken}:{line_of(text, 'notify: nobody')}: escalation.steps[1].notify: "
        "unknown unit 'nobody'"
    )


def test_validate_reports_a_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(plan_app, ["validate", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 1
    assert "cannot read the plan file" in result.stdout


def test_show_prints_a_summary() -> None:
    result = runner.invoke(plan_app, ["show", "--file", str(default_plan_path())])
    assert result.exit_code == 0, result.output
    assert "Lục Nam" in result.stdout
    assert "7.2  lead: vhtt (1 unit); due by 2024-11-29" in result.stdout
    assert "Phòng Văn hóa và Thông tin" in result.stdout


def test_show_json_has_every_indicator_task_unit_and_rule() -> None:
    result = runner.invoke(plan_app, ["show", "--json", "--file", str(default_plan_path())])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["indicators"]) == 8
    assert len(data["tasks"]) == 19
    assert len(data["units"]) >= 25 + 7
    assert len(data["reporting_rules"]) == 4
    assert data["escalation"]["reminders_before_due_working_days"] == [7, 3, 1]
    task = next(t for t in data["tasks"] if t["code"] == "7.2")
    assert task["timing"]["deadline"] == "2024-11-29"
    assert task["lead_units"] == ["vhtt"]
    assert data["meta"]["references"][0]["date"] == "2024-03-11"


def test_show_defaults_to_the_configured_plan_file() -> None:
    result = runner.invoke(plan_app, ["show", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["meta"]["locality"] == "Lục Nam"


def test_show_rejects_a_broken_plan(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(edited("year: 2024", "year: twenty"), encoding="utf-8")
    result = runner.invoke(plan_app, ["show", "--file", str(broken)])
    assert result.exit_code == 1
    assert "meta.year" in result.output
