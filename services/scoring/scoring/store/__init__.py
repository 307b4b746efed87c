"""The scoring schema as seen by the service, one module per concern.

- `projections`: the facts scoring keeps of other services' events (reports, evidence,
  documents, probes), saved and read back;
- `task_states`: what each lead unit last reported of each task (derived from the reports);
- `ledger`: the obligations, written where they changed;
- `figures`: each indicator's figure, its history, and the inputs a figure is computed from;
- `locks`: how the writers of the ledger and of the figures are serialised.

Thin: rows to facts and back and bounded queries. Which change announces an event is decided
by the pure `scoring.domain.changes`; every other rule lives in the pure modules too.
"""
