"""A digest becomes one e-mail: Vietnamese plain text and HTML from the Jinja2 templates.

Headers are built with `email.message.EmailMessage` under `policy.SMTP`: the Subject holds only
fixed words and numbers, and any text from the plan (a unit's name in `To`) is reduced to one line
and folded/encoded by the policy, so no name can start a header of its own.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from functools import cache, lru_cache
from typing import Any, Final

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from minhbach.calendar import TZ, format_vn_date, last_on_time_day
from minhbach.plan import Plan
from notifier import messages
from notifier.domain.ladder import Digest, Item

_CONTROL = frozenset({"Cc", "Cf", "Zl", "Zp"})
SECTION_ORDER = ("escalation", "overdue", "portal_down", "reminder")


@dataclass(frozen=True, slots=True)
class ComposedNotice:
    message_id: str
    subject: str
    sender: str  # envelope MAIL FROM
    data: bytes  # the message exactly as it goes over SMTP, every time


@lru_cache(maxsize=8192)
def one_line(text: str) -> str:
    """Text from outside as a single printable line: CR, LF and other controls become spaces.

    A round repeats the same names, titles and task texts thousands of times: cached, and a
    text `str.isprintable` accepts (no Other or Separator but the ASCII space, so none of
    `_CONTROL`) skips the per-character look-up."""
    if text.isprintable():
        return " ".join(text.split())
    printable = "".join(" " if unicodedata.category(c) in _CONTROL else c for c in text)
    return " ".join(printable.split())


def set_subject(msg: EmailMessage, subject: str) -> None:
    """The Subject, encoded and folded by the legacy `Header` encoder. Python 3.11's own folding
    of a long Vietnamese Subject drops the space at a fold (the coordinator received "báo cáo
    tổnghợp"); `Header` folds between encoded words that carry their own spaces, and the policy
    leaves lines that short as they are. CR and LF cannot reach the header: `one_line` removes
    them and the text travels base64-encoded."""
    msg.set_raw("Subject", Header(one_line(subject), "utf-8", header_name="Subject").encode())


def envelope_sender(mail_from: str) -> str:
    return parseaddr(mail_from)[1] or "minhbach@localhost"


def message_id_for(key: str, mail_from: str) -> str:
    """Stable Message-ID from the notice key: a re-send is recognisably the same message."""
    domain = envelope_sender(mail_from).rpartition("@")[2] or "localhost"
    return f"<{key}@{domain}>"


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("notifier", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def compose(
    digest: Digest, plan: Plan, *, mail_from: str, intake_url: str, now: datetime
) -> ComposedNotice:
    subject = messages.subject_line(digest.stage, len(digest.items))
    recipient_name = one_line(plan.unit(digest.recipient).name)
    context = {
        "subject": subject,
        "greeting": messages.GREETING,
        "recipient_name": recipient_name,
        "sections": _sections(digest, plan, intake_url),
        "footer": messages.FOOTER.format(plan=one_line(plan.meta.title)),
    }
    env = _environment()
    text = env.get_template("digest.txt.j2").render(context)
    html = env.get_template("digest.html.j2").render(context)
    message_id = message_id_for(digest.key, mail_from)

    msg = EmailMessage(policy=policy.SMTP)
    set_subject(msg, subject)
    msg["From"] = mail_from
    msg["To"] = Address(display_name=recipient_name, addr_spec=digest.recipient_email)
    msg["Date"] = format_datetime(now.astimezone(TZ))
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Minhbach-Notice-Key"] = digest.key
    msg["X-Minhbach-Stage"] = digest.stage
    msg.set_content(_TEXT_BODY, charset="utf-8", cte="8bit")
    msg.add_alternative(_HTML_BODY, subtype="html", charset="utf-8", cte="8bit")
    data = msg.as_bytes()
    data = data.replace(_body_bytes(_TEXT_BODY), _body_bytes(text), 1)
    data = data.replace(_body_bytes(_HTML_BODY), _body_bytes(html), 1)
    return ComposedNotice(message_id, subject, envelope_sender(mail_from), data)


# The two bodies are 8bit UTF-8 and thousands of lines long: `email` writes them line by line
# (a quarter of a round's composing time). `email` builds the message around two one-line
# stand-ins instead and the bodies are put in their place, as the bytes `email` would have
# written for them (`_body_bytes`). The stand-ins hold a control character, which no header can
# carry (`one_line`), so the first occurrence of each is its body. The MIME boundary is drawn
# as before (`random`, checked against lines starting with "--", which no line of a digest
# does), so the bytes are those `email` wrote with the full bodies: the pinned test holds them.
_TEXT_BODY: Final = "\x01minhbach:text-body\x01"
_HTML_BODY: Final = "\x01minhbach:html-body\x01"


def _body_bytes(text: str) -> bytes:
    """An 8bit body as `email` writes it under `policy.SMTP`: the UTF-8 lines (`bytes.splitlines`
    in `contentmanager`), each ended by CRLF."""
    return b"\r\n".join(text.encode("utf-8").splitlines() or [b""]) + b"\r\n"


def _sections(digest: Digest, plan: Plan, intake_url: str) -> list[dict[str, Any]]:
    grouped: dict[str, list[Item]] = {}
    for item in digest.items:
        grouped.setdefault(messages.intro_key(item.stage), []).append(item)
    sections = []
    for key in SECTION_ORDER:
        if key not in grouped:
            continue
        action_text, action_url = _action(key, intake_url)
        lines = [_line(item, digest.recipient, plan) for item in grouped[key]]
        sections.append(
            {
                "title": messages.SECTION_TITLES[key],
                "intro": messages.INTRO[key],
                "text_lines": "".join(
                    _text_line(n, title, fields) for n, (title, fields) in enumerate(lines, 1)
                ),
                "html_lines": Markup("".join(_html_line(title, fields) for title, fields in lines)),
                "action": f"{action_text} {action_url}".strip() + ".",
                "action_text": action_text,
                "action_url": action_url,
            }
        )
    return sections


# The digest's item lines, thousands in a round, are built here rather than looped over in the
# templates (which keep the frame): the same characters as the templates' loops made, in a
# fraction of the time. The pinned test in tests/unit/notifier holds them to the same bytes.


def _text_line(n: int, title: str, fields: list[tuple[str, str]]) -> str:
    return f"\n{n}. {title}\n" + "".join(f"   - {label}: {value}\n" for label, value in fields)


def _html_line(title: str, fields: list[tuple[str, str]]) -> str:
    return (
        f'<li style="margin-bottom: 12px;">\n<strong>{escape(title)}</strong>\n<ul>\n'
        + "".join(f"<li>{escape(label)}: {_html_value(value)}</li>\n" for label, value in fields)
        + "</ul>\n</li>\n"
    )


@lru_cache(maxsize=8192)
def _html_value(value: str) -> str:
    escaped = escape(value)
    if value.startswith(("http://", "https://")):
        return f'<a href="{escaped}">{escaped}</a>'
    return str(escaped)


def _action(section: str, intake_url: str) -> tuple[str, str]:
    if section == "portal_down":
        return messages.ACTION_PORTAL, ""
    if section == "escalation":
        return messages.ACTION_ESCALATION, intake_url
    return messages.ACTION_UNIT, intake_url


Line = tuple[str, list[tuple[str, str]]]


def _line(item: Item, recipient: str, plan: Plan) -> Line:
    unit_name = _unit_name(plan, item.subject_unit)
    if item.outage is not None:
        since = item.outage.since.astimezone(TZ)
        fields = [
            (messages.LABEL_PORTAL, one_line(item.outage.portal_url)),
            (messages.LABEL_SINCE, f"{since:%H:%M} {format_vn_date(since.date())}"),
        ]
        return f"{messages.LABEL_PORTAL}: {unit_name}", fields
    obligation = item.obligation
    assert obligation is not None, "an obligation item carries its obligation"
    fields = []
    if item.subject_unit != recipient:
        fields.append((messages.LABEL_UNIT, unit_name))
    fields.append((messages.LABEL_KIND, messages.KIND_LABELS.get(obligation.kind, obligation.kind)))
    if obligation.task_code:
        fields.append((messages.LABEL_TASK, _task_text(plan, obligation.task_code)))
    if obligation.period:
        period = messages.PERIOD_LABELS.get(obligation.period, obligation.period)
        fields.append((messages.LABEL_PERIOD, one_line(period)))
    fields.append((messages.LABEL_DUE, _due_text(obligation.due_at)))
    fields.append(
        (messages.LABEL_STATUS, messages.status_text(item.position.overdue, item.position.days))
    )
    if obligation.document_url:
        fields.append((messages.LABEL_DOCUMENT, one_line(obligation.document_url)))
    return one_line(obligation.title), fields


@lru_cache(maxsize=4096)
def _due_text(due_at: datetime) -> str:
    return format_vn_date(last_on_time_day(due_at))


def _unit_name(plan: Plan, code: str) -> str:
    return one_line(plan.unit(code).name) if plan.has_unit(code) else code


def _task_text(plan: Plan, code: str, limit: int = 160) -> str:
    try:
        text = one_line(plan.task(code).text)
    except KeyError:
        return code
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"{code}. {text}"
