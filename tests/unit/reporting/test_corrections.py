"""A person's correction of a document's kind, as the page reads its form (issue 19): the kinds
offered are the plan's, with the plan's names, and "other"; a form that is no correction says
why, and nothing is sent."""

from __future__ import annotations

from datetime import UTC, datetime

from minhbach.plan import default_plan_path, load_plan
from reporting.domain.corrections import (
    NOTE_LIMIT,
    Correction,
    RecordedCorrection,
    Refusal,
    kind_choices,
    kind_name,
    read_correction,
)

PLAN = load_plan(default_plan_path())
CHOICES = kind_choices(PLAN, "Khác")


def test_the_choices_are_the_plans_kinds_with_their_names_then_other() -> None:
    assert [(c.code, c.name) for c in CHOICES] == [
        *((k.code, k.name) for k in PLAN.document_kinds),
        ("other", "Khác"),
    ]
    assert kind_name(CHOICES, "directive") == "Văn bản chỉ đạo, điều hành"
    assert kind_name(CHOICES, "retired") == "retired"  # a code the plan no longer names


def test_a_form_is_a_correction_only_with_a_known_different_kind_and_a_short_note() -> None:
    assert read_correction(CHOICES, "other", " directive ", "  Là  chỉ thị ") == Correction(
        "directive", "Là chỉ thị"
    )
    assert read_correction(CHOICES, "other", "directive", "   ") == Correction("directive", None)
    assert read_correction(CHOICES, "other", "", "") == Refusal("no_kind")
    assert read_correction(CHOICES, "other", "zoning", "") == Refusal("unknown_kind")
    assert read_correction(CHOICES, "directive", "directive", "") == Refusal("same_kind")
    long_note = "x" * (NOTE_LIMIT + 1)
    assert read_correction(CHOICES, "other", "qa", long_note) == Refusal("note_too_long")
    assert read_correction(CHOICES, "other", "qa", "x" * NOTE_LIMIT) == Correction(
        "qa", "x" * NOTE_LIMIT
    )


def test_a_correction_is_applied_once_portal_monitor_gives_the_corrected_kind() -> None:
    made = RecordedCorrection("other", "directive", "vhtt", datetime(2024, 10, 10, tzinfo=UTC))
    assert not made.applied("directive")
    assert made.applied("other")
