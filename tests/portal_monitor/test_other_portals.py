"""Portals of shapes nobody here designed (issue 19), configured only through the plan file
(`data/other-portals.yaml`), served by the simulator over real HTTP on 127.0.0.1: a
DotNetNuke-style province portal paged "Trang 1 2 3 … Xem tiếp", a WordPress-style ward portal
whose directives come as an RSS feed with enclosures, a legacy ASP.NET commune portal in
windows-1258 declared only in `<meta charset>`. The listings show titles only; number, date of
issue, issuer, file and "Ngày đăng" are on each document's own page, read once."""

from __future__ import annotations

import copy
import re
import unicodedata
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path

import yaml
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.clock import FixedClock
from minhbach.events.catalogue import DocumentFound, ProbeFinished
from minhbach.plan import Plan
from minhbach_dev.portal_simulator import PortalSimulator, SimPortal
from minhbach_dev.portal_simulator.content import SimItem, SimSection
from minhbach_dev.portal_simulator.scenario import portal_origin
from portal_monitor.deps import ProbeDeps
from portal_monitor.domain.documents import DocumentDraft
from portal_monitor.observe import observe
from portal_monitor.service import ProbeReport, probe_portal
from tests.portal_monitor.helpers import SEED, T0, World, probe_deps

PLATFORMS = yaml.safe_load((Path(__file__).parent / "data" / "other-portals.yaml").read_text())
TODAY = T0.date()
STYLE = {"dnn-tinh": "dnn", "wp-phuong": "wp", "aspx-xa": "aspx"}


def _plan(dnn_max_details: int | None = None) -> Plan:
    prefix = "o" + uuid.uuid4().hex[:8]
    data = SEED.model_dump(mode="json")
    kinds = {"dnn-tinh": "district", "wp-phuong": "town", "aspx-xa": "commune"}
    units = [
        {
            "code": f"{prefix}-{p}",
            "name": f"UBND thử {p}",
            "kind": kind,
            "email": f"{p}@example.invalid",
            "portal": f"https://{prefix}-{p}.test.invalid",
        }
        for p, kind in kinds.items()
    ]
    data["units"] = [units[0], *[u for u in data["units"] if u["portal"] is None], *units[1:]]
    monitoring = data["portal_monitoring"]
    platforms = copy.deepcopy(PLATFORMS["platforms"])
    if dnn_max_details is not None:
        platforms[0]["sections"][0]["max_details"] = dnn_max_details
    monitoring["platforms"] += platforms
    monitoring["portals"] = [
        {"unit": u["code"], "platform": p} for u, p in zip(units, kinds, strict=True)
    ]
    for duty in monitoring["copy_duties"]:  # the seed's district portal is replaced
        duty["documents_of"] = [units[0]["code"]]
    return Plan.model_validate(data)


def _item(n: int, title: str, number: str | None, days: int, posted: int, file: bool) -> SimItem:
    issued = TODAY - timedelta(days=days)
    return SimItem(
        n,
        title,
        number,
        issued,
        f"Trích yếu: {title}",
        "Ủy ban nhân dân",
        attachment=file,
        posted_on=issued + timedelta(days=posted),
    )


def _items(base: int, platform: str) -> list[SimItem]:
    if platform == "dnn-tinh":  # 25 documents: three pages
        items = [
            _item(
                base + k,
                f"Kế hoạch số {k + 10}/KH-UBND triển khai thực hiện Nghị quyết 138/NQ-CP "
                f"về chuyển đổi số, đợt {k}",
                f"{k + 10}/KH-UBND",
                days=2 + k,
                posted=k % 4,
                file=True,
            )
            for k in range(23)
        ]
        items.append(
            _item(
                base + 23,
                "Công văn về việc thực hiện Luật 143/2025/QH15",
                "1310/UBND-KT",
                5,
                1,
                True,
            )
        )
        items.append(
            _item(
                base + 24,
                "Thông báo tuyển dụng công chức cấp xã năm 2026",
                "25/TB-UBND",
                3,
                0,
                True,
            )
        )
        return items
    if platform == "wp-phuong":
        return [
            _item(
                base,
                "Chỉ thị về tăng cường phòng cháy, chữa cháy mùa hanh khô",
                "03/CT-UBND",
                4,
                2,
                True,
            ),
            _item(base + 1, "Kế hoạch tổ chức Tết trồng cây năm 2026", "12/KH-UBND", 9, 0, True),
            # the province's document reposted: stored once (same number and date), and its
            # page here is read once, not on every probe
            _item(
                base + 5,
                "Công văn về việc thực hiện Luật 143/2025/QH15",
                "1310/UBND-KT",
                5,
                2,
                True,
            ),
            _item(
                base + 2, "Thông báo kết luận của Chủ tịch UBND phường", "40/TB-UBND", 6, 1, False
            ),
            _item(
                base + 3,
                "Quyết định thành lập Ban Chỉ đạo chuyển đổi số phường",
                "77/QĐ-UBND",
                12,
                3,
                True,
            ),
            # issued long before monitoring began and posted a month late, says its page
            _item(
                base + 4,
                "Công văn về việc rà soát hộ nghèo năm 2024",
                "388/UBND-LĐTBXH",
                60,
                30,
                True,
            ),
        ]
    return [
        _item(
            base,
            "Quyết định số 148/QĐ-UBND về việc kiện toàn Tổ công tác Đề án 06",
            "148/QĐ-UBND",
            3,
            1,
            True,
        ),
        _item(
            base + 1,
            "Kế hoạch phòng, chống thiên tai và tìm kiếm cứu nạn năm 2026",
            "21/KH-UBND",
            8,
            0,
            True,
        ),
        _item(base + 2, "Lễ khánh thành nhà văn hóa thôn Đồng Mai", None, 2, 0, False),
        _item(
            base + 3,
            "Công văn đôn đốc thu nộp thuế sử dụng đất phi nông nghiệp",
            "95/UBND-TC",
            11,
            2,
            True,
        ),
    ]


@asynccontextmanager
async def _world(plan: Plan) -> AsyncIterator[tuple[World, dict[str, list[SimItem]]]]:
    base = 7_000_000 + uuid.uuid4().int % 900_000 * 100
    portals, items = [], {}
    for offset, unit in enumerate(plan.portal_units()):
        platform = plan.portal_monitoring.portal_config(unit.code).platform  # type: ignore[union-attr]
        assert platform is not None
        sections = []
        for source in plan.section_sources(unit.code):
            sim = SimSection(source.section, source.path, source.source, STYLE[platform])
            if source.section == "directives":
                sim.items = _items(base + offset * 30, platform)
                items[platform] = sim.items
            elif source.delegated_to is not None:
                sim.links_to = f"{source.delegated_to}/p/home/dvc-trang-chu.html"
            else:
                sim.soft_404 = True  # 200, "không tồn tại", no item
            sections.append(sim)
        portals.append(SimPortal(code=unit.code, name=unit.name, sections=sections))
    simulator = await PortalSimulator(portals, elapsed=lambda: 0.0).start()
    mapping = {
        portal_origin(u.portal): simulator.origin(u.code) for u in plan.portal_units() if u.portal
    }
    try:
        yield World(plan, simulator, mapping), items
    finally:
        await simulator.stop()


def _platform_unit(plan: Plan, platform: str) -> str:
    return next(u.code for u in plan.portal_units() if u.code.endswith(platform))


def _item_id(url: str) -> str:
    found = re.search(r"(?:ItemID=|id=|/)(\d{5,})", url)
    assert found is not None, url
    return found.group(1)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


async def _drafts(deps: ProbeDeps, plan: Plan, platform: str) -> list[DocumentDraft]:
    unit = plan.unit(_platform_unit(plan, platform))
    network = await observe(deps, unit, {}, set())
    (read,) = [r for r in network.sections if r.source.section == "directives"]
    assert read.drafts is not None, read.observation
    assert read.observation.page_problems == (), read.observation  # windows-1258 decoded
    return read.drafts


def _directive_check(report: ProbeReport) -> tuple[bool, str, tuple[str, ...]]:
    (finished,) = [e for e in report.events if isinstance(e, ProbeFinished)]
    (check,) = [c for c in finished.checks if c.check == "directive_section_clean"]
    return check.passed, check.detail, check.items


async def test_every_document_and_every_field_is_read_on_three_foreign_layouts(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    plan = _plan()
    async with _world(plan) as (world, items), probe_deps(world, sessions, FixedClock(T0)) as deps:
        for platform, expected in items.items():
            drafts = {_item_id(d.url): d for d in await _drafts(deps, plan, platform)}
            assert len(drafts) == len(expected), (platform, sorted(drafts))
            for item in expected:
                draft = drafts[str(item.id)]
                assert draft.title == _nfc(item.title), platform
                assert draft.document_number == item.number, (platform, draft.title)
                assert draft.issued_on == item.issued_on, (platform, draft.title)
                assert draft.listed_on == item.posted, (platform, draft.title)  # "Ngày đăng"
                assert draft.listed_on != draft.issued_on or item.posted == item.issued_on
                if item.attachment:
                    assert draft.attachment_url is not None
                    assert draft.attachment_url.endswith(f"/files/{item.id}.pdf")
                else:
                    assert draft.attachment_url is None
                assert not draft.attachment_unknown


async def test_no_false_accusation_and_no_false_clearance(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    plan = _plan()
    async with _world(plan) as (world, items), probe_deps(world, sessions, FixedClock(T0)) as deps:
        reports = {p: await probe_portal(deps, _platform_unit(plan, p)) for p in items}
        checks = {p: _directive_check(r) for p, r in reports.items() if r is not None}

        # A recruitment notice is no directive, whatever its type; directives citing a
        # resolution or a law keep their own number and stay directives.
        passed, detail, accused = checks["dnn-tinh"]
        assert not passed and accused == ("Thông báo tuyển dụng công chức cấp xã năm 2026",)
        # A notice whose page says it has no file: "no full text" is established, accused.
        passed, detail, accused = checks["wp-phuong"]
        assert not passed and accused == ("Thông báo kết luận của Chủ tịch UBND phường",)
        # News without a type is a guess: listed for review, the commune is not accused.
        passed, detail, accused = checks["aspx-xa"]
        assert passed and accused == (), detail
        assert "Cần xem xét" in detail and "Lễ khánh thành nhà văn hóa thôn Đồng Mai" in detail

        # Promptness from the portal's own posting date ("Ngày đăng"), never from the date of
        # issue: known even for documents issued before monitoring began.
        posted = {
            e.document.title: e.document
            for r in reports.values()
            if r is not None
            for e in r.events
            if isinstance(e, DocumentFound)
        }
        late = posted["Công văn về việc rà soát hộ nghèo năm 2024"]
        assert (late.posting_time_known, late.posted_on_time) == (True, False)
        prompt = posted["Chỉ thị về tăng cường phòng cháy, chữa cháy mùa hanh khô"]
        assert (prompt.posting_time_known, prompt.posted_on_time) == (True, True)

        # The soft 404 (200 with "không tồn tại") is a section not there.
        (finished,) = [e for e in reports["aspx-xa"].events if isinstance(e, ProbeFinished)]  # type: ignore[union-attr]
        present = {(c.check, c.section): c for c in finished.checks}
        assert not present[("section_present", "qa")].passed
        # Procedures kept on the public-service portal, linked: present, not "empty".
        delegated = present[("section_present", "administrative_procedures")]
        assert delegated.passed and "cổng khác" in delegated.detail
        assert ("section_not_empty", "administrative_procedures") not in present

        # Each detail page was read once: after a new document appears, the next probe reads
        # the listing again and only the new document's page.
        first = {p.code: _detail_requests(p) for p in world.simulator.portals}
        assert all(len(paths) >= 4 for paths in first.values()), first
        for portal in world.simulator.portals:
            portal.requests.clear()
            section = next(s for s in portal.sections if s.code == "directives")
            newest = section.items[0]
            section.items.insert(
                0, _item(newest.id + 29, "Chỉ thị về cải cách hành chính", "09/CT-UBND", 1, 0, True)
            )
        world.simulator.changed()
        clock = deps.clock
        assert isinstance(clock, FixedClock)
        clock.advance(timedelta(hours=2))
        for platform in items:
            await probe_portal(deps, _platform_unit(plan, platform))
        for portal in world.simulator.portals:
            new_id = next(s for s in portal.sections if s.code == "directives").items[0].id
            assert [_item_id(t) for t in _detail_requests(portal)] == [str(new_id)], portal.code


async def test_pages_beyond_the_budget_are_read_on_later_probes_once_each(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """25 documents, 10 pages a probe: the rest are read on the next probes, each page once, and
    a document whose page is not read yet is never judged "không có toàn văn"."""
    plan = _plan(dnn_max_details=10)
    async with _world(plan) as (world, items), probe_deps(world, sessions, FixedClock(T0)) as deps:
        unit = _platform_unit(plan, "dnn-tinh")
        portal = world.simulator.portal(unit)
        clock = deps.clock
        assert isinstance(clock, FixedClock)
        read_per_probe, accused = [], []
        for _ in range(4):
            portal.requests.clear()
            report = await probe_portal(deps, unit)
            assert report is not None
            read_per_probe.append([_item_id(t) for t in _detail_requests(portal)])
            accused.append(_directive_check(report)[2])
            clock.advance(timedelta(hours=2))
        assert [len(r) for r in read_per_probe] == [10, 10, 5, 0], read_per_probe
        every = [i for r in read_per_probe for i in r]
        assert sorted(every) == sorted(str(i.id) for i in items["dnn-tinh"])
        # only the recruitment notice, once its page is read; never a directive with its file
        recruitment = "Thông báo tuyển dụng công chức cấp xã năm 2026"
        assert all(a in ((), (recruitment,)) for a in accused), accused
        assert accused[-1] == (recruitment,)
        drafts = {_item_id(d.url): d for d in await _drafts(deps, plan, "dnn-tinh")}
        for item in items["dnn-tinh"]:
            draft = drafts[str(item.id)]
            assert (draft.document_number, draft.issued_on) == (item.number, item.issued_on)
            assert draft.attachment_url is not None and not draft.detail_pending


def _detail_requests(portal: SimPortal) -> list[str]:
    return [
        target
        for _method, target, _headers in portal.requests
        if "ItemID=" in target or "ChiTiet.aspx" in target or re.match(r"^/\d+/", target)
    ]


def test_the_three_layouts_are_in_the_plan_only() -> None:
    plan = _plan()
    assert plan.portal_monitoring is not None
    codes = {p.code for p in plan.portal_monitoring.platforms}
    assert {"dnn-tinh", "wp-phuong", "aspx-xa"} <= codes
    dnn = plan.portal_monitoring.platform("dnn-tinh").sections[0]
    assert dnn.detail is not None and dnn.selectors is not None and dnn.selectors.next_page
    assert date(2026, 1, 1) > TODAY - timedelta(days=1)
