"""A digest as an e-mail: Vietnamese text and HTML, a stable Message-ID, and no way for a unit
name or a title to add headers (CR/LF, encoded words, HTML)."""

from __future__ import annotations

from datetime import date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import cast

import aiosmtplib

from minhbach.calendar import TZ, end_of_day
from notifier.compose import compose, message_id_for, one_line, set_subject
from notifier.domain.ladder import Ladder, Obligation, plan_round
from tests.notifier.helpers import SmtpServer, code_of, unique_plan

HOSTILE = "Phòng Tài chính\r\nBcc: victim@attacker.example.invalid\r\nSubject: pwned"
NOW = datetime(2024, 10, 4, 9, 0, tzinfo=TZ)


def composed_for(plan_rename: dict[str, str], title: str = "Báo cáo quý III") -> tuple[bytes, str]:
    plan = unique_plan(rename=plan_rename)
    unit = code_of(plan, "tckh")
    ob = Obligation("ob-1", unit, "quarterly_report", title, end_of_day(date(2024, 10, 1)))
    planned = plan_round(
        [ob],
        Ladder.from_plan(plan.escalation, 2),
        plan.working_calendar(),
        NOW,
        emails={u.code: u.email for u in plan.units},
    )
    digest = next(d for d in planned.digests if d.recipient == unit)
    notice = compose(
        digest, plan, mail_from="Minh Bạch <minhbach@localhost>", intake_url="http://x/", now=NOW
    )
    return notice.data, plan.unit(unit).email


def parsed(data: bytes) -> EmailMessage:
    return cast(EmailMessage, message_from_bytes(data, policy=policy.default))


def test_a_hostile_unit_name_cannot_add_headers() -> None:
    data, email = composed_for({"tckh": HOSTILE})
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    names = [line.split(":", 1)[0].lower() for line in head.split("\r\n") if line[:1] not in " \t"]
    assert "bcc" not in names
    assert names.count("subject") == 1 and names.count("to") == 1
    message = parsed(data)
    (address,) = message["To"].addresses
    assert address.addr_spec == email
    # Long encoded words are folded; decoders may differ on the spaces, never on the letters.
    assert address.display_name.replace(" ", "") == one_line(HOSTILE).replace(" ", "")
    assert "pwned" not in str(message["Subject"])


def test_a_hostile_title_stays_in_the_body_on_one_line() -> None:
    data, _ = composed_for({}, title="Báo cáo\r\nBcc: x@attacker.example.invalid <b>đậm</b>")
    message = parsed(data)
    assert message["Bcc"] is None
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Báo cáo Bcc: x@attacker.example.invalid <b>đậm</b>" in text
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<b>đậm</b>" not in html and "&lt;b&gt;đậm&lt;/b&gt;" in html


def test_vietnamese_headers_and_body_survive_the_trip() -> None:
    data, _ = composed_for({})
    message = parsed(data)
    assert str(message["Subject"]) == "[Minh Bạch] Thông báo quá hạn: 1 nội dung chưa hoàn thành"
    assert message["Date"] == "Fri, 04 Oct 2024 09:00:00 +0700"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Kính gửi: Phòng Tài chính - Kế hoạch," in text
    assert "Hạn cuối: ngày 01 tháng 10 năm 2024" in text


def test_the_message_id_is_derived_from_the_notice_key() -> None:
    data, _ = composed_for({})
    message = parsed(data)
    key = message["X-Minhbach-Notice-Key"]
    assert message["Message-ID"] == message_id_for(key, "Minh Bạch <minhbach@localhost>")
    assert message["Message-ID"] == f"<{key}@localhost>"


async def test_through_a_real_smtp_server_the_hostile_name_reaches_one_mailbox(
    smtp_server: SmtpServer,
) -> None:
    data, email = composed_for({"tckh": HOSTILE})
    await aiosmtplib.send(
        data,
        sender="minhbach@localhost",
        recipients=[email],
        hostname="127.0.0.1",
        port=smtp_server.port,
    )
    (received,) = smtp_server.received
    assert received.recipients == (email,)
    assert received.message["Bcc"] is None


def test_a_long_vietnamese_subject_keeps_every_space() -> None:
    """Python's own folding dropped the space at a fold ("báo cáo tổnghợp")."""
    for subject in (
        "[Minh Bạch] Dự thảo báo cáo tổng hợp gửi Chủ tịch UBND huyện (phiên bản 1)",
        "[Minh Bạch] " + "Thông báo quá hạn: 1 nội dung chưa hoàn thành; " * 5,
    ):
        msg = EmailMessage(policy=policy.SMTP)
        hostile = subject + "\r\nBcc: x@attacker.example.invalid"
        set_subject(msg, hostile)
        msg.set_content("Nội dung")
        data = msg.as_bytes()
        head = data.split(b"\r\n\r\n", 1)[0]
        assert max(len(line) for line in head.split(b"\r\n")) <= 78
        assert b"\r\nBcc" not in head
        assert str(parsed(data)["Subject"]) == one_line(
            subject + " Bcc: x@attacker.example.invalid"
        )
