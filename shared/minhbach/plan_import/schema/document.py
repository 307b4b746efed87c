"""The plan document the importer writes, block by block, from the draft it read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from minhbach.plan_import.model import DutyDraft, Note, PlanDraft, TaskDraft
from minhbach.plan_import.schema.vocabulary import (
    LEVELS,
    POLICY_BLOCKS,
    SCHEMA_VERSION,
    TIMEZONE,
    classification_phrases,
    group_kinds,
    indicator_fields,
    kept_kind,
    rule_code,
    task_fields,
    unit_fields,
)
from minhbach.plan_import.text import fold
from minhbach.plan_import.yamlout import Noted


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
    locality_notes = list(notes.about("meta", "locality"))
    if meta.locality is None:
        locality_notes.append(check("không đọc được tên địa phương ban hành"))
    effective_note: str | None
    if meta.issued_on is not None:
        effective, effective_note = meta.issued_on, None
    elif meta.issued_month is not None:
        effective = date(meta.issued_year or year, meta.issued_month, 1)
        effective_note = "kế hoạch không ghi ngày ký: tính từ ngày đầu tháng ký"
    else:
        effective = date(year, 1, 1)
        effective_note = "không rõ ngày ký: tính từ đầu năm"
    if effective < date(year, 1, 1):  # signed in the year before the plan's year
        effective = date(year, 1, 1)
        effective_note = "kế hoạch ký trước năm kế hoạch: tính từ đầu năm"
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
    """`meta.level` and `meta.locality` ("tỉnh", "Bắc Ninh")."""
    level = LEVELS.get(level_word or "")
    level_notes = [] if level else [check("không đọc được cấp chính quyền (tỉnh, xã, phường ...)")]
    if level == "town":  # a thị trấn's plan (before 2025): the schema's nearest level
        level = "commune"
        level_notes.append(check("kế hoạch của thị trấn: ghi cấp commune"))
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
    kind = kept_kind(unit.kind, str(base["kind"]) if base and base.get("kind") else None)
    entry: dict[str, Any] = {"code": unit.code, "name": unit.name, "kind": kind}
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
    return [_rule(duty, base_codes.get((duty.reporter, duty.period)), res) for duty in draft.duties]


def _rule(duty: DutyDraft, code: str | None, res: Any) -> dict[str, Any]:
    """One rule; `due_month`, `fold_last_into_year` and `data_cutoff_day` only where the plan
    says something other than their defaults (a file as a person would write it)."""
    key = (duty.reporter, duty.period)
    rule: dict[str, Any] = {
        "code": code or rule_code(*key),
        "reporter": duty.reporter,
        "period": duty.period,
        "due_before_day": duty.due_before_day,
        "due_before_month": duty.due_before_month,
    }
    if duty.period != "year" and duty.due_month != "next":
        rule["due_month"] = duty.due_month
    if duty.fold_last_into_year:
        rule["fold_last_into_year"] = True
    if duty.data_cutoff_day is not None:
        rule["data_cutoff_day"] = duty.data_cutoff_day
    rule["recipient"] = res.recipients[key]
    rule["text"] = duty.text
    return rule


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
    if "copy_duties" in block:  # keep each duty's tasks and units that still exist
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
