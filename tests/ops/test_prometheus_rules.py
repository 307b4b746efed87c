"""Prometheus configuration and alert rules, checked and unit-tested by Debian's promtool."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from minhbach.settings import REPO_ROOT
from tests.ops.tools import PROMETHEUS_DIR, require_tool, run_tool

RULE_FILES = sorted((PROMETHEUS_DIR / "rules").glob("*.yml"))
RULE_TESTS = sorted((PROMETHEUS_DIR / "tests").glob("*.yml"))
OPERATING_DOC = REPO_ROOT / "docs" / "operating.md"


def _alerts() -> list[dict[str, Any]]:
    alerts = []
    for path in RULE_FILES:
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            alerts += [rule for rule in group["rules"] if "alert" in rule]
    return alerts


def test_promtool_accepts_the_configuration() -> None:
    promtool = require_tool("promtool", "prometheus")
    result = run_tool([promtool, "check", "config", PROMETHEUS_DIR / "prometheus.yml"])
    assert result.returncode == 0, result.stdout + result.stderr
    for path in RULE_FILES:  # check config also checks the rule files it names
        assert path.name in result.stdout


def test_promtool_accepts_the_rules() -> None:
    promtool = require_tool("promtool", "prometheus")
    result = run_tool([promtool, "check", "rules", *RULE_FILES])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("test_file", RULE_TESTS, ids=lambda p: p.name)
def test_rule_unit_tests_pass(test_file: Path) -> None:
    promtool = require_tool("promtool", "prometheus")
    result = run_tool([promtool, "test", "rules", test_file.name], cwd=test_file.parent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_is_unit_tested() -> None:
    tested = "\n".join(path.read_text(encoding="utf-8") for path in RULE_TESTS)
    untested = [a["alert"] for a in _alerts() if f"alertname: {a['alert']}\n" not in tested]
    assert not untested


def test_every_alert_has_a_runbook_section_in_the_operating_guide() -> None:
    guide = OPERATING_DOC.read_text(encoding="utf-8")
    headings = {m.lower() for m in re.findall(r"^#+ .*?(\w+)\s*$", guide, flags=re.MULTILINE)}
    for alert in _alerts():
        assert alert["annotations"]["runbook"] == f"docs/operating.md#{alert['alert'].lower()}"
        assert alert["labels"]["severity"] in {"warning", "critical"}
        assert alert["alert"].lower() in headings, alert["alert"]
