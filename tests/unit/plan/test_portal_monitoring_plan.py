"""The plan's `portal_monitoring` block: sources resolved per portal, broken references rejected
with the YAML line."""

from __future__ import annotations

from datetime import date

import pytest

from minhbach.plan import PlanError, parse_plan
from tests.unit.plan.helpers import edited, line_of, seed_plan


def test_every_portal_unit_has_a_source_for_every_required_section() -> None:
    plan = seed_plan()
    monitoring = plan.portal_monitoring
    assert monitoring is not None
    required = set(monitoring.regulation_on(date(2024, 6, 1)).required_sections)
    for unit in plan.portal_units():
        sources = plan.section_sources(unit.code)
        assert required <= {s.section for s in sources}, unit.code


def test_portals_share_their_platform_template() -> None:
    plan = seed_plan()
    district = plan.section_sources("ubnd-huyen")
    commune = plan.section_sources("bao-dai")
    assert district[0].source == "listing" and district[0].selectors is not None
    assert district[0].selectors.item == "article.item-van-ban"
    assert commune[0].selectors is not None and commune[0].selectors.item == "ul.danh-sach-tin > li"
    assert plan.section_sources("yen-son") == commune
    assert plan.section_sources("vhtt") == ()  # a department without a portal


def test_a_portal_override_replaces_its_platform_source() -> None:
    text = edited(
        "    - {unit: yen-son, platform: egov-xa}",
        "    - unit: yen-son\n      platform: egov-xa\n      sections:\n"
        "        - {section: qa, source: listing, path: /hoi-dap, selectors: {item: li.q}}",
    )
    plan = parse_plan(text)
    qa = next(s for s in plan.section_sources("yen-son") if s.section == "qa")
    assert qa.source == "listing" and qa.path == "/hoi-dap"


def test_the_regulation_in_force_is_picked_by_date() -> None:
    text = edited(
        "      effective_from: 2022-08-08    # in force 45 days after signature"
        " (24/6/2022); verify",
        "      effective_from: 2022-08-08\n      effective_until: 2024-06-30",
    ).replace(
        "  # Selector templates,",
        "    - code: successor\n      name: Nghị định kế nhiệm\n      effective_from: 2024-07-01\n"
        "      required_sections: [qa]\n\n  # Selector templates,",
    )
    monitoring = parse_plan(text).portal_monitoring
    assert monitoring is not None
    assert monitoring.regulation_on(date(2024, 6, 30)).code == "nd-42-2022"
    assert monitoring.regulation_on(date(2024, 7, 1)).code == "successor"


_QA_FEED_THEN_DISCLOSURE_LISTING = (
    "        - {section: qa, source: feed, path: /rss/hoi-dap.xml}\n"
    "        - {section: disclosure, source: listing"
)


@pytest.mark.parametrize(
    ("old", "new", "message", "marker"),
    [
        (
            "    - {unit: vu-xa, platform: egov-xa}",
            "    - {unit: vu-xa, platform: egov-xyz}",
            "unknown platform 'egov-xyz'",
            "egov-xyz",
        ),
        (
            "    - {unit: vu-xa, platform: egov-xa}",
            "    - {unit: vhtt, platform: egov-xa}",
            "'vhtt' is not a unit with a `portal`",
            "{unit: vhtt, platform",
        ),
        (
            "  letter_type: cong-van\n",
            "  letter_type: cv\n",
            "unknown document type 'cv'",
            "letter_type: cv",
        ),
        (
            "  qa_section: qa\n",
            "  qa_section: hoi-dap\n",
            "unknown portal section 'hoi-dap'",
            "qa_section: hoi-dap",
        ),
        (
            _QA_FEED_THEN_DISCLOSURE_LISTING,
            _QA_FEED_THEN_DISCLOSURE_LISTING.replace("source: feed", "source: listing"),
            "a listing source needs `selectors`",
            "{section: qa, source: listing, path: /rss/hoi-dap.xml}",
        ),
    ],
)
def test_broken_portal_monitoring_is_rejected_with_its_line(
    old: str, new: str, message: str, marker: str
) -> None:
    text = edited(old, new)
    with pytest.raises(PlanError) as caught:
        parse_plan(text)
    issues = [i for i in caught.value.issues if message in i.message]
    assert issues, caught.value
    assert issues[0].line == line_of(text, marker)
