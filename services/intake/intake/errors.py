"""Errors a unit sees: `{"errors": [{"field": "tasks[2].difficulties", "message": "..."}]}`.

Pydantic's errors (wrong type, missing field ...) are turned into the same shape, with the field
written as a path (`tasks[2].evidence[0].url`) and the message in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from intake import messages as msg
from intake.domain import FieldError


@dataclass
class IntakeError(Exception):
    """A refused request: HTTP status, the errors to show, the metric's reason labels."""

    status_code: int
    errors: tuple[FieldError, ...]
    headers: Mapping[str, str] | None = None
    counted: bool = False  # already counted in the rejection metrics

    @classmethod
    def single(
        cls, status_code: int, field: str, message: str, reason: str, **headers: str
    ) -> IntakeError:
        return cls(status_code, (FieldError(field, message, reason),), headers or None)

    def body(self) -> dict[str, list[dict[str, str]]]:
        return errors_body(self.errors)


def errors_body(errors: Iterable[FieldError]) -> dict[str, list[dict[str, str]]]:
    return {"errors": [{"field": e.field, "message": e.message} for e in errors]}


def field_path(loc: Sequence[int | str], *, skip_source: bool = True) -> str:
    """("body", "tasks", 2, "status") -> "tasks[2].status"."""
    parts = list(loc)
    if skip_source and parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        source = parts.pop(0)
        if not parts:
            return str(source)
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("function-after", "function-before", "function-wrap"):
            continue  # pydantic's validator wrappers are not fields
        else:
            path += f".{part}" if path else str(part)
    return path


def from_pydantic(errors: Iterable[Mapping[str, Any]]) -> tuple[FieldError, ...]:
    """Pydantic / FastAPI validation errors as Vietnamese field errors."""
    translated: list[FieldError] = []
    for error in errors:
        loc = _clean_loc(error.get("loc", ()))
        translated.append(FieldError(field_path(loc), _message(error, loc), "schema"))
    return tuple(translated)


def _clean_loc(loc: Sequence[Any]) -> list[int | str]:
    # Drop union/tagged branches pydantic adds ("str", "constrained-str", "none" ...).
    cleaned: list[int | str] = []
    for part in loc:
        if isinstance(part, str) and (
            part.startswith(("constrained-", "function-")) or part in _BRANCHES
        ):
            continue
        cleaned.append(part)
    return cleaned


_BRANCHES = frozenset({"str", "none", "int", "date", "lax-or-strict", "json-or-python"})


def _message(error: Mapping[str, Any], loc: Sequence[int | str]) -> str:
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    last = str(loc[-1]) if loc else ""
    if kind == "missing":
        return msg.MISSING_BY_FIELD.get(last, msg.MISSING)
    if (
        kind in ("json_invalid", "json_type", "model_attributes_type", "model_type")
        and len(loc) <= 1
    ):
        return msg.NOT_JSON
    if kind == "string_too_long":
        return msg.TOO_LONG_TEXT.format(limit=ctx.get("max_length", "?"))
    if kind == "string_too_short":
        return msg.MISSING_BY_FIELD.get(last, msg.TOO_SHORT_TEXT)
    if kind == "too_long":
        return msg.TOO_MANY_ITEMS.format(limit=ctx.get("max_length", "?"))
    if kind in ("enum", "literal_error"):
        if last in msg.MISSING_BY_FIELD and not error.get("input"):
            return msg.MISSING_BY_FIELD[last]
        choices = str(ctx.get("expected", "")).replace(" or ", " hoặc ")
        return msg.CHOOSE_ONE_OF.format(choices=choices)
    if kind.startswith("date") or kind.startswith("datetime"):
        return msg.NOT_A_DATE
    if last == "plan_year" and kind in ("greater_than_equal", "less_than_equal"):
        return msg.PLAN_YEAR_OUT_OF_CALENDAR
    if kind.startswith("int") or kind in ("greater_than_equal", "less_than_equal"):
        return msg.NOT_A_NUMBER if kind.startswith("int") else msg.INVALID
    if kind.startswith("uuid"):
        return msg.NOT_AN_ID
    if kind in ("string_pattern_mismatch", "string_unicode"):
        return msg.INVALID_TEXT
    if kind == "extra_forbidden":
        return msg.UNKNOWN_FIELD
    if kind.endswith("_type"):
        return msg.WRONG_TYPE
    return msg.INVALID
