"""The obligations ledger, as pure rules: from the plan, the calendar and facts to obligations.

An obligation is something one unit owes by a due instant (exclusive: on time iff done before
it). Its status is never stored as truth; it is derived from the due instant, the fulfilment and
"now" (`Obligation.status`).

Kinds (all from the plan file, nothing about a level of government in code):
- reports of each lead unit, per quarter and per year (`reporting_rules`, reporter lead_units),
  and the focal unit's consolidated reports (reporter focal_unit);
- fixed-deadline tasks (timing fixed_deadline), one per lead unit;
- document postings: a document of a posting kind found on a portal was owed on that portal
  within the window after its date of issue (each portal's own); a document of a copy duty's
  source portal and kinds (`portal_monitoring.copy_duties`) is owed on each of the duty's target
  portals too.
Obligations exist from the plan's `effective_from`: report periods ending before it, fixed tasks
due before it and documents issued before it owe nothing.

The package: `obligation` (what an obligation is and its status), `rules` (reports and
fixed-deadline tasks, and the whole ledger), `postings` (what documents make owed).
"""

from scoring.domain.obligations.obligation import Fulfilment, Obligation, derive_status, earliest
from scoring.domain.obligations.postings import DocumentIndex, PostingRules, match_keys
from scoring.domain.obligations.rules import ObligationRules

__all__ = [
    "DocumentIndex",
    "Fulfilment",
    "Obligation",
    "ObligationRules",
    "PostingRules",
    "derive_status",
    "earliest",
    "match_keys",
]
