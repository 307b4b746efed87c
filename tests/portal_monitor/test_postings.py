"""Each posting keeps its own page and file, and its full text is checked (issue 12): a district
and two communes post the same document, each with its own attachment, one of them missing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.clock import FixedClock
from minhbach.events.catalogue import DocumentChanged, DocumentFound, ProbeFinished
from minhbach_dev.portal_simulator.content import SimItem
from portal_monitor import db
from portal_monitor.service import ProbeReport, probe_portal
from tests.portal_monitor.helpers import T0, make_plan, probe_deps, simulated, unit_code

FAMILY = (("huyen", 1, False), ("xa-1", 2, False), ("xa-2", 3, True))  # (portal, item, missing)


def _checks(report: ProbeReport) -> dict[str, tuple[bool, str]]:
    (finished,) = [e for e in report.events if isinstance(e, ProbeFinished)]
    return {c.check: (c.passed, c.detail) for c in finished.checks}


async def test_a_portal_family_keeps_each_postings_own_checked_file(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    plan = make_plan(communes=2)
    clock = FixedClock(T0)
    n = 100 + uuid.uuid4().int % 9000
    number = f"{n}/CT-UBND"
    title = f"Chỉ thị số {number} ngày 10/10/2024 về tăng cường kỷ luật, kỷ cương hành chính"
    base = 960000 + n * 10
    async with simulated(plan) as world, probe_deps(world, sessions, clock) as deps:
        for suffix, item, missing in FAMILY:
            section = world.portal(suffix).section("directives")
            section.items.insert(
                0,
                SimItem(
                    base + item,
                    title,
                    number,
                    T0.date(),
                    "Trích yếu",
                    "UBND huyện Thử",
                    attachment_missing=missing,
                ),
            )
        world.simulator.changed()
        reports = {s: await probe_portal(deps, unit_code(plan, s)) for s, _, _ in FAMILY}
        found = {
            s: next(
                e.document
                for e in report.events
                if isinstance(e, DocumentFound) and e.document.document_number == number
            )
            for s, report in reports.items()
            if report is not None
        }

        # One document, three postings, each with its own page, file and verdict.
        assert len({doc.document_id for doc in found.values()}) == 1
        for suffix, item, missing in FAMILY:
            doc, portal = found[suffix], plan.unit(unit_code(plan, suffix)).portal
            assert portal is not None and doc.portal_url == portal
            assert doc.attachment is not None and doc.attachment_url == doc.attachment.url
            assert doc.attachment.url.startswith(portal.rstrip("/") + "/files/")
            assert doc.attachment.url.endswith(f"/{base + item}.pdf")
            assert doc.url.startswith(portal.rstrip("/"))
            assert doc.attachment.status == ("missing" if missing else "ok")
            assert doc.full_text_available is not missing
        assert found["huyen"].attachment is not None and found["xa-1"].attachment is not None
        assert found["huyen"].attachment.sha256 != found["xa-1"].attachment.sha256
        assert found["huyen"].attachment.content_type == "application/pdf"
        assert (found["huyen"].attachment.size_bytes or 0) > 0

        # What an inspection notice needs about the missing one, on the event itself.
        missing_doc = found["xa-2"]
        assert missing_doc.attachment is not None
        assert missing_doc.attachment.http_status == 404
        assert missing_doc.attachment.checked_at == T0
        assert missing_doc.portal_unit_code == unit_code(plan, "xa-2")
        assert missing_doc.first_seen_at == T0 and missing_doc.title == title
        assert missing_doc.in_directive_section_not_directive is False  # a directive ...
        assert missing_doc.full_text_available is False  # ... without its full text
        assert missing_doc.document_type == "chi-thi" and missing_doc.posting_time_known
        passed, detail = _checks(reports["xa-2"])["directive_section_clean"]  # type: ignore[arg-type]
        assert not passed and "không có toàn văn" in detail and title in detail
        assert _checks(reports["huyen"])["directive_section_clean"][0]  # type: ignore[arg-type]

        # Checked once: a later probe (pages unchanged) fetches no file again.
        files_before = _file_requests(world, "xa-2")
        assert any(h.get("range") == "bytes=0-65535" for _m, _t, h in files_before)
        clock.advance(timedelta(hours=1))
        later = await probe_portal(deps, unit_code(plan, "xa-2"))
        assert later is not None and later.found == 0
        assert _file_requests(world, "xa-2") == files_before

    async with sessions() as session:
        rows = await session.execute(
            select(db.postings.c.unit_code, db.postings.c.attachment_url).where(
                db.postings.c.document_id == found["huyen"].document_id
            )
        )
        stored = dict(rows.all())
    assert stored == {unit_code(plan, s): found[s].attachment_url for s, _, _ in FAMILY}


async def test_a_file_not_checked_yet_is_not_accused_until_a_later_probe_finds_it_missing(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Two file checks a probe, three directives: the first sweep leaves one file unchecked
    (unknown: not "no full text"); the next probe, its pages unchanged (304, the stored task 4.1
    items reused), checks that file, finds it gone, and the check now names it."""
    plan = make_plan(communes=1)
    clock = FixedClock(T0)
    district = unit_code(plan, "huyen")
    async with (
        simulated(plan) as world,
        probe_deps(world, sessions, clock, attachment_checks=2) as deps,
    ):
        last = world.portal("huyen").section("directives").items[-1]
        last.attachment_missing = True
        world.simulator.changed()
        first = await probe_portal(deps, district)
        assert first is not None
        passed, detail = _checks(first)["directive_section_clean"]
        assert passed and "1 văn bản chưa kiểm tra được tệp toàn văn" in detail
        (doc,) = [
            e.document
            for e in first.events
            if isinstance(e, DocumentFound) and e.document.title == last.title
        ]
        assert doc.attachment is not None and doc.attachment.status == "unchecked"
        assert doc.full_text_available is False  # not proven: scoring does not count it

        clock.advance(timedelta(hours=1))
        second = await probe_portal(deps, district)
        assert second is not None and second.pages_not_modified == second.pages_fetched
        passed, detail = _checks(second)["directive_section_clean"]
        assert not passed and "1 văn bản không có toàn văn" in detail and last.title in detail
        assert "chưa kiểm tra" not in detail
        (changed,) = [
            e.document
            for e in second.events
            if isinstance(e, DocumentChanged) and e.document.title == last.title
        ]
        assert changed.attachment is not None and changed.attachment.status == "missing"


def _file_requests(world: object, suffix: str) -> list[tuple[str, str, dict[str, str]]]:
    portal = world.portal(suffix)  # type: ignore[attr-defined]
    return [r for r in portal.requests if r[1].startswith("/files/")]
