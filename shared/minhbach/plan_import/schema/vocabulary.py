"""The words of the plan file's schema: level words as documents write them, unit kinds and the
groups a task may name, the fields of a loaded plan; the vocabulary the importer reads with."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from minhbach.plan.rule_sets import read_rule_set_rules
from minhbach.plan.types import (
    COMMUNE_LEVEL_KINDS,
    LOCAL_GOVERNMENT_KINDS,
    check_email,
    check_http_url,
)
from minhbach.plan_import.text import fold

SCHEMA_VERSION: Final = 1
TIMEZONE: Final = "Asia/Ho_Chi_Minh"

# Level words as documents write them ("UBND tỉnh Bắc Ninh") -> `meta.level`.
LEVELS: Final[Mapping[str, str]] = {
    "tỉnh": "province",
    "thành phố": "central_city",
    "huyện": "district",
    "quận": "district",
    "thị xã": "district",
    "xã": "commune",
    "phường": "ward",
    "thị trấn": "town",
    "đặc khu": "special_zone",
}
LEVEL_WORDS: Final = tuple(LEVELS)

# Unit groups a task may name: the kinds they take in, and the phrases plans use for them (any
# one, folded).
GROUPS: Final[Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "all_departments": (
        ("department", "centre"),
        (
            "Các cơ quan, đơn vị",
            "Các cơ quan chuyên môn",
            "Các phòng, ban",
            "Các phòng, ban, ngành",
            "Các sở, ban, ngành",
            "Các cơ quan, đơn vị liên quan",
            "Các phòng, đơn vị",
            "Các phòng, đơn vị thuộc UBND xã",
            "Các phòng, đơn vị thuộc UBND phường",
            "Các phòng, đơn vị thuộc UBND đặc khu",
            "Các phòng chuyên môn",
            "Các phòng chuyên môn thuộc UBND xã",
            "Các phòng chuyên môn thuộc UBND phường",
            "Các sở, ban, ngành tỉnh",
            "Các sở, ban, ngành thành phố",
        ),
    ),
    "all_communes": (
        COMMUNE_LEVEL_KINDS,
        (
            "UBND các xã, thị trấn",
            "UBND cấp xã",
            "UBND các xã",
            "UBND các xã, phường",
            "UBND các phường, xã",
            "UBND các xã, phường, đặc khu",
            "UBND các xã, phường, thị trấn",
            "Các xã, thị trấn",
            "Các xã, phường",
            "Các xã, phường, đặc khu",
        ),
    ),
    "central_agencies": (
        ("central_agency", "tax"),
        (
            "Các cơ quan Trung ương đóng trên địa bàn",
            "Các cơ quan Trung ương trên địa bàn",
            "Các cơ quan Trung ương đóng trên địa bàn tỉnh",
            "Các cơ quan Trung ương đóng trên địa bàn thành phố",
            "Các cơ quan ngành dọc",
            "Các cơ quan ngành dọc trên địa bàn",
        ),
    ),
}

# The unit directory's "Loại" column: words an office writes (folded) -> the kind.
_KINDS: Final[Mapping[str, str]] = {
    "department": "department",
    "phong": "department",
    "so": "department",
    "ban": "department",
    "van phong": "department",
    "thanh tra": "department",
    "co quan chuyen mon": "department",
    "centre": "centre",
    "trung tam": "centre",
    "don vi su nghiep": "centre",
    "central_agency": "central_agency",
    "co quan trung uong": "central_agency",
    "thue": "central_agency",
    "kho bac": "central_agency",
    "cong an": "central_agency",
    "tax": "tax",  # the legacy kind, written as such only by a plan file's own code
    "association": "association",
    "hoi": "association",
    "hiep hoi": "association",
    "commune": "commune",
    "xa": "commune",
    "ward": "ward",
    "phuong": "ward",
    "special_zone": "special_zone",
    "dac khu": "special_zone",
    "town": "town",
    "thi tran": "town",
    "district": "district",
    "huyen": "district",
    "quan": "district",
    "thi xa": "district",
    "province": "province",
    "tinh": "province",
    "thanh pho": "province",
    "leadership": "leadership",
    "lanh dao": "leadership",
}
# A legacy kind of a base plan and the kind a directory writes for the same unit today: the
# base's kind is kept, so a revised plan changes nothing in use (the seed's `tax`).
_LEGACY_KINDS: Final[Mapping[str, str]] = {"tax": "central_agency"}
# The words the template's help sheet lists (one a row); the last two are the old three tiers'.
KIND_HELP: Final = (
    "Phòng/Sở/Ban, Trung tâm, Cơ quan trung ương, Thuế, Hội, Tỉnh, Xã, Phường, Đặc khu, "
    "Lãnh đạo, Huyện, Thị trấn"
)
# How the template and the export write each kind (each reads back as the same kind, except
# the legacy `tax`, read as central_agency).
KIND_LABELS: Final[Mapping[str, str]] = {
    "province": "Tỉnh",
    "department": "Phòng/Sở/Ban",
    "centre": "Trung tâm",
    "central_agency": "Cơ quan trung ương",
    "tax": "Thuế",
    "association": "Hội",
    "commune": "Xã",
    "ward": "Phường",
    "special_zone": "Đặc khu",
    "town": "Thị trấn",
    "district": "Huyện",
    "leadership": "Lãnh đạo",
}
POLICY_BLOCKS: Final = (
    "document_kinds",
    "portal_sections",
    "reference_links",
    "readiness_signals",
)


def unit_kind(word: str) -> str | None:
    """ "Phòng", "Phòng/Sở/Ban", "department" -> department; "Thuế" -> central_agency;
    unknown -> None."""
    for part in (word, *re.split(r"[/,]", word)):
        if fold(part) in _KINDS:
            return _KINDS[fold(part)]
    return None


def kept_kind(kind: str, base_kind: str | None) -> str:
    """The kind to write for a unit the base plan has as `base_kind`: the base's legacy kind
    where it means the same."""
    if base_kind is not None and _LEGACY_KINDS.get(base_kind) == kind:
        return base_kind
    return kind


def group_kinds(code: str) -> tuple[str, ...]:
    return tuple(GROUPS[code][0])


def group_phrases() -> dict[str, str]:
    """Folded phrase -> group code, for reading cells."""
    return {fold(phrase): code for code, (_, phrases) in GROUPS.items() for phrase in phrases}


def needs_portal(kind: str) -> bool:
    """A local government has a portal of its own."""
    return kind in LOCAL_GOVERNMENT_KINDS


def valid_code(code: str) -> bool:
    return re.fullmatch(r"[a-z0-9][a-z0-9_-]*", code) is not None and len(code) <= 64


def valid_email(value: str) -> bool:
    try:
        check_email(value)
    except ValueError:
        return False
    return True


def valid_portal(value: str) -> bool:
    try:
        check_http_url(value)
    except ValueError:
        return False
    return True


def short_name(name: str) -> str:
    """The part of a unit's name a code is made from ("UBND xã Bảo Đài" -> "xã Bảo Đài")."""
    for prefix in ("UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


_PERIOD_CODES: Final = {
    "quarter": "quarterly",
    "half_year": "half-yearly",
    "nine_months": "nine-months",
    "year": "yearly",
}


def rule_code(reporter: str, period: str) -> str:
    who = "lead" if reporter == "lead_units" else "focal"
    return f"{who}-{_PERIOD_CODES[period]}"


def task_fields(plan: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """A plan file's tasks by code (a base plan's, as loaded from YAML)."""
    return {str(task["code"]): task for task in plan.get("tasks", [])}


def indicator_fields(plan: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    return {int(item["number"]): item for item in plan.get("indicators", [])}


def unit_fields(plan: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(plan.get("units", []))


def classification_phrases(plan: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """(kind, phrases) of a plan's classification rules that look at words only."""
    monitoring = plan.get("portal_monitoring") or {}
    rules = list(monitoring.get("classification_rules") or [])
    reference = monitoring.get("classification_rule_set")
    if isinstance(reference, dict) and isinstance(reference.get("file"), str):
        shared = read_rule_set_rules(reference["file"])  # the shipped rule set (decision 0015)
        first = reference.get("own_rules", "first") == "first"
        rules = [*rules, *shared] if first else [*shared, *rules]
    return [
        (str(rule["kind"]), tuple(str(p) for p in rule["text_any"]))
        for rule in rules
        if rule.get("text_any") and not rule.get("types") and not rule.get("sections")
    ]
