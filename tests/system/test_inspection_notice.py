"""The inspection notice end to end (issue 11, task 6.4), on real HTTP, NATS and PostgreSQL: the
portal simulator serves a district and two communes, the real portal-monitor probes each portal
once (one round), and the real reporting service drafts the round's notice from portal-monitor's
events alone.

What it proves: the .docx fetched from reporting's API with a reader's token has Decree 30/2020's
page (A4, margins, Times New Roman), the plan's issuing bodies, the national motto and the title;
it names the commune whose copy of a district directive has no full text (its file answers 404),
with the posting's address and the date seen, even though the other portals' copies of that very
document (one document id) have theirs, and lists that finding once (the document's line, not
again as portal-monitor's failed directive check); it names the commune whose portal lost a
section and let another go stale; it does not list the district, whose portal falls short on
nothing. Each directive section has four files and a probe checks three: the file left unchecked
is not accused anywhere (not known is not "no full text"). A unit that is not a reader gets 403
on the file, no token 401.

Run with portal-monitor probing one portal at a time (each copy seen after the original, so the
three postings share a document id) and eight at a time (the round completes while the last
probes' documents are still on their way to reporting)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocxDocument

from minhbach.calendar import TZ, format_vn_date, format_vn_date_short
from minhbach.clock import FixedClock
from minhbach.plan import Drafting, Plan
from minhbach.settings import Settings
from minhbach_dev.portal_simulator.content import SimItem
from portal_monitor.app import create_app as create_monitor
from reporting import messages as msg
from reporting.domain import inspection
from tests.portal_monitor.helpers import T0, World, fast_settings, make_plan, simulated, unit_code
from tests.reporting.conftest import RunningReporting, fresh_database, get_json, running_reporting
from tests.support.documents import all_paragraphs, check_decree30_page
from tests.support.servers import eventually, serving

pytestmark = pytest.mark.slow

CLEAN, NO_FULL_TEXT, SHORT_SECTIONS = "huyen", "xa-1", "xa-2"
PORTALS = (CLEAN, NO_FULL_TEXT, SHORT_SECTIONS)  # plan order
MISSING_SECTION, STALE_SECTION = "disclosure", "planning"
LONG_AGO = date(2024, 3, 4)  # older than the plan's 30 days of freshness
SEEN = format_vn_date_short(T0.astimezone(TZ).date())  # 10/10/2024, the only day of the round
ROUND_KEY = "2024-W41"  # T0 is Thursday 10/10/2024: ISO week 41, Mon 07/10 .. Sun 13/10


@dataclass(frozen=True)
class Directive:
    """A district directive every portal carries; one commune's copy links a file that is gone."""

    item_id: int
    title: str
    number: str

    @classmethod
    def fresh(cls) -> Directive:
        n = 100 + uuid.uuid4().int % 9000
        number = f"{n}/CT-UBND"
        title = f"Chỉ thị số {number} ngày 10/10/2024 về tăng cường kỷ luật, kỷ cương hành chính"
        return cls(970000 + n * 10, title, number)

    def posting(self, suffix: str) -> SimItem:
        return SimItem(
            self.item_id + PORTALS.index(suffix),
            self.title,
            self.number,
            T0.date(),
            "Trích yếu",
            "UBND huyện Thử",
            attachment_missing=suffix == NO_FULL_TEXT,
        )

    def page_url(self, plan: Plan, suffix: str) -> str:
        """The posting's page, under the portal's address in the plan (commune software)."""
        portal = plan.unit(unit_code(plan, suffix)).portal
        assert portal is not None
        return f"{portal.rstrip('/')}/tin-tuc/{self.item_id + PORTALS.index(suffix)}.html"


def arrange(world: World, directive: Directive) -> None:
    """The directive on every portal; SHORT_SECTIONS loses one section, lets another go stale."""
    for suffix in PORTALS:
        world.portal(suffix).section("directives").items.insert(0, directive.posting(suffix))
    short = world.portal(SHORT_SECTIONS)
    short.section(MISSING_SECTION).missing_after = 0.0  # the simulator's time stands at 0
    for item in short.section(STALE_SECTION).items:
        item.issued_on = LONG_AGO
    world.simulator.changed()


@contextlib.asynccontextmanager
async def monitoring(
    settings: Settings, database_url: str, nats_url: str, world: World, concurrency: int
) -> AsyncIterator[None]:
    """The real portal-monitor on a fresh database; its clock stands at T0: one round."""
    config = fast_settings(
        settings,
        world,
        database_url=await fresh_database(database_url, "portal_monitor"),
        nats_url=nats_url,
        portal_concurrency=concurrency,
    )
    async with serving(create_monitor(settings=config, clock=FixedClock(T0), plan=world.plan)):
        yield


async def notice_draft(reporting: RunningReporting, reader: str) -> dict[str, Any] | None:
    drafts: list[dict[str, Any]] = (await get_json(reporting.url, "/api/v1/drafts", reader)).json()
    return next((d for d in drafts if d["kind"] == "inspection_notice"), None)


async def fetch_notice(reporting: RunningReporting, plan: Plan) -> bytes:
    """The round's draft once it exists; who may fetch its .docx; the file a reader gets."""
    reader = await reporting.token(drafting(plan).readers[0])
    draft = await eventually(lambda: notice_draft(reporting, reader), timeout=120)
    assert draft["period_key"] == ROUND_KEY and draft["trigger"] == "round_complete"
    assert draft["missing_units"] == []
    path = draft["docx_path"]
    unit_token = await reporting.token("tckh")  # a unit of the plan, not a reader
    assert (await get_json(reporting.url, path)).status_code == 401
    assert (await get_json(reporting.url, path, unit_token)).status_code == 403
    response = await get_json(reporting.url, path, reader)
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("concurrency", [1, 8], ids=["one-probe-at-a-time", "eight-at-once"])
async def test_the_round_notice_names_the_portals_that_fall_short_with_evidence(
    settings: Settings, database_url: str, private_nats: str, concurrency: int
) -> None:
    plan, directive = make_plan(communes=2), Directive.fresh()
    async with (
        simulated(plan) as world,  # 3 + 1 directive items: one file more than a probe checks
        running_reporting(settings, database_url, private_nats, plan, T0) as reporting,
    ):
        arrange(world, directive)
        async with monitoring(settings, database_url, private_nats, world, concurrency):
            content = await fetch_notice(reporting, plan)
    doc = Document(BytesIO(content))
    check_decree30_page(doc)
    check_header(doc, plan)
    check_findings(doc, plan, directive)
    check_unchecked_files_not_accused(doc, world)


def drafting(plan: Plan) -> Drafting:
    assert plan.drafting is not None
    return plan.drafting


def check_header(doc: DocxDocument, plan: Plan) -> None:
    """The issuing bodies, the national motto, the number, place and date, the title."""
    notice = drafting(plan).inspection_notice
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs][:2] == [
        drafting(plan).superior_body.upper(),
        drafting(plan).issuing_body.upper(),
    ]
    assert [p.text for p in right.paragraphs][:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert all(p.runs[0].font.bold for p in right.paragraphs[:2])
    number, place = doc.tables[0].rows[1].cells
    assert number.text.startswith("Số:") and number.text.endswith(f"/{notice.symbol}")
    assert place.text == f"{drafting(plan).place}, {format_vn_date(T0.astimezone(TZ).date())}"
    body = [p for p in doc.paragraphs if p.text.strip()]
    title = next(p for p in body if p.text == notice.title.upper())
    assert title.runs[0].bold
    assert any("(đợt từ 07/10/2024 đến 13/10/2024)" in p.text for p in body)


def check_findings(doc: DocxDocument, plan: Plan, directive: Directive) -> None:
    """Who falls short, on what, with which evidence; the clean portal is not listed."""
    rows = findings_rows(doc)
    name = {suffix: plan.unit(unit_code(plan, suffix)).name for suffix in PORTALS}
    assert set(rows) == {name[NO_FULL_TEXT], name[SHORT_SECTIONS]}  # not the district
    problems, evidence = rows[name[NO_FULL_TEXT]]
    assert f"{msg.PROBLEM_LABELS[inspection.NO_FULL_TEXT]}: {directive.title}" in problems
    assert problems.count(directive.title) == 1  # listed once: not again as a failed check
    assert "không có toàn văn" not in problems  # portal-monitor's directive check, left out
    assert f"- {directive.page_url(plan, NO_FULL_TEXT)} ({SEEN})" in evidence
    problems, evidence = rows[name[SHORT_SECTIONS]]
    assert f"{msg.PROBLEM_LABELS[inspection.SECTION_MISSING]}: " in problems
    assert f"{msg.PROBLEM_LABELS[inspection.SECTION_STALE]}: " in problems
    assert LONG_AGO.strftime("%d/%m/%Y") in problems
    assert directive.title not in problems  # its copy has its file
    portal = plan.unit(unit_code(plan, SHORT_SECTIONS)).portal
    assert portal is not None
    assert all(
        line.startswith(f"- {portal.rstrip('/')}") and line.endswith(f" ({SEEN})")
        for line in evidence.splitlines()
    )
    text = "\n".join(p.text for p in doc.paragraphs)
    assert msg.NOTICE_OVERALL.format(inspected=3, total=3, short=2) in text


def check_unchecked_files_not_accused(doc: DocxDocument, world: World) -> None:
    """Per portal, the directive whose file the probe's three checks did not reach: unchecked,
    so accused of no missing full text anywhere in the notice (a commune may still be named for
    not carrying the district's copy: another finding)."""
    text = "\n".join(p.text for p in all_paragraphs(doc))
    no_full_text = [
        part
        for line in text.splitlines()
        for part in line.split("; ")
        if "không có toàn văn" in part or msg.PROBLEM_LABELS[inspection.NO_FULL_TEXT] in part
    ]
    for suffix in PORTALS:
        portal = world.portal(suffix)
        fetched = {target for _method, target, _headers in portal.requests}
        items = portal.section("directives").items
        unchecked = [i for i in items if i.attachment and f"/files/{i.id}.pdf" not in fetched]
        assert len(unchecked) == len(items) - 3 == 1, suffix
        assert not [part for part in no_full_text if unchecked[0].title in part], suffix


def findings_rows(doc: DocxDocument) -> dict[str, tuple[str, str]]:
    """The findings table: unit name -> (problems, evidence), one line per problem."""
    table = next(
        t for t in doc.tables if tuple(c.text for c in t.rows[0].cells) == msg.NOTICE_COLUMNS
    )
    rows = {row.cells[1].text: (row.cells[2].text, row.cells[3].text) for row in table.rows[1:]}
    for problems, evidence in rows.values():
        assert len(problems.splitlines()) == len(evidence.splitlines())
    assert all(p.runs for p in all_paragraphs(doc) if p.text.strip())
    return rows
