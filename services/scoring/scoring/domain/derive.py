"""The full derivation, as one pure function: facts in, task states, ledger and figures out.

This is what a rebuild computes; the incremental path (the store, per event) must end in the
same place, and the tests hold it to that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scoring.domain.facts import DocumentFact, EvidenceFact, Facts, ProbeFact, ReportFact
from scoring.domain.obligations import Obligation, ObligationRules
from scoring.domain.readiness import (
    IndicatorFigure,
    ReadinessInputs,
    ReadinessModel,
    TaskState,
    untimed_by_kind,
)


@dataclass(frozen=True)
class Derived:
    task_states: dict[tuple[str, str], TaskState]
    obligations: tuple[Obligation, ...]  # sorted by id
    figures: tuple[IndicatorFigure, ...]  # by indicator number


class Relevance:
    """Which facts belong to a plan: its year, its units. Others (another plan's, a test's) are
    ignored by the incremental path and the rebuild alike."""

    def __init__(self, rules: ObligationRules) -> None:
        self.rules = rules

    def report(self, fact: ReportFact) -> bool:
        return fact.plan_year == self.rules.year and self.rules.knows_unit(fact.unit_code)

    def evidence(self, fact: EvidenceFact) -> bool:
        return fact.plan_year == self.rules.year and self.rules.knows_unit(fact.unit_code)

    def document(self, fact: DocumentFact) -> bool:
        return self.rules.knows_unit(fact.portal_unit_code)

    def probe(self, fact: ProbeFact) -> bool:
        return self.rules.knows_unit(fact.portal_unit_code)

    def facts(self, facts: Facts) -> Facts:
        return Facts(
            reports=tuple(f for f in facts.reports if self.report(f)),
            evidence=tuple(f for f in facts.evidence if self.evidence(f)),
            documents=tuple(f for f in facts.documents if self.document(f)),
            probes=tuple(f for f in facts.probes if self.probe(f)),
        )


def derive(
    model: ReadinessModel, facts: Facts, now: datetime, *, with_items: bool = True
) -> Derived:
    facts = Relevance(model.rules).facts(facts)
    states = model.task_states(facts.reports)
    ledger = model.rules.all_obligations(facts.reports, facts.evidence, facts.documents)
    inputs = ReadinessInputs(
        states,
        ledger,
        facts.probes,
        facts.documents,
        untimed_documents=untimed_by_kind(facts.documents),
    )
    return Derived(
        task_states=states,
        obligations=tuple(sorted(ledger, key=lambda o: o.obligation_id)),
        figures=model.figures(inputs, now, with_items=with_items),
    )
