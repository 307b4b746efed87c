"""Problems found in a plan file, reported to the operator who edits it (English, one per line)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

# A field path as pydantic reports it: keys and list indexes, e.g. ("tasks", 3, "lead", 0).
FieldPath = tuple[str | int, ...]


def render_path(path: FieldPath) -> str:
    """`("tasks", 3, "lead", 0)` -> `tasks[3].lead[0]`; the empty path is the whole document."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(document)"


@dataclass(frozen=True)
class PlanIssue:
    """One problem: where (field path, YAML line) and what."""

    path: FieldPath
    message: str
    line: int | None = None  # 1-based line in the source; None when the source has no such place
    source: str = "<plan>"

    @property
    def field(self) -> str:
        return render_path(self.path)

    def format(self) -> str:
        """`file:line: field: message`, the shape editors and CI logs link to."""
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.field}: {self.message}"


class PlanError(Exception):
    """A plan file that cannot be used; `issues` lists every problem found, in file order."""

    def __init__(self, issues: Sequence[PlanIssue]) -> None:
        self.issues: tuple[PlanIssue, ...] = tuple(issues)
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.issues)
        head = f"invalid plan: {count} issue{'s' if count != 1 else ''}"
        return "\n".join([head, *(issue.format() for issue in self.issues)])

    def located(self, source: str, line_of: LineLookup) -> PlanError:
        """The same issues with the source name and YAML lines filled in."""
        return PlanError(
            sorted(
                (
                    replace(issue, source=source, line=issue.line or line_of(issue.path))
                    for issue in self.issues
                ),
                key=lambda issue: issue.line or 0,
            )
        )


class LineLookup:
    """Maps a field path to the YAML line it came from (the nearest existing ancestor)."""

    def __init__(self, lines: dict[tuple[str, ...], int]) -> None:
        self._lines = lines

    def __call__(self, path: Iterable[str | int]) -> int | None:
        key = tuple(str(part) for part in path)
        while key:
            if key in self._lines:
                return self._lines[key]
            key = key[:-1]
        return self._lines.get((), None)


_QUOTE_HINT = (
    "if this is part of a value split at a comma (`{name: Phòng Tài chính, Kế hoạch}`), quote "
    'the whole value: `name: "Phòng Tài chính, Kế hoạch"`'
)


def issues_from_pydantic(error: ValidationError) -> list[PlanIssue]:
    """Pydantic's errors as plan issues: its internal path steps dropped, its wording plainer."""
    issues = []
    for detail in error.errors(include_url=False):
        path = _clean_loc(detail["loc"])
        issues.append(PlanIssue(path, _message(detail)))
    return issues


def _clean_loc(loc: tuple[Any, ...]) -> FieldPath:
    """Drop pydantic's internal steps (`[key]` markers, function-validator names)."""
    path: list[str | int] = []
    for part in loc:
        internal = isinstance(part, str) and part.startswith(("function-", "["))
        if not internal:
            path.append(part)
    return tuple(path)


_SCHEMA_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def _message(detail: Any) -> str:
    kind = detail["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        message = "unknown field (check the spelling; the schema forbids extra keys)"
        key = detail["loc"][-1] if detail["loc"] else ""
        if detail.get("input") is None and not _SCHEMA_KEY.match(str(key)):
            message += f"; {_QUOTE_HINT}"
        return message
    message = str(detail["msg"])
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    given = detail.get("input")
    if kind not in ("value_error",) and isinstance(given, str | int | float | bool):
        message += f" (got {given!r})"
    return message
