"""The notifier's SQL, through a session the caller opens (the unit of work in `service.py` and
`operations.py`): facts from events, a sending round's inputs and records and what operators
change (`notices.py`), the delivery queue (`deliveries.py`) and reporting's drafts waiting to be
mailed (`drafts.py`). Functions take and return rows, ids and counts, never events."""

from notifier.store.notices import (
    ROUND_LOCK,
    RoundInputs,
    add_silence,
    list_notices,
    list_silences,
    load_round_inputs,
    record_notices,
    remove_silence,
    requeue,
    save_obligation,
    save_probe,
    try_lock_round,
)

__all__ = [
    "ROUND_LOCK",
    "RoundInputs",
    "add_silence",
    "list_notices",
    "list_silences",
    "load_round_inputs",
    "record_notices",
    "remove_silence",
    "requeue",
    "save_obligation",
    "save_probe",
    "try_lock_round",
]
