"""`minhbach run` (what `make run` starts): all four services reach ready; however it is stopped
(Ctrl-C to its process group, SIGTERM, or the runner killed with SIGKILL), nothing of it is left
holding a port or a socket, and it starts again. Every shipped plan runs end to end: its portals
are probed on the simulator and its inspection notice is drafted in the plan's own words."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from minhbach.infra.embedded import free_port, free_port_range
from minhbach.infra.run_state import STATE_FILE
from minhbach.plan import load_plan
from minhbach.services import SERVICES
from minhbach.settings import REPO_ROOT, Settings
from minhbach_dev.demo_clock import resume_point
from minhbach_dev.run import DEMO_CLOCK_START

pytestmark = pytest.mark.slow

STOP_WITHIN_SECONDS = 30.0
PLANS = sorted((REPO_ROOT / "shared" / "plans").glob("*.yaml"))


@dataclass
class StackUnderTest:
    """A `minhbach run` on free ports with its own var/ folder."""

    var_dir: Path
    env: dict[str, str]
    ports: dict[str, int]
    plan_file: Path
    process: subprocess.Popen[bytes] | None = None
    passed: bool = False

    def start(self) -> None:
        log = (self.var_dir.parent / "run.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "minhbach", "run"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives `make run`
        )
        log.close()
        with httpx.Client(timeout=2) as client:
            deadline = time.monotonic() + 180
            while not all(_ready(client, self.ports[s.port_setting]) for s in SERVICES):
                assert self.process.poll() is None, f"minhbach run exited early\n{self.log()}"
                assert time.monotonic() < deadline, f"not ready within 180 s\n{self.log()}"
                time.sleep(0.5)

    def log(self) -> str:
        """The runner's own lines and any error (services' per-event lines drown them), then
        the tail."""
        text = (self.var_dir.parent / "run.log").read_text(errors="replace")
        notable = [
            line
            for line in text.splitlines()
            if "service=run" in line or "rror" in line or "Traceback" in line or "exited" in line
        ]
        return "\n".join(notable[-40:]) + "\n...\n" + text[-2000:]

    def leftovers(self) -> list[str]:
        """Processes of this stack still alive: any with our var/ in its command or environment."""
        marker = str(self.var_dir).encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes()
                environ = (entry / "environ").read_bytes()
                state = (entry / "stat").read_text().split(") ", 1)[1][0]
            except OSError:
                continue
            if state != "Z" and (marker in cmdline or marker in environ):
                found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
        return found

    def listening(self) -> list[int]:
        busy = []
        for port in self.ports.values():
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    busy.append(port)
        return busy

    def postgres_sockets(self) -> list[Path]:
        return list(self.var_dir.glob("pg/.s.PGSQL.*"))

    def assert_nothing_left(self) -> None:
        deadline = time.monotonic() + STOP_WITHIN_SECONDS
        while self.leftovers() or self.listening() or self.postgres_sockets():
            assert time.monotonic() < deadline, (
                f"left after {STOP_WITHIN_SECONDS} s: processes {self.leftovers()}, "
                f"ports {self.listening()}, sockets {self.postgres_sockets()}\n{self.log()}"
            )
            time.sleep(0.25)


def _ready(client: httpx.Client, port: int) -> bool:
    try:
        return client.get(f"http://127.0.0.1:{port}/readyz").status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def stack(request: pytest.FixtureRequest) -> Iterator[StackUnderTest]:
    # Under the repository's var/, not pytest's tmp_path: PostgreSQL runs as another user when
    # we are root, and any pytest session starting meanwhile makes /tmp/pytest-of-root 0700.
    root = REPO_ROOT / "var" / "test" / f"stack-{os.getpid()}-{request.node.callspec.id}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    plan_file = Path(getattr(request, "param", None) or Settings().plan_file)  # indirect: a plan
    portals = len(load_plan(plan_file).portal_units())
    simulator_base = free_port_range(portals)
    ports = {spec.port_setting: free_port() for spec in SERVICES}
    ports |= {
        "embedded_nats_port": free_port(),
        "embedded_nats_monitor_port": free_port(),
        "smtp_port": free_port(),
        "portal_simulator_base_port": simulator_base,
    }
    var_dir = root / "var"
    env = {
        **os.environ,
        "MINHBACH_VAR_DIR": str(var_dir),
        "MINHBACH_LOG_LEVEL": "WARNING",
        "MINHBACH_PLAN_FILE": str(plan_file),
        **{f"MINHBACH_{name.upper()}": str(port) for name, port in ports.items()},
    }
    for configured in ("MINHBACH_DATABASE_URL", "MINHBACH_NATS_URL", "MINHBACH_PORTAL_ADDRESS_MAP"):
        env.pop(configured, None)
    under_test = StackUnderTest(var_dir, env, ports, plan_file)
    yield under_test
    if under_test.process is not None and under_test.process.poll() is None:
        os.killpg(under_test.process.pid, signal.SIGKILL)
    if under_test.passed:
        shutil.rmtree(root, ignore_errors=True)  # kept after a failure, for its run.log


def ctrl_c(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends `make run`'s process group


def sigterm(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)


def sigkill(process: subprocess.Popen[bytes]) -> None:
    process.kill()  # the runner only: its children must notice by themselves


def _a_newcomer_gets_a_token_and_uses_it(stack: StackUnderTest) -> None:
    """The README's command, pasted with no variables set but the plan's file: it finds the
    running stack's servers (var/run.json) by itself."""
    assert (stack.var_dir / STATE_FILE).exists()
    unit = next(u.code for u in load_plan(stack.plan_file).units)
    issued = subprocess.run(
        [sys.executable, "-m", "minhbach", "units", "issue-token", unit],
        env={
            "PATH": os.environ["PATH"],
            "MINHBACH_VAR_DIR": str(stack.var_dir),
            "MINHBACH_PLAN_FILE": str(stack.plan_file),
        },
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    port = stack.ports["intake_port"]
    me = httpx.get(
        f"http://127.0.0.1:{port}/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert me.status_code == 200 and me.json()["unit_code"] == unit


@pytest.mark.parametrize("stop", [ctrl_c, sigterm, sigkill], ids=["ctrl-c", "sigterm", "sigkill"])
def test_start_stop_start_leaves_nothing_running(
    stack: StackUnderTest, stop: Callable[[subprocess.Popen[bytes]], None]
) -> None:
    stack.start()
    assert stack.process is not None
    _a_newcomer_gets_a_token_and_uses_it(stack)
    stop(stack.process)
    code = stack.process.wait(timeout=STOP_WITHIN_SECONDS)
    if stop is not sigkill:
        assert code == 0, stack.log()
        assert not (stack.var_dir / STATE_FILE).exists()
    stack.assert_nothing_left()
    stopped_at = resume_point(stack.var_dir)  # the demo clock's last reading, kept in var/
    assert stopped_at is not None and stopped_at > DEMO_CLOCK_START, stack.log()

    stack.start()  # the same ports, the same data: nothing stands in the way
    resumed = resume_point(stack.var_dir)
    assert resumed is not None and resumed >= stopped_at, "the demo clock went back"
    sigterm(stack.process)
    assert stack.process.wait(timeout=STOP_WITHIN_SECONDS) == 0, stack.log()
    stack.assert_nothing_left()
    stack.passed = True


def _drafted_notice(stack: StackUnderTest, within: float = 240.0) -> str:
    """The text of the first inspection notice the running stack drafts (.docx, read back)."""
    tokens = stack.var_dir / "demo-tokens.txt"
    port = stack.ports["reporting_port"]
    deadline = time.monotonic() + within
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        while True:
            assert stack.process is not None and stack.process.poll() is None, stack.log()
            assert time.monotonic() < deadline, (
                f"no inspection notice within {within} s\n{stack.log()}"
            )
            if tokens.exists():
                token = tokens.read_text(encoding="utf-8").rsplit(": ", 1)[-1].strip()
                headers = {"Authorization": f"Bearer {token}"}
                drafts = client.get("/api/v1/drafts", headers=headers)
                listed = drafts.json() if drafts.status_code == 200 else []
                notices = [d for d in listed if d["kind"] == "inspection_notice"]
                if notices:
                    docx = client.get(notices[0]["docx_path"], headers=headers)
                    assert docx.status_code == 200
                    return _docx_text(docx.content)
            time.sleep(2)


def _docx_text(data: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


@pytest.mark.parametrize("stack", PLANS, indirect=True, ids=[p.stem for p in PLANS])
def test_every_shipped_plan_runs_and_its_notice_speaks_its_words(stack: StackUnderTest) -> None:
    """`MINHBACH_PLAN_FILE=shared/plans/<plan> make run`: ready, a token, the portals probed and
    the inspection notice drafted with the plan's task, portals, issuer and regulation."""
    plan = load_plan(stack.plan_file)
    assert plan.drafting is not None and plan.portal_monitoring is not None
    stack.start()
    _a_newcomer_gets_a_token_and_uses_it(stack)
    text = _drafted_notice(stack)
    kind = plan.drafting.inspection_notice
    assert f"Thực hiện nhiệm vụ {kind.task} tại" in text, text
    assert plan.words.inspected_portals in text, text
    assert plan.unit(kind.issuer or plan.roles.focal_unit).name in text, text
    in_force = {r.name for r in plan.portal_monitoring.regulations}
    assert any(f"theo {name}," in text for name in in_force), text
    if plan.meta.level != "district":
        assert "huyện" not in text.lower() and "thị trấn" not in text, text
    assert stack.process is not None
    ctrl_c(stack.process)
    assert stack.process.wait(timeout=STOP_WITHIN_SECONDS) == 0, stack.log()
    stack.assert_nothing_left()
    stack.passed = True
