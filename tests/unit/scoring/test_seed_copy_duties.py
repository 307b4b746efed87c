"""The seed's copy duty, declared in the plan (`portal_monitoring.copy_duties`), owes exactly
what the rule keyed on kind names owed before it: a `district` unit's documents of the kinds of
tasks 1.1, 2.1 and 8.3, on the portal of every lead unit of those tasks that has one, due when
the source document is, under the first of those tasks about the kind (decision 0013)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from minhbach.events.catalogue import DocumentFound, PortalDocument
from minhbach.plan import Plan, default_plan_path, load_plan
from scoring.domain.facts import document_fact
from scoring.domain.obligations import ObligationRules

PLAN = load_plan(default_plan_path())
OLD_COPY_TASKS = ("1.1", "2.1", "8.3")  # the retired `commune_copy_tasks` of the seed


def old_copy_units(plan: Plan, kind: str, source: str) -> tuple[str, ...]:
    """The retired rule, verbatim in effect: sources were units of kind `district`; targets the
    lead units of the copy tasks about the kind that have a portal."""
    if plan.unit(source).kind != "district":
        return ()
    units: dict[str, None] = {}
    for code in OLD_COPY_TASKS:
        if kind in plan.task(code).document_kinds:
            for unit in plan.lead_unit_codes(code):
                if unit != source and plan.unit(unit).portal is not None:
                    units[unit] = None
    return tuple(units)


def old_task_code(plan: Plan, kind: str) -> str | None:
    return next((c for c in OLD_COPY_TASKS if kind in plan.task(c).document_kinds), None)


def test_every_portal_and_kind_owes_the_same_copies_as_before() -> None:
    rules = ObligationRules(PLAN).postings
    kinds = [k.code for k in PLAN.document_kinds]
    compared = 0
    for unit in PLAN.portal_units():
        for kind in kinds:
            assert set(rules.copy_units(kind, unit.code)) == set(
                old_copy_units(PLAN, kind, unit.code)
            ), (unit.code, kind)
            compared += 1
    assert compared == len(PLAN.portal_units()) * len(kinds)
    assert len(rules.copy_units("planning", "ubnd-huyen")) == 25  # 23 communes and 2 towns


def _doc(kind: str, portal: str = "ubnd-huyen") -> PortalDocument:
    return PortalDocument(
        document_id=uuid.uuid4(),
        portal_unit_code=portal,
        url=f"http://127.0.0.1/{portal}/{kind}",
        title=f"Văn bản {kind}",
        section="planning",
        kind=kind,
        document_number="15/KH-UBND",
        issued_on=date(2024, 6, 3),
        first_seen_at=datetime(2024, 6, 4, tzinfo=UTC),
    )


def test_the_seeds_obligation_set_is_unchanged() -> None:
    rules = ObligationRules(PLAN).postings
    for kind in [k.code for k in PLAN.document_kinds]:
        doc = document_fact(DocumentFound(document=_doc(kind), occurred_at=datetime.now(UTC)))
        owed = rules.document_obligations(doc)
        own = [o for o in owed if o.obligation_id.startswith("post:")]
        copies = {o.unit_code: o for o in owed if o.obligation_id.startswith("copy:")}
        assert set(copies) == set(old_copy_units(PLAN, kind, "ubnd-huyen")), kind
        for copy in copies.values():
            assert copy.due_at == own[0].due_at  # due when the source document is
            assert copy.task_code == old_task_code(PLAN, kind)
        # A commune's own document owes no copies, whatever its kind.
        commune = document_fact(
            DocumentFound(document=_doc(kind, "bao-dai"), occurred_at=datetime.now(UTC))
        )
        assert not [
            o for o in rules.document_obligations(commune) if o.obligation_id.startswith("copy:")
        ]
