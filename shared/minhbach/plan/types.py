"""The plan's scalar types, shared by every part of its schema (one definition of each)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Final, Literal
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

# The kinds of unit of the two-tier local government (since 1 July 2025): the province (or
# centrally-run city) itself, its departments and agencies, central agencies on its territory
# (tax, treasury, police), associations, public-service centres, communes, wards, special zones
# and the leadership. `district`, `town` and `tax` are kept so plans of the old three tiers read.
UnitKind = Literal[
    "province",
    "department",
    "central_agency",
    "association",
    "centre",
    "commune",
    "ward",
    "special_zone",
    "leadership",
    "district",
    "town",
    "tax",
]
# Units that are a local government and run a portal of their own.
LOCAL_GOVERNMENT_KINDS: Final = ("province", "district", "commune", "ward", "special_zone", "town")
# Units of the commune level (under a province, or under a district in the old tiers).
COMMUNE_LEVEL_KINDS: Final = ("commune", "ward", "special_zone", "town")
# The level of government whose plan the file is. `central_city`: a centrally-run city
# (thành phố trực thuộc trung ương); `district`: the legacy middle tier (plans before 2025-07).
Level = Literal["province", "central_city", "commune", "ward", "special_zone", "district"]
# The unit kind of a plan's own government, per level.
LEVEL_UNIT_KIND: Final = {
    "province": "province",
    "central_city": "province",
    "commune": "commune",
    "ward": "ward",
    "special_zone": "special_zone",
    "district": "district",
}
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
