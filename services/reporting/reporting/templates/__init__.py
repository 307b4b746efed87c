"""Jinja2 templates of the coordinator's page and of the HTML view of a draft."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape


def line_breaks(text: str) -> Markup:
    """A table cell's text escaped, its lines joined by <br> (one call per cell: a district's
    report has some 100,000 cells)."""
    return Markup(str(escape(text)).replace("\n", "<br>"))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reporting", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["line_breaks"] = line_breaks
    return env
