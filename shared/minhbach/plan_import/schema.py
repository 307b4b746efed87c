"""The plan file as the importer writes it: the ONE module that knows the schema's field names,
unit kinds, group codes and level words. Another schema version changes this module only.

Written for schema_version 1 as on this branch (`meta.district`, kinds district/department/tax/
association/centre/commune/town/leadership, `portal_monitoring.commune_copy_tasks`). Where the
two-tier schema (decision 0013: `meta.level` + `meta.locality`, kinds province, central_agency,
ward, special_zone, `copy_duties`) differs, the place is marked "0013" and `TWO_TIER` switches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from minhbach.plan.types import check_email, check_http_url
from minhbach.plan_import.model import Note, PlanDraft, TaskDraft
from minhbach.plan_import.text import fold
from minhbach.plan_import.yamlout import Noted

SCHEMA_VERSION: Final = 1
TIMEZONE: Final = "Asia/Ho_Chi_Minh"
# Decision 0013's schema (meta.level + meta.locality; kinds province, central_agency, ward,
# special_zone; portal_monitoring.copy_duties). False writes the schema of this branch; the
# lead flips it when 0013's loader is merged (tests/unit/plan_import/test_schema_switch.py
# checks what each setting writes).
TWO_TIER: bool = True

# Level words as documents write them ("UBND huyện Lục Nam") -> the level they name (0013's
# `meta.level`; this schema only keeps the locality, in `meta.district`).
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

# Unit groups a task may name, with the phrases plans use for them (any one, folded).
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
        ),
    ),
    "all_communes": (
        ("commune", "town"),  # 0013: ("commune", "ward", "special_zone", "town")
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
        ),
    ),
}

# The unit directory's "Loại" column: words an office writes -> this schema's kind, and a note
# where the schema has no kind of that name yet (0013 adds province, central_agency, ward,
# special_zone).
_KINDS: Final[Mapping[str, tuple[str, str | None]]] = {
    "department": ("department", None),
    "phong": ("department", None),
    "so": ("department", None),
    "ban": ("department", None),
    "van phong": ("department", None),
    "thanh tra": ("department", None),
    "co quan chuyen mon": ("department", None),
    "centre": ("centre", None),
    "trung tam": ("centre", None),
    "don vi su nghiep": ("centre", None),
    "tax": ("tax", None),
    "thue": ("tax", None),
    "co quan trung uong": (
        "tax",
        "cơ quan trung ương ghi là loại tax (tệp hiện chưa có loại riêng)",
    ),
    "central_agency": ("tax", "cơ quan trung ương ghi là loại tax (tệp hiện chưa có loại riêng)"),
    "association": ("association", None),
    "hoi": ("association", None),
    "hiep hoi": ("association", None),
    "commune": ("commune", None),
    "xa": ("commune", None),
    "ward": ("commune", "phường ghi là loại commune (tệp hiện chưa có loại ward)"),
    "phuong": ("commune", "phường ghi là loại commune (tệp hiện chưa có loại ward)"),
    "special_zone": ("commune", "đặc khu ghi là loại commune (tệp hiện chưa có loại riêng)"),
    "dac khu": ("commune", "đặc khu ghi là loại commune (tệp hiện chưa có loại riêng)"),
    "town": ("town", None),
    "thi tran": ("town", None),
    "district": ("district", None),
    "huyen": ("district", None),
    "quan": ("district", None),
    "thi xa": ("district", None),
    "province": ("district", "tỉnh ghi là loại district (tệp hiện chưa có loại province)"),
    "tinh": ("district", "tỉnh ghi là loại district (tệp hiện chưa có loại province)"),
    "thanh pho": ("district", "thành phố ghi là loại district (tệp hiện chưa có loại riêng)"),
    "leadership": ("leadership", None),
    "lanh dao": ("leadership", None),
}
# 0013's kinds where they differ from the table above (no note: the schema has the kind).
_KINDS_0013: Final[Mapping[str, str]] = {
    "co quan trung uong": "central_agency",
    "central_agency": "central_agency",
    "thue": "central_agency",
    "tax": "central_agency",
    "ward": "ward",
    "phuong": "ward",
    "special_zone": "special_zone",
    "dac khu": "special_zone",
    "province": "province",
    "tinh": "province",
    "thanh pho": "province",
}
KIND_HELP: Final = "Phòng/Sở/Ban, Trung tâm, Thuế, Hội, Xã, Phường, Thị trấn, Huyện, Tỉnh, Lãnh đạo"
# How the template and the export write each kind.
KIND_LABELS: Final[Mapping[str, str]] = {
    "department": "Phòng/Sở/Ban",
    "centre": "Trung tâm",
    "tax": "Thuế",
    "association": "Hội",
    "commune": "Xã",
    "town": "Thị trấn",
    "district": "Huyện",
    "leadership": "Lãnh đạo",
}
_NEEDS_PORTAL: Final = ("district", "commune", "town")  # a local government has a portal
POLICY_BLOCKS: Final = (
    "document_kinds",
    "portal_sections",
    "reference_links",
    "readiness_signals",
)


def unit_kind(word: str) -> tuple[str | None, str | None]:
    """ "Phòng", "Phòng/Sở/Ban", "department" -> department; unknown -> (None, None)."""
    import re

    for part in (word, *re.split(r"[/,]", word)):
        if TWO_TIER and fold(part) in _KINDS_0013:
            return _KINDS_0013[fold(part)], None
        if fold(part) in _KINDS:
            return _KINDS[fold(part)]
    return None, None


def group_kinds(code: str) -> tuple[str, ...]:
    if TWO_TIER and code == "all_communes":
        return ("commune", "ward", "special_zone", "town")
    return GROUPS[code][0]


def group_phrases() -> dict[str, str]:
    """Folded phrase -> group code, for reading cells."""
    return {fold(phrase): code for code, (_, phrases) in GROUPS.items() for phrase in phrases}


def needs_portal(kind: str) -> bool:
    extra = ("province", "ward", "special_zone") if TWO_TIER else ()
    return kind in (*_NEEDS_PORTAL, *extra)


def valid_code(code: str) -> bool:
    import re

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


def rule_code(reporter: str, period: str) -> str:
    who = "lead" if reporter == "lead_units" else "focal"
    return f"{who}-{'quarterly' if period == 'quarter' else 'yearly'}"


def task_fields(plan: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """A plan file's tasks by code (a base plan's, as loaded from YAML)."""
    return {str(task["code"]): task for task in plan.get("tasks", [])}


def indicator_fields(plan: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    return {int(item["number"]): item for item in plan.get("indicators", [])}


def unit_fields(plan: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(plan.get("units", []))


def classification_phrases(plan: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """(kind, phrases) of a plan's classification rules that look at words only."""
    rules = (plan.get("portal_monitoring") or {}).get("classification_rules", [])
    return [
        (str(rule["kind"]), tuple(str(p) for p in rule["text_any"]))
        for rule in rules
        if rule.get("text_any") and not rule.get("types") and not rule.get("sections")
    ]


class Notes:
    """The draft's notes, found by what they are about."""

    def __init__(self, notes: Sequence[Note]) -> None:
        self.notes = list(notes)

    def about(self, *about: str, exact: bool = True) -> tuple[str, ...]:
        return tuple(
            f"KIỂM TRA: {note.text}"
            for note in self.notes
            if (note.about == about if exact else note.about[: len(about)] == about)
        )


def noted(value: Any, notes: Sequence[str]) -> Any:
    return Noted(value, tuple(notes)) if notes else value


def check(text: str) -> str:
    return f"KIỂM TRA: {text}"


def meta_block(draft: PlanDraft, notes: Notes) -> dict[str, Any]:
    meta = draft.meta
    year = meta.year
    assert year is not None
    level = meta.level_word
    locality_notes = list(notes.about("meta", "locality"))
    if not TWO_TIER and level is not None and LEVELS.get(level) not in ("district", None):
        locality_notes.append(
            check(f"kế hoạch của {level}; tệp kế hoạch hiện ghi địa phương vào `district`")
        )
    if meta.locality is None:
        locality_notes.append(check("không đọc được tên địa phương ban hành"))
    if meta.issued_on is not None:
        effective, effective_note = meta.issued_on, None
    elif meta.issued_month is not None:
        effective = date(year, meta.issued_month, 1)
        effective_note = "kế hoạch không ghi ngày ký: tính từ ngày đầu tháng ký"
    else:
        effective = date(year, 1, 1)
        effective_note = "không rõ ngày ký: tính từ đầu năm"
    references = []
    for ref in meta.references:
        if abs(ref.date.year - year) > 1:
            notes.notes.append(
                Note(("meta", "references"), f"bỏ {ref.number}: ngày {ref.date:%d/%m/%Y} quá xa")
            )
            continue
        references.append(
            {"number": ref.number, "date": ref.date, "issuer": ref.issuer, "title": ref.title}
        )
    target = meta.overall_target
    target_block: Any = (
        {
            "value": target.value,
            "unit": target.unit,
            "comparison": target.comparison,
            "text": target.text,
        }
        if target is not None
        else {"value": 0.0, "unit": "points", "comparison": ">=", "text": "CHƯA CÓ"}
    )
    document = {
        "number": meta.number,
        "symbol": noted(
            meta.symbol or "KH-UBND", [] if meta.symbol else [check("không đọc được ký hiệu")]
        ),
        "issued_on": meta.issued_on,
        "issued_month": meta.issued_month,
    }
    return {
        "title": noted(
            meta.title or "Kế hoạch", [] if meta.title else [check("không đọc được tên kế hoạch")]
        ),
        **_place(meta.level_word, meta.locality, locality_notes),
        "province": noted(
            meta.province or meta.locality or "CHƯA RÕ",
            [] if meta.province else [check("không đọc được tên tỉnh")],
        ),
        "year": year,
        "issuer": noted(
            meta.issuer or "CHƯA RÕ",
            [] if meta.issuer else [check("không đọc được cơ quan ban hành")],
        ),
        "document": noted(document, notes.about("meta", "issued")),
        "signer": noted(
            {"name": meta.signer_name or "CHƯA RÕ", "title": meta.signer_title or "CHƯA RÕ"},
            [] if meta.signer_name and meta.signer_title else [check("không đọc được người ký")],
        ),
        "references": noted(references, notes.about("meta", "references")),
        "timezone": TIMEZONE,
        "effective_from": noted(effective, [check(effective_note)] if effective_note else []),
        "overall_target": noted(target_block, notes.about("meta", "overall_target")),
    }


def _place(level_word: str | None, locality: str | None, notes: list[str]) -> dict[str, Any]:
    if not TWO_TIER:
        return {"district": noted(locality or "CHƯA RÕ", notes)}
    level = LEVELS.get(level_word or "")
    level_notes = [] if level else [check("không đọc được cấp chính quyền (tỉnh, xã, phường ...)")]
    if level_word == "thành phố":
        level_notes.append(check("“thành phố” hiểu là thành phố trực thuộc trung ương"))
    return {
        "level": noted(level or "commune", level_notes),
        "locality": noted(locality or "CHƯA RÕ", notes),
    }


def task_block(
    task: TaskDraft,
    lead: Sequence[str],
    supporting: Sequence[str],
    kinds: Sequence[str],
    sections: Sequence[str],
    guessed: bool,
    notes: Notes,
) -> Any:
    timing: dict[str, Any] = {"kind": task.timing.kind}
    if task.timing.deadline is not None:
        timing["deadline"] = task.timing.deadline
    if task.timing.within_working_days is not None:
        timing["within_working_days"] = task.timing.within_working_days
    timing["text"] = task.timing.text
    block: dict[str, Any] = {
        "code": task.code,
        "indicator": task.indicator,
        "text": task.text,
        "lead": noted(list(lead), notes.about("task", task.code, "lead")),
        "supporting": list(supporting),
    }
    if task.supporting_role:
        block["supporting_role"] = task.supporting_role
    block["timing"] = noted(timing, notes.about("task", task.code, "timing"))
    if task.merged_cells_from:
        block["merged_cells_from"] = task.merged_cells_from
    guess = [check("loại văn bản và chuyên mục đoán theo lời văn của nhiệm vụ")] if guessed else []
    block["document_kinds"] = noted(list(kinds), guess)
    block["portal_sections"] = list(sections)
    return noted(block, notes.about("task", task.code))


def plan_document(
    draft: PlanDraft,
    directory: Any,
    res: Any,
    policy: Mapping[str, Any],
    from_base: bool,
    notes: Notes,
) -> dict[str, Any]:
    """The whole plan file as data (with `Noted` comments), ready for `yamlout.render`.
    `policy` is the base plan (`--base`) or the template plan whose deployment policy (ladder,
    signals, catalogues, portal reading) a new plan starts from."""
    base_units = {str(u["code"]): u for u in unit_fields(policy)} if from_base else {}
    base_tasks = task_fields(policy) if from_base else {}
    base_indicators = indicator_fields(policy) if from_base else {}
    policy_note = [] if from_base else [check("chính sách triển khai lấy theo tệp mẫu, xem lại")]
    unit_list = [_unit(unit, base_units.get(unit.code), notes) for unit in directory.units]
    codes = {unit.code for unit in directory.units}
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "meta": meta_block(draft, notes)}
    data["roles"] = {
        "focal_unit": res.focal,
        "chairman": noted(res.chairman, notes.about("roles", "chairman")),
        "vice_chairman_in_charge": noted(
            res.vice_chairman, notes.about("roles", "vice_chairman_in_charge")
        ),
    }
    data["publication_window_working_days"] = noted(
        policy.get("publication_window_working_days", 5), policy_note
    )
    data["units"] = unit_list
    data["unit_groups"] = _groups(draft, res, policy if from_base else {})
    for block in POLICY_BLOCKS:
        data[block] = noted(list(policy.get(block, [])), policy_note)
    signals = [str(s["code"]) for s in policy.get("readiness_signals", [])]
    phrases = classification_phrases(policy)
    sections = list(policy.get("portal_sections", []))
    data["indicators"] = [
        _indicator(item, base_indicators.get(item.number), signals, notes)
        for item in draft.indicators
    ]
    tasks = []
    for task in draft.tasks:
        base = base_tasks.get(task.code)
        if base is not None:
            kinds = list(base.get("document_kinds", []))
            task_sections = list(base.get("portal_sections", []))
        else:
            kinds = _guess_kinds(task.text, phrases)
            task_sections = [
                str(s["code"]) for s in sections if set(s.get("document_kinds", [])) & set(kinds)
            ]
        tasks.append(
            task_block(
                task,
                res.lead[task.code],
                res.supporting[task.code],
                kinds,
                task_sections,
                base is None,
                notes,
            )
        )
    data["tasks"] = tasks
    data["reporting_rules"] = noted(_rules(draft, res, policy), notes.about("duties", exact=False))
    data["escalation"] = noted(_escalation(policy, res, from_base), policy_note)
    data["calendar"] = policy.get("calendar") or {"extra_holidays": [], "extra_working_days": []}
    tasks_known = {task.code for task in draft.tasks}
    portals = {unit.code for unit in directory.units if unit.portal} | {
        code for code, unit in base_units.items() if unit.get("portal") and code in codes
    }
    refs = codes | set(res.groups)
    monitoring = _monitoring(policy.get("portal_monitoring"), portals, tasks_known, refs, from_base)
    if monitoring is not None:
        data["portal_monitoring"] = monitoring
    drafting = policy.get("drafting") if from_base else None
    if drafting is not None:
        readers = [c for c in drafting.get("readers", []) if c in codes]
        recipients = [c for c in drafting.get("draft_recipients", []) if c in codes]
        if readers and recipients:
            data["drafting"] = {**drafting, "readers": readers, "draft_recipients": recipients}
    return data


def _unit(unit: Any, base: Mapping[str, Any] | None, notes: Notes) -> Any:
    entry: dict[str, Any] = {"code": unit.code, "name": unit.name, "kind": unit.kind}
    entry["email"] = unit.email
    portal = unit.portal or (base or {}).get("portal")
    if portal:
        kept = [] if unit.portal else ["cổng giữ theo tệp kế hoạch cũ"]
        entry["portal"] = noted(portal, kept)
    person = unit.person or (base or {}).get("person")
    if person:
        entry["person"] = person
    comments = list(notes.about("unit", unit.code, exact=False))
    if unit.parent:
        comments.append(f"đơn vị cấp trên: {unit.parent}")
    return noted(entry, comments)


def _groups(draft: PlanDraft, res: Any, base: Mapping[str, Any]) -> list[Any]:
    written: dict[str, str] = {}
    for task in draft.tasks:
        for ref in (*task.lead, *task.supporting):
            if ref.group is not None:
                written.setdefault(ref.group, ref.text)
    kept = {str(g["code"]): g for g in base.get("unit_groups", [])}
    return [
        kept.get(code)
        or {"code": code, "name": written.get(code, code), "kinds": list(group_kinds(code))}
        for code in res.groups
    ]


def _indicator(
    item: Any, base: Mapping[str, Any] | None, signals: Sequence[str], notes: Notes
) -> Any:
    target = item.target
    block: dict[str, Any] = {
        "number": item.number,
        "title": item.title,
        "target": noted(
            None
            if target is None
            else {
                "value": target.value,
                "unit": target.unit,
                "comparison": target.comparison,
                "text": target.text,
            },
            notes.about("indicator", str(item.number), "target"),
        ),
        "tasks": list(item.tasks),
    }
    if base is not None and base.get("readiness_weights"):
        block["readiness_weights"] = dict(base["readiness_weights"])
    else:
        first = "tasks_reported_done" if "tasks_reported_done" in signals else signals[0]
        block["readiness_weights"] = Noted(
            {first: 1.0}, (check("trọng số mức sẵn sàng mặc định, điều chỉnh theo chỉ tiêu"),)
        )
    return noted(block, notes.about("indicator", str(item.number)))


def _guess_kinds(text: str, phrases: Sequence[tuple[str, tuple[str, ...]]]) -> list[str]:
    words = fold(text)
    found = [kind for kind, keys in phrases if any(fold(key) in words for key in keys)]
    return list(dict.fromkeys(kind for kind in found if kind != "other"))


def _rules(draft: PlanDraft, res: Any, policy: Mapping[str, Any]) -> list[Any]:
    base_codes = {
        (str(r["reporter"]), str(r["period"])): str(r["code"])
        for r in policy.get("reporting_rules", [])
    }
    rules = []
    for duty in draft.duties:
        key = (duty.reporter, duty.period)
        rules.append(
            {
                "code": base_codes.get(key, rule_code(*key)),
                "reporter": duty.reporter,
                "period": duty.period,
                "due_before_day": duty.due_before_day,
                "due_before_month": duty.due_before_month,
                "recipient": res.recipients[key],
                "text": duty.text,
            }
        )
    return rules


def _escalation(policy: Mapping[str, Any], res: Any, from_base: bool) -> dict[str, Any]:
    ladder = dict(policy.get("escalation") or {"overdue_notice_after_working_days": 1})
    if from_base:
        return ladder
    roles = policy.get("roles", {})
    remap = {
        roles.get("focal_unit"): res.focal,
        roles.get("chairman"): res.chairman,
        roles.get("vice_chairman_in_charge"): res.vice_chairman,
    }
    steps = [
        {**step, "notify": remap[step["notify"]]}
        for step in ladder.get("steps", [])
        if step.get("notify") in remap
    ]
    return {**ladder, "steps": steps}


def _monitoring(
    block: Mapping[str, Any] | None,
    portals: set[str],
    tasks: set[str],
    refs: set[str],
    from_base: bool,
) -> Any:
    if not block:
        return None
    entries = [p for p in block.get("portals", []) if p.get("unit") in portals]
    out = {**block, "portals": entries}
    if "commune_copy_tasks" in block:
        out["commune_copy_tasks"] = [c for c in block["commune_copy_tasks"] if c in tasks]
    if "copy_duties" in block:  # 0013: keep each duty's tasks and units that still exist
        duties = []
        for duty in block["copy_duties"]:
            kept = {
                **duty,
                "documents_of": [c for c in duty.get("documents_of", []) if c in refs],
                "reposted_on": [c for c in duty.get("reposted_on", []) if c in refs],
                "tasks": [c for c in duty.get("tasks", []) if c in tasks],
            }
            if kept["documents_of"] and kept["reposted_on"] and kept["tasks"]:
                duties.append(kept)
        out["copy_duties"] = duties
    if from_base:
        return out
    return Noted(
        out,
        (check("cách đọc cổng TTĐT lấy theo tệp mẫu: khai báo nền tảng của từng cổng (portals)"),),
    )
