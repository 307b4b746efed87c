"""The plan's scalar types, shared by every part of its schema (one definition of each)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Unit, group, section, signal, kind and rule codes: stable ASCII slugs.
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]


def _task_code_from_yaml(value: Any) -> Any:
    if isinstance(value, float | int) and not isinstance(value, bool):
        raise ValueError(f'task code {value!r} must be a quoted string such as "1.1"')
    return value


# "1.1", "6.4": indicator number, dot, task number.
TaskCode = Annotated[
    str,
    BeforeValidator(_task_code_from_yaml),
    StringConstraints(pattern=r"^[1-9][0-9]*\.[1-9][0-9]*$"),
]

UnitKind = Literal[
    "district", "department", "tax", "association", "centre", "commune", "town", "leadership"
]
TimingKind = Literal["ongoing", "after_issue", "on_change", "fixed_deadline"]
Reporter = Literal["lead_units", "focal_unit"]
# The month of its period a report is due in: the first, the last, its number in the period,
# or the month after the period ("next").
DueMonth = Literal["first", "last", "next"] | Annotated[int, Field(ge=1, le=12)]
Weight = Annotated[float, Field(gt=0, le=1)]
WorkingDays = Annotated[int, Field(ge=1, le=365)]


_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"not a valid e-mail address: {value!r}")
    return value


def check_http_url(value: str) -> str:
    parts = urlsplit(value)
    has_space = any(char.isspace() for char in value)
    if parts.scheme not in ("http", "https") or not parts.hostname or has_space:
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


class Frozen(BaseModel):
    """Every part of the plan: immutable, and a key the schema does not know is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")
