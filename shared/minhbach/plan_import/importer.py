"""From the plan's .docx and the unit directory's rows to a plan file that validates.

`import_plan` is pure over what the adapters read (a `SourceDocument`, `UnitRow`s, the text of a
base or template plan); it returns the YAML text, the loaded `Plan`, the Vietnamese summary and,
with a base plan, the differences. Nothing is written when any of it fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import yaml

from minhbach.plan import Plan, PlanError, parse_plan
from minhbach.plan_import import messages, schema
from minhbach.plan_import.appendix import read_appendix
from minhbach.plan_import.appendix_table import locate
from minhbach.plan_import.diff import differences
from minhbach.plan_import.duties import read_duties
from minhbach.plan_import.errors import ImportFailure
from minhbach.plan_import.matching import ACCEPTED, match_unit
from minhbach.plan_import.metadata import read_meta
from minhbach.plan_import.model import Note, PlanDraft, SourceDocument, UnitRow
from minhbach.plan_import.resolve import Resolution, resolve
from minhbach.plan_import.summary import summary
from minhbach.plan_import.text import clean, correct_typos
from minhbach.plan_import.units import Directory, DirectoryUnit, build_directory, with_codes
from minhbach.plan_import.yamlout import render


@dataclass(frozen=True)
class ImportResult:
    text: str  # the plan file
    plan: Plan
    summary: str  # Vietnamese, for the person importing
    draft: PlanDraft
    resolution: Resolution
    differences: tuple[str, ...]  # with a base plan: what changed, in Vietnamese


def read_draft(document: SourceDocument) -> tuple[PlanDraft, dict[str, str]]:
    """The plan as the document says it (no units resolved yet), and the appendix header."""
    appendix_tables, _, _ = locate(document.blocks, document.name)
    lines: list[str] = []
    corrections: list[str] = []
    for block in document.blocks:
        texts = block.lines() if not isinstance(block, str) else tuple(block.splitlines())
        if any(block is table for table in appendix_tables):
            continue
        for text in texts:
            fixed, notes = correct_typos(clean(text))
            corrections.extend(notes)
            if fixed:
                lines.append(fixed)
    meta, meta_notes, _ = read_meta(lines, schema.LEVEL_WORDS)
    if meta.year is None:
        raise ImportFailure(messages.no_year(document.name))
    table = read_appendix(document.blocks, document.name, schema.group_phrases(), meta.year)
    duties, duty_notes = read_duties(lines)
    draft = PlanDraft(
        meta=meta,
        indicators=tuple(table.indicators),
        tasks=tuple(table.tasks),
        duties=tuple(duties),
        notes=(*meta_notes, *table.notes, *duty_notes),
        corrections=tuple(dict.fromkeys([*corrections, *table.corrections])),
    )
    return draft, table.header


def import_plan(
    document: SourceDocument,
    units_source: str,
    unit_rows: Sequence[UnitRow],
    policy_text: str,
    from_base: bool,
) -> ImportResult:
    """`policy_text`: the base plan (`from_base`) whose codes, portals and policy are kept, or
    the template plan whose deployment policy a new plan starts from."""
    draft, header = read_draft(document)
    directory = build_directory(units_source, unit_rows)
    policy: dict[str, Any] = yaml.safe_load(policy_text) or {}
    base_plan: Plan | None = None
    if from_base:
        base_plan = parse_plan(policy_text, "--base")
        directory = _keep_base_codes(directory, base_plan)
    res = resolve(draft, directory, document.name, header)
    notes = schema.Notes([*draft.notes, *directory.notes, *res.notes])
    data = schema.plan_document(draft, directory, res, policy, from_base, notes)
    header_lines = messages.file_header(document.name, units_source, from_base, draft.corrections)
    text = render(data, header_lines)
    try:
        plan = parse_plan(text, "plan.yaml")
    except PlanError as error:
        raise ImportFailure(messages.invalid_result([i.format() for i in error.issues])) from None
    diff = tuple(differences(base_plan, plan)) if base_plan is not None else ()
    checks = text.count("KIỂM TRA:")
    report = summary(draft, directory, res, plan, notes.notes, diff, from_base, checks)
    return ImportResult(text, plan, report, draft, res, diff)


def _keep_base_codes(directory: Directory, base: Plan) -> Directory:
    """Each unit of the directory that the base plan already has (by name) keeps its code."""
    base_units = [
        DirectoryUnit(u.code, u.name, u.kind, u.email, u.portal, None, u.person, (), 0)
        for u in base.units
    ]
    codes: dict[str, str] = {}
    notes: list[Note] = []
    taken = {unit.code for unit in directory.units}
    for unit in directory.units:
        if base.has_unit(unit.code) and base.unit(unit.code).name == unit.name:
            continue
        match = match_unit(unit.name, base_units)
        if match.unit is None or match.score < ACCEPTED or match.unit.code in codes.values():
            continue
        if match.unit.code in taken and match.unit.code != unit.code:
            continue
        codes[unit.code] = match.unit.code
        notes.append(
            Note(
                ("unit", match.unit.code, "code"),
                messages.code_kept(match.unit.code, unit.name, match.score),
            )
        )
    return replace(with_codes(directory, codes), notes=(*directory.notes, *notes))
