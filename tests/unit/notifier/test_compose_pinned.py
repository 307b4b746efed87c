"""The composed e-mails of a round over the seed plan, pinned byte for byte.

A recorded notice is sent as its stored bytes (decision 0005); making `compose` faster must not
change a single one of them. The round covers every section (reminder, overdue, escalation,
portal down), items of the recipient's own unit and of others, task texts (long ones cut),
periods, document links (http and not), a title with CR/LF and HTML, and a hostile unit name.
The hashes were taken from `compose` as it was before it was made faster (issue 23).
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from minhbach.calendar import TZ, end_of_day
from minhbach.plan import Plan
from notifier import messages
from notifier.compose import compose
from notifier.domain.ladder import Digest, Ladder, Obligation, PortalOutage, plan_round
from tests.notifier.helpers import code_of, unique_plan

NOW = datetime(2024, 10, 16, 9, 0, tzinfo=TZ)  # a Wednesday, in working hours
HOSTILE = "Phòng Tài chính <b>&</b>\r\nBcc: victim@attacker.example.invalid"
KINDS = ("quarterly_report", "annual_report", "fixed_deadline_task", "document_posting", "other")
PERIODS = (None, "Q3", "H1", "M9", "Y", "not-a-period")
DOCUMENTS = (None, "https://portal.example.vn/van-ban?id=1&x=<2>", "số 12/KH-UBND")

# The first 24 hex digits of each composed message's sha256, by notice key.
PINNED = {
    "895bef08d83a4f62bd06502021f49548": "c66e894cfc3b18a86b8d7a6f",
    "9a9b8d596273118382646cfbf7daadf1": "0735fd859a294c2e15f88ce3",
    "ad49f9e17b2fe1902be0a3cb1fdd8d7b": "5cb435b3f5da86f0526dd5b6",
    "47377ce05b258896db8c6a2203ba5fb3": "9ba678c04e3bd0067a5829e7",
    "bc5cd79455342b917b6b4331700257df": "1409904cce3be2a6684703ab",
    "fdabf1e1f3d74bce080c70245d0e0b0c": "72a0a875bc53a927e8267185",
    "f5de185e00e0976132cf5ad89416c756": "a7e8d8b988ad8a5608ea4b66",
    "70d969ad57f3189f54be4472a32d44f0": "7c538d8ef548fa2f90e53bdb",
    "f85543bf817db6c8f18fe76e69d26d9f": "c77c6dbaa7a5e9abd9ccdb8c",
    "ffea022ef7e5d6645f5144c74a47f1e0": "fed24c12afc5d177d684f08f",
    "54a13fc5dd185b68f54f036aa95d8aed": "2c122d3155084f0deac744b7",
    "164854d5773e4b6524641273c7d5f8a1": "65844f1e21fa6263edb62840",
    "b487837cd51bf1337578d78ae46cda1b": "a7552f44fe77ff0c066c618e",
    "e96dd66efbc5e169b0dc79602717f97a": "d383e1ec500201856293574b",
    "a60a689492e8a1da5824666b7eee4e64": "01fca79a705415e3e7d1e05c",
    "88f905592b9355c419c83655ae8d1d5f": "48524d13dfe7523051318f94",
    "a53e3d095f17299156399de5e0f03f77": "28203fad7218f33b5d4b99ea",
    "af97e35c44cb3925a84f0e25518f2307": "319370c59422f0a85290aa5c",
    "c91bbc062f594fd990ea659efdee9aab": "fa96f2e31dbebf484451d36b",
    "eb53bc2dc54cb22e1a7ad0102fddf2f1": "20d1117950c129bd9de0af03",
    "70df59b275266ca70b2ed38828159daa": "6205b3e0495fe7e4849efbb1",
    "a869bd181ef8d8da8fa7e647b1e0cfb0": "3f1d6b3b0108224e17f5b330",
    "7c9ce423b3c6b399a49d3126607c48c8": "ae18d8c1384269afd12184b6",
    "c2197e07aff27a1901ed30dff358f9bf": "d07c94fdcdd73715aa893a38",
    "e05792948dac9a3e631879bd3d43d0c6": "e5caaeb5165002324a927e21",
    "cbd2bd2e01864f529648ca3ab43b8daf": "d1ed256a2e8df815ebc795bb",
    "c939331852146732907b3be576f13fb7": "6fd210f36e6c95f95022de69",
    "c7c4f3df1b79a72a47acec8338cbab25": "6fb04ea4bbf0408cd4c20da5",
    "587be0c8af223384bc7cc553e886aa17": "e88b857ad0aa6e55cfb1ef76",
    "fe3cbed49f79cb17a148e542a888b86a": "21fe801eabbcab1b2b48b6d8",
    "d7bd7bea470596eb36e90b03b53bfe59": "3a21a7699d750805b5b3489d",
    "ee365db66d3ffe131383f385b2113dba": "6f2c93bb51b7bc0d9cad635e",
    "f0ea04045bcc4a6ac9c5dc3e6fc0525a": "e24a1634545505d953c763c0",
    "95fd0d1be4f050facfe755663c43dfc6": "5a6cc218ff20b8ca819c72cb",
    "783e1dac9e97a858cd84825ff8ae960c": "4442747e7023cd435e67aede",
    "f98faecf09ae1193410b49f389d4759c": "3f6d6046f7fec1062f321827",
    "3d0bd9559235b285ab06cf1aaf76ef2c": "cec907f480418f9f79e605fe",
    "bb393dc4f57d5a13da67df1fd7f818e1": "47ad0e427ee3c642d18cd006",
    "6a2c14e3b83dcab79b8eafc54c3ed396": "c6f14b0b0ae1702e2bf193a7",
    "40a298f36228aa4b73d7a1fa82b832d4": "609217d1cbdcf000ae16548f",
    "11553ddb58f4bc40dd3b1f80f6353473": "99d3184d4efe3012cdf4aeef",
    "9fdf92427d46eba396d0387c6ea88473": "a57f3c7f0af39806921af2d0",
    "8d8e3a5c66d11aec57fbe803c055fa12": "671777bcfd4c8080f7c4562f",
}


def _round() -> list[tuple[str, bytes]]:
    plan = unique_plan(token="pin", rename={"tckh": HOSTILE})
    units = [u.code for u in plan.units if u.kind != "leadership"]
    tasks = [t.code for t in plan.tasks] + ["99.9"]
    rng = random.Random(23)
    obligations = [
        Obligation(
            obligation_id=f"pin:{n}",
            unit_code=rng.choice(units),
            kind=rng.choice(KINDS),
            title=(
                f"Báo cáo quý III năm 2024 (mục {n})"
                if n % 7
                else f"Báo cáo\r\nBcc: x@attacker.example.invalid <b>đậm</b> & {n}"
            ),
            due_at=end_of_day((NOW + timedelta(days=rng.randrange(-20, 15))).date()),
            task_code=rng.choice([None, *tasks]),
            period=rng.choice(PERIODS),
            document_url=rng.choice(DOCUMENTS),
        )
        for n in range(400)
    ]
    outages = [
        PortalOutage(
            code_of(plan, "vhtt"), NOW - timedelta(hours=30), 5, "https://vhtt.example.vn/"
        ),
        PortalOutage(code_of(plan, "tckh"), NOW - timedelta(hours=3), 4, "tckh.example.vn\r\nX: y"),
    ]
    planned = plan_round(
        obligations,
        Ladder.from_plan(plan.escalation, 2),
        plan.working_calendar(),
        NOW,
        emails={u.code: u.email for u in plan.units},
        outages=outages,
    )
    return [(digest.key, _compose(n, digest, plan)) for n, digest in enumerate(planned.digests)]


def _compose(n: int, digest: Digest, plan: Plan) -> bytes:
    """The MIME boundary is drawn from `random`: seeded here, so the bytes are reproducible."""
    random.seed(n)
    return compose(
        digest,
        plan,
        mail_from="Minh Bạch <minhbach@so-noi-vu.example.vn>",
        intake_url="https://minhbach.example.vn/bao-cao",
        now=NOW,
    ).data


def test_the_round_covers_every_section() -> None:
    data = b"".join(message for _, message in _round())
    for title in messages.SECTION_TITLES.values():
        assert f'<h2 style="font-size: 16px; margin-top: 24px;">{title}</h2>'.encode() in data


def test_the_composed_bytes_are_those_pinned() -> None:
    composed = {key: hashlib.sha256(message).hexdigest()[:24] for key, message in _round()}
    assert composed == PINNED
