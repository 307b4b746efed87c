"""The rules docs/architecture.md states, checked on the source (issue 22).

- No service imports another; they meet only through events, HTTP and the shared core.
- The core (`minhbach`) imports no service and not the development tools (`minhbach_dev`), which
  sit beside it and may import services (the demo filer issues tokens through theirs).
- No module grows past `MAX_LINES`: past that a module holds more than one thing. A package's
  `messages.py` is exempt: it is the one home of the texts people read, split by nothing else.

Read with `ast`, imports inside functions included; nothing is imported to check it. Each rule has
a test that shows the checker catching a deliberate break in a throwaway package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from minhbach.settings import REPO_ROOT

SERVICE_ROOTS = {
    "intake": REPO_ROOT / "services/intake/intake",
    "portal_monitor": REPO_ROOT / "services/portal-monitor/portal_monitor",
    "scoring": REPO_ROOT / "services/scoring/scoring",
    "notifier": REPO_ROOT / "services/notifier/notifier",
    "reporting": REPO_ROOT / "services/reporting/reporting",
}
CORE = ("minhbach", REPO_ROOT / "shared/minhbach")
DEV_TOOLS = ("minhbach_dev", REPO_ROOT / "shared/minhbach_dev")
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    package: str  # the top-level package imported


def top_level_imports(root: Path) -> Iterator[Import]:
    """Every absolute import under `root`, by the top-level package it names."""
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Import(path, node.lineno, alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield Import(path, node.lineno, node.module.split(".")[0])


def forbidden_imports(owner: str, root: Path, forbidden: set[str]) -> list[str]:
    return [
        f"{i.path.relative_to(root.parent)}:{i.line} imports {i.package}"
        for i in top_level_imports(root)
        if i.package in forbidden - {owner}
    ]


def long_modules(root: Path, limit: int, base: Path = REPO_ROOT) -> dict[str, int]:
    """Modules over `limit` lines, named from `base` (migrations excepted: history, not design;
    and texts)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or path.name == "messages.py":
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found[str(path.relative_to(base))] = lines
    return found


def test_no_service_imports_another() -> None:
    services = set(SERVICE_ROOTS)
    found = [
        line
        for owner, root in SERVICE_ROOTS.items()
        for line in forbidden_imports(owner, root, services)
    ]
    assert found == []


def test_the_core_imports_no_service_and_no_dev_tool() -> None:
    owner, root = CORE
    assert forbidden_imports(owner, root, {*SERVICE_ROOTS, DEV_TOOLS[0]}) == []


def test_no_module_grows_past_the_limit() -> None:
    over = {
        path: lines
        for root in (*SERVICE_ROOTS.values(), CORE[1], DEV_TOOLS[1])
        for path, lines in long_modules(root, MAX_LINES).items()
    }
    assert over == {}


def test_the_checkers_catch_a_deliberate_break(tmp_path: Path) -> None:
    package = tmp_path / "intake"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "late.py").write_text("def f():\n    from scoring.db import x\n    return x\n")
    (package / "fine.py").write_text("from minhbach.plan import Plan\nfrom . import late\n")
    (package / "big.py").write_text("x = 1\n" * (MAX_LINES + 1))
    assert forbidden_imports("intake", package, {"intake", "scoring"}) == [
        "intake/late.py:2 imports scoring"
    ]
    assert long_modules(package, MAX_LINES, base=tmp_path) == {"intake/big.py": MAX_LINES + 1}
