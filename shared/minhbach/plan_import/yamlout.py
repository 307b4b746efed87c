"""A small YAML writer that keeps comments: `Noted(value, notes)` puts "# <note>" lines above
the key or list item it annotates. Strings are written JSON-quoted (valid YAML, no surprises
with "1.1", "yes" or ": "), codes plain; lists of scalars in flow style.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

WIDTH = 100
_PLAIN = re.compile(r"^[a-z][a-z0-9_-]*$")
_RESERVED = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n"})


@dataclass(frozen=True, slots=True)
class Noted:
    value: Any
    notes: tuple[str, ...]


def render(data: Mapping[str, Any], header: Sequence[str] = ()) -> str:
    lines = [f"# {line}".rstrip() for line in header]
    _mapping(data, 0, lines)
    return "\n".join(lines) + "\n"


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and text not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _unwrap(value: Any) -> tuple[Any, tuple[str, ...]]:
    notes: tuple[str, ...] = ()
    while isinstance(value, Noted):
        notes, value = notes + value.notes, value.value
    return value, notes


def _is_flow(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(
        not isinstance(_unwrap(item)[0], Mapping | list | tuple) and not _unwrap(item)[1]
        for item in value
    )


def _comments(notes: tuple[str, ...], indent: int, lines: list[str]) -> None:
    for note in dict.fromkeys(notes):
        lines.append(" " * indent + f"# {note}")


def _mapping(data: Mapping[str, Any], indent: int, lines: list[str], first: str = "") -> None:
    pad = " " * indent
    for position, (key, raw) in enumerate(data.items()):
        value, notes = _unwrap(raw)
        lead = first if position == 0 and first else pad
        _comments(notes, indent, lines)
        head = f"{lead}{key}:"
        if isinstance(value, Mapping):
            if not value:
                lines.append(f"{head} {{}}")
            else:
                lines.append(head)
                _mapping(value, indent + 2, lines)
        elif isinstance(value, list | tuple):
            if _is_flow(value):
                items = ", ".join(scalar(_unwrap(item)[0]) for item in value)
                lines.append(f"{head} [{items}]")
            else:
                lines.append(head)
                _sequence(value, indent + 2, lines)
        elif _folds(value, indent + len(str(key)) + 4):
            lines.append(f"{head} >-")
            width = max(40, WIDTH - indent - 2)
            wrapped = textwrap.wrap(value, width, break_long_words=False, break_on_hyphens=False)
            lines.extend(" " * (indent + 2) + line for line in wrapped)
        else:
            lines.append(f"{head} {scalar(value)}")


def _folds(value: Any, indent: int) -> bool:
    """A long plain sentence is written folded (">-"), as the seed plan writes its texts."""
    return (
        isinstance(value, str)
        and len(value) + indent > WIDTH
        and value == " ".join(value.split())  # one space between words, none around
        and "\t" not in value
    )


def _sequence(items: Sequence[Any], indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for raw in items:
        value, notes = _unwrap(raw)
        _comments(notes, indent, lines)
        if isinstance(value, Mapping):
            if not value:
                lines.append(f"{pad}- {{}}")
            else:
                _mapping(value, indent + 2, lines, first=f"{pad}- ")
        elif isinstance(value, list | tuple):
            lines.append(f"{pad}- [{', '.join(scalar(_unwrap(i)[0]) for i in value)}]")
        else:
            lines.append(f"{pad}- {scalar(value)}")
