"""Shared helpers for the plan tests: the seed text and small edits of it."""

from __future__ import annotations

from functools import cache

from minhbach.plan import Plan, default_plan_path, load_plan


@cache
def seed_text() -> str:
    return default_plan_path().read_text(encoding="utf-8")


@cache
def seed_plan() -> Plan:
    return load_plan(default_plan_path())


def edited(old: str, new: str) -> str:
    """The seed with one exact, unique snippet replaced (fails loudly if the seed changed)."""
    text = seed_text()
    assert text.count(old) == 1, f"snippet not unique in the seed: {old!r}"
    return text.replace(old, new)


def line_of(text: str, marker: str) -> int:
    """1-based number of the only line containing `marker`."""
    found = [number for number, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(found) == 1, f"marker {marker!r} on lines {found}"
    return found[0]


def task_index(code: str) -> int:
    return [task.code for task in seed_plan().tasks].index(code)


def unit_index(code: str) -> int:
    return [unit.code for unit in seed_plan().units].index(code)


def indicator_index(number: int) -> int:
    return [indicator.number for indicator in seed_plan().indicators].index(number)
