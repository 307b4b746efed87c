"""Names in the plan -> units of the directory: each lead and supporting unit, the focal unit,
who receives reports, the leaders of the escalation. Pure (scoring by `matching`).

A name found surely is taken; one found less surely is taken with a note saying how sure; a
name not found stops the import with the row and column where it is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from minhbach.plan_import import messages, schema
from minhbach.plan_import.appendix_table import TITLES
from minhbach.plan_import.cells import and_parts
from minhbach.plan_import.duties import FOCAL_WORDS
from minhbach.plan_import.errors import ImportFailure
from minhbach.plan_import.matching import Match, match_unit
from minhbach.plan_import.model import Note, PlanDraft, TaskDraft, UnitRef
from minhbach.plan_import.text import fold
from minhbach.plan_import.units import Directory, DirectoryUnit


@dataclass
class Resolution:
    lead: dict[str, tuple[str, ...]] = field(default_factory=dict)  # task -> unit/group codes
    supporting: dict[str, tuple[str, ...]] = field(default_factory=dict)
    focal: str = ""
    chairman: str = ""
    vice_chairman: str = ""
    recipients: dict[tuple[str, str], str] = field(default_factory=dict)  # (reporter, period)
    matches: dict[str, Match] = field(default_factory=dict)  # by the plan's words
    groups: list[str] = field(default_factory=list)  # group codes in use, in order
    notes: list[Note] = field(default_factory=list)


def resolve(
    draft: PlanDraft, directory: Directory, source: str, header: dict[str, str]
) -> Resolution:
    out = Resolution()
    units = directory.units
    kinds = {unit.kind for unit in units}
    for task in draft.tasks:
        for column in ("lead", "supporting"):
            refs: Sequence[UnitRef] = task.lead if column == "lead" else task.supporting
            codes = [
                code
                for ref in refs
                for code in _ref(out, ref, task, column, units, kinds, source, directory, header)
            ]
            (out.lead if column == "lead" else out.supporting)[task.code] = tuple(
                dict.fromkeys(codes)
            )
    focal = _named(out, draft.meta.focal_unit_name, units)
    if focal is None:
        raise ImportFailure(
            messages.unknown_focal(source, draft.meta.focal_unit_name, directory.source)
        )
    out.focal = focal.code
    leaders = [unit for unit in units if unit.kind == "leadership"]
    for duty in draft.duties:
        if fold(duty.recipient) == fold(FOCAL_WORDS):
            out.recipients[(duty.reporter, duty.period)] = out.focal
            continue
        if not duty.recipient:  # "báo cáo ... " without a name the reader could take
            chair = next((u for u in leaders if fold(u.name).startswith("chu tich")), None)
            if chair is not None:
                out.recipients[(duty.reporter, duty.period)] = chair.code
                out.notes.append(
                    Note(("duties", duty.reporter), messages.recipient_guessed(chair.name))
                )
                continue
        unit = _named(out, duty.recipient, leaders) if duty.recipient else None
        if unit is None:
            raise ImportFailure(
                messages.unknown_recipient(source, duty.recipient or "?", directory.source)
            )
        out.recipients[(duty.reporter, duty.period)] = unit.code
    _leaders(out, draft, leaders, source, directory)
    return out


def _ref(
    out: Resolution,
    ref: UnitRef,
    task: TaskDraft,
    column: str,
    units: Sequence[DirectoryUnit],
    kinds: set[str],
    source: str,
    directory: Directory,
    header: dict[str, str],
) -> list[str]:
    title = header.get(column, TITLES[column])
    if ref.group is not None:
        if not kinds & set(schema.group_kinds(ref.group)):
            raise ImportFailure(
                messages.unknown_unit(
                    source, _where(task), title, task.code, ref.text, directory.source
                )
            )
        if ref.group not in out.groups:
            out.groups.append(ref.group)
        return [ref.group]
    parts = _split(ref.text)
    if len(parts) > 1:  # "Văn phòng UBND tỉnh, Thuế tỉnh", "Sở A và Sở B": one name or several?
        whole = match_unit(ref.text, units)
        split = [match_unit(part, units) for part in parts]
        if all(m.unit is not None for m in split) and min(m.score for m in split) > whole.score:
            return [unit.code for part in parts if (unit := _named(out, part, units)) is not None]
    unit = _named(out, ref.text, units)
    if unit is None:
        raise ImportFailure(
            messages.unknown_unit(
                source, _where(task), title, task.code, ref.text, directory.source
            )
        )
    return [unit.code]


def _where(task: TaskDraft) -> str:
    return messages.place_in_table(task.table, task.row)


def _split(text: str) -> list[str]:
    return [piece for part in text.split(",") if part.strip() for piece in and_parts(part.strip())]


def _named(
    out: Resolution, name: str | None, units: Sequence[DirectoryUnit]
) -> DirectoryUnit | None:
    if not name:
        return None
    match = out.matches.get(name) or match_unit(name, units)
    if match.unit is not None and match.unit not in units:
        match = match_unit(name, units)
    out.matches.setdefault(name, match)
    if match.unit is not None and not match.sure:
        runner_up = match.runner_up.name if match.runner_up else None
        out.notes.append(
            Note(
                ("unit", match.unit.code, "match"),
                messages.matched(name, match.unit.name, match.score, runner_up),
            )
        )
    return match.unit


def _leaders(
    out: Resolution,
    draft: PlanDraft,
    leaders: Sequence[DirectoryUnit],
    source: str,
    directory: Directory,
) -> None:
    """The chairman receives the focal unit's reports; the vice-chairman in charge ends the
    escalation ladder (the plan's signer, when the directory names him)."""
    focal_recipient = next(
        (code for (reporter, _), code in out.recipients.items() if reporter == "focal_unit"), None
    )
    if focal_recipient is None:
        chair = next((u for u in leaders if fold(u.name).startswith("chu tich")), None)
        if chair is None:
            raise ImportFailure(messages.unknown_recipient(source, "Chủ tịch", directory.source))
        focal_recipient = chair.code
        out.notes.append(Note(("roles", "chairman"), messages.chairman_guessed(chair.name)))
    out.chairman = focal_recipient
    signer = fold(draft.meta.signer_name or "")
    by_person = next((u for u in leaders if u.person and fold(u.person) == signer), None)
    vice = by_person or next(
        (u for u in leaders if "pho chu tich" in fold(u.name) and "phu trach" in fold(u.name)),
        None,
    )
    if vice is None:
        vice = next((u for u in leaders if "pho chu tich" in fold(u.name)), None)
    if vice is None:
        out.vice_chairman = out.chairman
        out.notes.append(
            Note(
                ("roles", "vice_chairman_in_charge"),
                messages.NO_VICE_CHAIR,
            )
        )
        return
    out.vice_chairman = vice.code
    out.notes.append(
        Note(
            ("roles", "vice_chairman_in_charge"),
            messages.vice_chair_chosen(vice.name, by_person is not None),
        )
    )
