"""A person corrects a document's kind from the coordinator's page (issue 19): which kinds may be
chosen (the plan's document kinds, with their names from the plan, and "other"), what a form's
values must be, and whether portal-monitor's reading has caught up with a correction.

Pure: the page reads the form, this says whether it is a correction, the adapter sends it to
portal-monitor (which owns the document's kind) and records who made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from minhbach.plan import Plan
from minhbach.plan.portal import OTHER_KIND

NOTE_LIMIT = 500  # characters of the reason a person may give


@dataclass(frozen=True, slots=True)
class KindChoice:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Correction:
    kind: str
    note: str | None


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a form is no correction (a key of `messages.CORRECTION_ERRORS`)."""

    reason: str


@dataclass(frozen=True, slots=True)
class RecordedCorrection:
    """A correction made through this page: who, when, to what."""

    kind: str
    previous_kind: str
    corrected_by: str  # the reader's unit code
    corrected_at: datetime
    note: str | None = None

    def applied(self, current_kind: str) -> bool:
        """portal-monitor has re-read the document and now gives it the corrected kind."""
        return current_kind == self.kind


def kind_choices(plan: Plan, other_name: str) -> tuple[KindChoice, ...]:
    """The plan's document kinds in plan order, then "other" (no document of the plan)."""
    choices = [KindChoice(k.code, k.name) for k in plan.document_kinds if k.code != OTHER_KIND]
    return (*choices, KindChoice(OTHER_KIND, other_name))


def read_correction(
    choices: tuple[KindChoice, ...], current_kind: str, kind: str, note: str
) -> Correction | Refusal:
    """The form's values as a correction, or why they are none."""
    kind, note = kind.strip(), " ".join(note.split())
    if not kind:
        return Refusal("no_kind")
    if kind not in {c.code for c in choices}:
        return Refusal("unknown_kind")
    if kind == current_kind:
        return Refusal("same_kind")
    if len(note) > NOTE_LIMIT:
        return Refusal("note_too_long")
    return Correction(kind, note or None)


def kind_name(choices: tuple[KindChoice, ...], code: str) -> str:
    """The kind's name from the plan; a code the plan no longer names, as it is."""
    return next((c.name for c in choices if c.code == code), code)
