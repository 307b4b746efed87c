"""The rules docs/architecture.md states, checked on the source (issue 22).

- No service imports another; they meet only through events, HTTP and the shared core.
- The core (`minhbach`) imports no service and not the development tools (`minhbach_dev`), which
  sit beside it and may import services (the demo filer issues tokens through theirs).
- No module grows past `MAX_LINES`: past that a module holds more than one thing. A package's
  `messages.py` is exempt: it is the one home of the texts people read, split by nothing else.
- In a service with the four rooms (`ROOMED_SERVICES`: `domain/`, `store/`, `service.py`,
  entrypoints), SQLAlchemy and asyncpg are imported only in its `store/`, its `db.py` (the
  schema) and its migrations; in the core only in `minhbach/db` and the infrastructure that is a
  store itself (`CORE_DATABASE_HOMES`: messaging's outbox, relay, inbox and dead letters, the
  token tables, the operations gauges). Elsewhere the types are named through `minhbach.db`.
- No event is built in a `store/`: it returns rows and ids; the domain builds the events.

Read with `ast`, imports inside functions included; the only thing imported is the event
catalogue, to know which names are events. Each rule has a test that shows the checker catching
a deliberate break in a throwaway package.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from minhbach.events import catalogue
from minhbach.events.base import Event
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

# Services converted to the four rooms (issue 22): every service.
ROOMED_SERVICES = ("intake", "portal_monitor", "scoring", "notifier", "reporting")
DATABASE_PACKAGES = frozenset({"sqlalchemy", "asyncpg"})
CORE_DATABASE_HOMES = ("db", "messaging", "tokens.py", "observability/operations.py")
EVENT_NAMES = frozenset(
    {Event.__name__}
    | {
        name
        for name, value in vars(catalogue).items()
        if isinstance(value, type) and issubclass(value, Event)
    }
)


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


def is_service_database_home(relative: Path) -> bool:
    """A service's `store/`, its schema (`db.py`) and its migrations."""
    return relative.parts[0] in {"store", "migrations"} or relative.as_posix() == "db.py"


def is_core_database_home(relative: Path) -> bool:
    return any(
        relative.as_posix() == home or relative.parts[0] == home for home in CORE_DATABASE_HOMES
    )


def database_imports(root: Path, is_home: Callable[[Path], bool]) -> list[str]:
    """Imports of SQLAlchemy or asyncpg under `root` outside the places `is_home` allows."""
    return [
        f"{i.path.relative_to(root.parent)}:{i.line} imports {i.package}"
        for i in top_level_imports(root)
        if i.package in DATABASE_PACKAGES and not is_home(i.path.relative_to(root))
    ]


def events_built_in_store(root: Path, events: frozenset[str] = EVENT_NAMES) -> list[str]:
    """Event classes a `store/` module imports or calls (`catalogue.DocumentFound(...)`)."""
    found = []
    for path in sorted((root / "store").rglob("*.py")):
        where = path.relative_to(root.parent)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "minhbach.events"
            ):
                found += [
                    f"{where}:{node.lineno} imports {a.name}"
                    for a in node.names
                    if a.name in events
                ]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in events
            ):
                found.append(f"{where}:{node.lineno} builds {node.func.attr}")
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


def test_database_libraries_only_in_stores_schemas_and_the_core_db() -> None:
    found = [
        line
        for name in ROOMED_SERVICES
        for line in database_imports(SERVICE_ROOTS[name], is_service_database_home)
    ]
    found += database_imports(CORE[1], is_core_database_home)
    assert found == []


def test_no_store_builds_an_event() -> None:
    assert [
        line for name in ROOMED_SERVICES for line in events_built_in_store(SERVICE_ROOTS[name])
    ] == []


def test_the_room_checkers_catch_a_deliberate_break(tmp_path: Path) -> None:
    package = tmp_path / "intake"
    (package / "store").mkdir(parents=True)
    (package / "migrations").mkdir()
    (package / "db.py").write_text("from sqlalchemy import Table\n")
    (package / "migrations" / "v1.py").write_text("import sqlalchemy as sa\n")
    (package / "store" / "rows.py").write_text(
        "import asyncpg\n"
        "from minhbach.events.catalogue import ObligationKind, ReportSubmitted\n"
        "from minhbach.events import catalogue\n"
        "def f():\n    return catalogue.DocumentFound(url='x')\n"
    )
    (package / "service.py").write_text(
        "def f():\n    from sqlalchemy.ext.asyncio import AsyncSession\n    return AsyncSession\n"
    )
    assert database_imports(package, is_service_database_home) == [
        "intake/service.py:2 imports sqlalchemy"
    ]
    assert events_built_in_store(package) == [
        "intake/store/rows.py:2 imports ReportSubmitted",
        "intake/store/rows.py:5 builds DocumentFound",
    ]
    core = tmp_path / "minhbach"
    (core / "db").mkdir(parents=True)
    (core / "db" / "session.py").write_text("from sqlalchemy import text\n")
    (core / "plan.py").write_text("import asyncpg\n")
    assert database_imports(core, is_core_database_home) == ["minhbach/plan.py:1 imports asyncpg"]


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
