"""Jinja2 templates of the coordinator's page and of the HTML view of a draft."""

from __future__ import annotations

import html
import re
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup


def table_rows(rows: tuple[tuple[str, ...], ...]) -> Markup:
    """A table's body rows, each cell escaped and its lines joined by <br>. Built here rather
    than by a template loop: a district's report has some 100,000 cells, and a loop per cell in
    the template was most of the time it took to draft."""
    return Markup(
        "".join(
            "<tr>" + "".join(f"<td>{_cell(cell)}</td>" for cell in row) + "</tr>\n" for row in rows
        )
    )


def _cell(text: str) -> str:
    if not _NOT_PLAIN.search(text):  # most cells: nothing to escape, one search says so
        return text
    return html.escape(text).replace("\n", "<br>")


_NOT_PLAIN = re.compile("[&<>\"'\n]")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reporting", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["table_rows"] = table_rows
    return env
