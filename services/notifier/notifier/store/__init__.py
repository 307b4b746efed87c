"""The notifier's SQL, through a session the caller opens (the unit of work in `service.py`):
facts from events, a sending round's inputs and records and what operators change
(`notices.py`) and the delivery queue (`deliveries.py`). Functions return rows, ids and counts,
never events."""

from notifier.store.notices import (
    FULFILLED,
    ROUND_LOCK,
    RoundInputs,
    add_silence,
    apply_obligation,
    apply_probe,
    list_notices,
    list_silences,
    load_round_inputs,
    record_notices,
    remove_silence,
    requeue,
    try_lock_round,
)

__all__ = [
    "FULFILLED",
    "ROUND_LOCK",
    "RoundInputs",
    "add_silence",
    "apply_obligation",
    "apply_probe",
    "list_notices",
    "list_silences",
    "load_round_inputs",
    "record_notices",
    "remove_silence",
    "requeue",
    "try_lock_round",
]
