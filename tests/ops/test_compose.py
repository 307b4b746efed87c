"""The production compose file: valid for Debian's docker-compose, secrets only from environment.

No container is started (there is no Docker engine here): `docker-compose config` validates and
resolves the file, and the tests read the resolved form.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
import yaml

from minhbach.infra.embedded import nats_server_binary
from minhbach.services import SERVICES
from minhbach.settings import REPO_ROOT, Settings
from tests.ops.tools import COMPOSE_FILE, DEPLOY, require_tool, run_tool

# Everything the file demands with ${VAR:?...}; dummy values stand in for the operator's secrets.
REQUIRED_ENV = {
    "POSTGRES_PASSWORD": "dummy-postgres-secret",
    "GRAFANA_ADMIN_PASSWORD": "dummy-grafana-secret",
    "MINHBACH_PUBLIC_INTAKE_URL": "https://minhbach.example.gov.vn",
    "MINHBACH_SMTP_HOST": "smtp.example.gov.vn",
    "MINHBACH_SMTP_USERNAME": "minhbach",
    "MINHBACH_SMTP_PASSWORD": "dummy-smtp-secret",
    "MINHBACH_MAIL_FROM": "Minh Bạch <minhbach@example.gov.vn>",
    "MINHBACH_PORTAL_ALLOWED_NETWORKS": '["0.0.0.0/0"]',
    "MINHBACH_PORTAL_CONTACT": "it@example.gov.vn",
    "MINHBACH_REPORTING_SERVICE_TOKEN": "dummy-reporting-service-token",
}


def _compose_config(env: dict[str, str], *extra: str) -> tuple[int, str, str]:
    tool = require_tool("docker-compose", "docker-compose")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MINHBACH_", "COMPOSE_"))}
    for name in ("POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD"):
        clean.pop(name, None)
    result = run_tool(
        [tool, "--project-directory", DEPLOY, "-f", COMPOSE_FILE, *extra, "config"],
        env={**clean, **env},
    )
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def resolved() -> dict[str, Any]:
    code, out, err = _compose_config(REQUIRED_ENV)
    assert code == 0, err
    parsed: dict[str, Any] = yaml.safe_load(out)
    return parsed


def test_compose_file_is_valid_with_the_required_environment(resolved: dict[str, Any]) -> None:
    expected = {"nats", "postgres", "migrate", "prometheus", "grafana", "nats-exporter"}
    expected |= {spec.name for spec in SERVICES}
    assert expected <= set(resolved["services"])


@pytest.mark.parametrize("missing", sorted(REQUIRED_ENV))
def test_each_secret_must_come_from_the_environment(missing: str) -> None:
    env = {k: v for k, v in REQUIRED_ENV.items() if k != missing}
    code, _, err = _compose_config(env)
    assert code != 0
    assert missing in err


def test_no_password_is_written_in_the_file() -> None:
    raw = COMPOSE_FILE.read_text(encoding="utf-8")
    for line in raw.splitlines():
        if re.match(r"\s*\w*PASSWORD\s*:", line):
            value = line.split(":", 1)[1].strip()
            assert re.fullmatch(r"\$\{\w+:?\?[^}]*\}", value), line


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_each_service_runs_the_one_image_and_is_checked_on_readyz(
    resolved: dict[str, Any], spec: Any
) -> None:
    service = resolved["services"][spec.name]
    port = spec.port(Settings())
    assert service["command"] == ["serve", spec.name]
    assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    assert service["restart"] == "unless-stopped"
    assert f"http://127.0.0.1:{port}/readyz" in " ".join(service["healthcheck"]["test"])
    assert isinstance(service["deploy"]["replicas"], int)
    env = service["environment"]
    assert env["MINHBACH_BIND_HOST"] == "0.0.0.0"
    assert env["MINHBACH_DATABASE_URL"].endswith("@postgres:5432/minhbach")
    assert REQUIRED_ENV["POSTGRES_PASSWORD"] in env["MINHBACH_DATABASE_URL"]
    assert env["MINHBACH_NATS_URL"] == "nats://nats:4222"
    assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_replica_counts_come_from_the_environment() -> None:
    code, out, err = _compose_config({**REQUIRED_ENV, "MINHBACH_PORTAL_MONITOR_REPLICAS": "3"})
    assert code == 0, err
    assert yaml.safe_load(out)["services"]["portal-monitor"]["deploy"]["replicas"] == 3


def test_smtp_relay_settings_reach_the_notifier(resolved: dict[str, Any]) -> None:
    env = resolved["services"]["notifier"]["environment"]
    assert env["MINHBACH_SMTP_HOST"] == REQUIRED_ENV["MINHBACH_SMTP_HOST"]
    assert env["MINHBACH_SMTP_PASSWORD"] == REQUIRED_ENV["MINHBACH_SMTP_PASSWORD"]
    assert env["MINHBACH_SMTP_PORT"] == "587"


def test_every_setting_the_file_passes_exists(resolved: dict[str, Any]) -> None:
    known = {f"MINHBACH_{name.upper()}" for name in Settings.model_fields}
    for spec in SERVICES:
        passed = set(resolved["services"][spec.name]["environment"])
        assert passed <= known, passed - known


def test_cluster_profile_adds_two_nats_nodes(resolved: dict[str, Any]) -> None:
    for node in ("nats-2", "nats-3"):
        assert resolved["services"][node]["profiles"] == ["cluster"]
    code, out, err = _compose_config({**REQUIRED_ENV, "MINHBACH_NATS_MODE": "cluster"})
    assert code == 0, err
    assert yaml.safe_load(out)["services"]["nats"]["command"] == ["-c", "/etc/nats/cluster.conf"]


@pytest.mark.parametrize("name", ["single", "cluster"])
def test_nats_configurations_are_valid(name: str) -> None:
    result = run_tool(
        [nats_server_binary(), "-t", "-c", DEPLOY / "nats" / f"{name}.conf"],
        env={**os.environ, "NATS_SERVER_NAME": "nats-test"},
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_dockerfile_copies_what_exists_and_serves_through_the_cli() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (REPO_ROOT / source).exists(), source
    assert 'ENTRYPOINT ["minhbach"]' in text
    assert "MINHBACH_BIND_HOST=0.0.0.0" in text
