"""Seams at the crash points of the exactly-once design (decision 0005): tests make them kill
the process right after a notice is recorded, claimed or accepted by the relay."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def _nothing(_: str) -> None:
    return None


@dataclass
class DeliveryHooks:
    after_record: Callable[[str], None] = _nothing
    after_claim: Callable[[str], None] = _nothing
    after_accept: Callable[[str], None] = _nothing
