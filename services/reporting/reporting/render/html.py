"""`OfficialDocument` -> HTML for the coordinator's page (same blocks as the .docx)."""

from __future__ import annotations

from reporting import messages as msg
from reporting.render.document import OfficialDocument
from reporting.templates import environment


def render_html(doc: OfficialDocument) -> str:
    """The document's own markup (a fragment the page template embeds)."""
    return environment().get_template("document.html").render(doc=doc, msg=msg)
