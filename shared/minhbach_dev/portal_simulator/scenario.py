"""Simulated portals for a plan: every unit with a portal, its sections where the plan says,
documents that appear over time, a source portal's documents copied (or not) onto the portals a
copy duty of the plan names, a
section that goes missing, a slow portal, a broken one and a directive section with news in it."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from minhbach.plan import Plan
from minhbach_dev.portal_simulator import content
from minhbach_dev.portal_simulator.content import SimItem, SimSection
from minhbach_dev.portal_simulator.portal import SimPortal

# The simulator's two markups follow the seed plan's two platforms; any other platform gets the
# district markup.
COMMUNE_MARKUP_PLATFORMS = ("egov-xa",)


def portal_origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def address_map(plan: Plan, base_port: int, host: str = "127.0.0.1") -> dict[str, str]:
    """Each portal's origin -> the simulator's address for it (what `make run` configures)."""
    return {
        portal_origin(unit.portal): f"http://{host}:{base_port + index}"
        for index, unit in enumerate(plan.portal_units())
        if unit.portal is not None
    }


def portals_from_plan(
    plan: Plan,
    today: date,
    base_port: int = 0,
    items_per_section: int = 6,
    demo: bool = False,
    appear_every_seconds: float = 60.0,
) -> list[SimPortal]:
    monitoring = plan.portal_monitoring
    if monitoring is None:
        raise ValueError("the plan has no portal_monitoring block")
    legal = tuple(r.url for r in plan.reference_links if r.code in monitoring.legal_links)
    portals: list[SimPortal] = []
    next_id = 1
    for index, unit in enumerate(plan.portal_units()):
        platform = monitoring.portal_config(unit.code).platform or monitoring.default_platform
        style = "tin" if platform in COMMUNE_MARKUP_PLATFORMS else "vb"
        sections = []
        for source in plan.section_sources(unit.code):
            items = content.make_items(
                source.section, unit.name, unit.code, today, items_per_section, next_id
            )
            next_id += len(items)
            sections.append(
                SimSection(
                    source.section,
                    source.path,
                    source.source,
                    style,
                    items,
                    url_prefix=source.url_prefix or "/cong-khai/",
                )
            )
        portals.append(
            SimPortal(
                code=unit.code,
                name=unit.name,
                port=base_port + index if base_port else 0,
                sections=sections,
                legal_links=legal,
            )
        )
    if demo:
        _demo_scenario(plan, portals, today, appear_every_seconds, next_id)
    return portals


def _demo_scenario(
    plan: Plan, portals: list[SimPortal], today: date, every: float, next_id: int
) -> None:
    """Make the pipeline visible in `make run`."""
    # The source portal: the first of the plan's copy duties, else its own government's portal;
    # the copiers: that duty's targets (every other portal when the plan declares none).
    duty = plan.copy_duties[0] if plan.copy_duties else None
    own = plan.locality_unit_or_none()
    source_codes = duty.sources if duty else ((own.code,) if own else ())
    district = next((p for p in portals if p.code in source_codes), portals[0])
    communes = [p for p in portals if p is not district]
    copiers = set(duty.targets) if duty else {p.code for p in communes}
    # New source documents every `every` seconds; most copiers repost them a little later.
    for k in range(1, 31):
        section = ("planning", "investment_incentives", "directives")[k % 3]
        title_t, number_t = content.TEMPLATES[section][0]
        issued = today - timedelta(days=1)
        item = content.item_from(
            next_id, title_t, number_t, 100 + k, issued, district.name, appears_at=k * every
        )
        next_id += 1
        _add(district, section, item)
        for n, commune in enumerate(communes):
            if (n + k) % 5 == 0 or commune.code not in copiers:
                continue  # this portal never reposts it
            copy = SimItem(
                next_id,
                item.title,
                item.number,
                item.issued_on,
                item.summary,
                item.issuer,
                appears_at=item.appears_at + every * (1 + n % 4),
            )
            next_id += 1
            _add(commune, section, copy)
    # A news item in the district's directive section (task 4.1 forbids it; without a type the
    # monitor lists it "cần xem xét") and a recruitment notice, a directive type that is no
    # directive (accused, issue 19).
    _add(district, "directives", content.news_item(next_id, today, district.name))
    notice = "Thông báo tuyển dụng công chức cấp xã năm {y}"
    _add(
        district,
        "directives",
        content.item_from(next_id + 1, notice, "{n}/TB-UBND", 25, today, district.name),
    )
    if len(communes) >= 3:
        communes[0].sections = [
            _going_missing(s, 10 * every) if s.code == "qa" else s for s in communes[0].sections
        ]
        communes[1].mode = "slow"
        communes[2].mode = "broken"
        communes[0].legal_links = ()


def _going_missing(section: SimSection, after: float) -> SimSection:
    section.missing_after = after
    return section


def _add(portal: SimPortal, section_code: str, item: SimItem) -> None:
    for section in portal.sections:
        if section.code == section_code:
            section.items.append(item)
            return
