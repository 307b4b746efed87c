"""The ladder, pure: stages over a calendar crossing Tết 2025 and weekends, grouping, silences,
inhibition, working hours, repeats. No database, no network, no clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from minhbach.calendar import TZ, WorkingCalendar, end_of_day
from notifier.domain.ladder import (
    Digest,
    Ladder,
    Obligation,
    PortalOutage,
    Silence,
    Step,
    due_items,
    in_working_hours,
    plan_round,
    position,
)

CAL = WorkingCalendar()
LADDER = Ladder(
    reminders=(7, 3, 1),
    overdue_after=1,
    steps=(Step(3, "focal"), Step(10, "vice-chair")),
    repeat_every=2,
)
EMAILS = {
    "unit-a": "a@example.invalid",
    "unit-b": "b@example.invalid",
    "focal": "focal@example.invalid",
    "vice-chair": "vc@example.invalid",
}


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def obligation(
    due_last_day: date, unit: str = "unit-a", oid: str = "ob-1", kind: str = "quarterly_report"
) -> Obligation:
    """Due "by the end of `due_last_day`" (exclusive instant: 00:00 the next day)."""
    return Obligation(oid, unit, kind, "Báo cáo quý IV năm 2024", end_of_day(due_last_day))


def stages(ob: Obligation, day: date, ladder: Ladder = LADDER) -> list[tuple[str, str, int]]:
    return [(i.recipient, i.stage, i.repeat_no) for i in due_items(ob, ladder, CAL, at(day))]


# Tết 2025: Fri 24/01 is the last working day before it, Mon 03/02 the first after it.
LAST_DAY_AFTER_TET = date(2025, 2, 4)  # Tue
LAST_DAY_BEFORE_TET = date(2025, 1, 24)  # Fri


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 16), []),  # 8 working days left
        (date(2025, 1, 17), [("unit-a", "reminder_7", 0)]),  # 7 left: 20-24/01, 03-04/02
        (date(2025, 1, 22), [("unit-a", "reminder_7", 0)]),  # 4 left
        (date(2025, 1, 23), [("unit-a", "reminder_3", 0)]),  # 24/01, 03/02, 04/02
        (date(2025, 1, 24), [("unit-a", "reminder_3", 0)]),  # 2 left, Tết between
        (date(2025, 1, 29), [("unit-a", "reminder_3", 0)]),  # Tết: still 2 left
        (date(2025, 2, 3), [("unit-a", "reminder_1", 0)]),
        (date(2025, 2, 4), [("unit-a", "reminder_1", 0)]),  # the last day itself
        (date(2025, 2, 5), [("unit-a", "overdue", 0)]),
    ],
)
def test_reminders_count_working_days_across_tet(
    day: date, expected: list[tuple[str, str, int]]
) -> None:
    assert stages(obligation(LAST_DAY_AFTER_TET), day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 25), []),  # Saturday: late, but 0 working days late
        (date(2025, 1, 30), []),  # Tết holiday
        (date(2025, 2, 2), []),  # Sunday, last day of the Tết break
        (date(2025, 2, 3), [("unit-a", "overdue", 0)]),  # first working day after
        (date(2025, 2, 4), [("unit-a", "overdue", 0)]),
        (date(2025, 2, 5), [("unit-a", "overdue", 1), ("focal", "escalate_1", 0)]),  # 3 late
        (date(2025, 2, 13), [("unit-a", "overdue", 4), ("focal", "escalate_1", 0)]),  # 9 late
        (
            date(2025, 2, 14),  # 10 working days late
            [("unit-a", "overdue", 4), ("focal", "escalate_1", 0), ("vice-chair", "escalate_2", 0)],
        ),
    ],
)
def test_overdue_and_escalation_count_working_days_across_a_weekend_and_tet(
    day: date, expected: list[tuple[str, str, int]]
) -> None:
    assert stages(obligation(LAST_DAY_BEFORE_TET), day) == expected


def test_position_is_working_days_left_or_late() -> None:
    due = end_of_day(LAST_DAY_BEFORE_TET)
    assert position(due, CAL, at(date(2025, 1, 24))).days == 0
    assert not position(due, CAL, at(date(2025, 1, 24), 23)).overdue
    late = position(due, CAL, at(date(2025, 2, 3)))
    assert late.overdue and late.days == 1


def test_fulfilment_stops_the_ladder() -> None:
    ob = obligation(LAST_DAY_BEFORE_TET)
    done = replace(ob, fulfilled=True)
    assert stages(done, date(2025, 2, 14)) == []
    assert stages(ob, date(2025, 2, 14)) != []


def test_the_focal_units_own_late_report_skips_to_the_next_level() -> None:
    ob = obligation(LAST_DAY_BEFORE_TET, unit="focal")
    assert stages(ob, date(2025, 2, 5)) == [("focal", "overdue", 1)]
    assert ("vice-chair", "escalate_2", 0) in stages(ob, date(2025, 2, 14))


def test_no_repeat_when_the_interval_is_zero() -> None:
    once = Ladder((7, 3, 1), 1, (), repeat_every=0)
    assert stages(obligation(LAST_DAY_BEFORE_TET), date(2025, 2, 14), once) == [
        ("unit-a", "overdue", 0)
    ]


def test_one_digest_per_recipient_listing_all_their_items() -> None:
    obs = [
        obligation(LAST_DAY_BEFORE_TET, "unit-a", "a-late"),
        obligation(LAST_DAY_AFTER_TET, "unit-a", "a-soon"),
        obligation(LAST_DAY_BEFORE_TET, "unit-b", "b-late"),
    ]
    planned = plan_round(obs, LADDER, CAL, at(date(2025, 2, 5)), emails=EMAILS)
    by_recipient = {d.recipient: d for d in planned.digests}
    assert sorted(by_recipient) == ["focal", "unit-a", "unit-b"]
    assert [(i.obligation_id, i.stage) for i in by_recipient["unit-a"].items] == [
        ("a-late", "overdue"),
        ("a-soon", "overdue"),
    ]
    assert {i.obligation_id for i in by_recipient["focal"].items} == {"a-late", "b-late"}
    assert by_recipient["focal"].stage == "escalate_1"
    assert by_recipient["focal"].recipient_email == "focal@example.invalid"


def test_items_already_notified_are_not_notified_again() -> None:
    obs = [obligation(LAST_DAY_BEFORE_TET)]
    now = at(date(2025, 2, 3))
    first = plan_round(obs, LADDER, CAL, now, emails=EMAILS)
    already = {i.key for d in first.digests for i in d.items}
    again = plan_round(obs, LADDER, CAL, now + timedelta(hours=1), emails=EMAILS, already=already)
    assert first.digests and not again.digests
    # Two working days later the unchanged overdue item is due again (repeat interval).
    later = plan_round(obs, LADDER, CAL, at(date(2025, 2, 5)), emails=EMAILS, already=already)
    assert [(i.stage, i.repeat_no) for i in later.digests[-1].items] == [("overdue", 1)]


def test_a_moved_due_date_starts_a_fresh_ladder() -> None:
    first = plan_round(
        [obligation(LAST_DAY_BEFORE_TET)], LADDER, CAL, at(date(2025, 1, 23)), emails=EMAILS
    )
    already = {i.key for d in first.digests for i in d.items}
    moved = obligation(LAST_DAY_AFTER_TET)
    again = plan_round([moved], LADDER, CAL, at(date(2025, 2, 3)), emails=EMAILS, already=already)
    assert [i.stage for i in again.digests[0].items] == ["reminder_1"]


def test_silences_hold_back_a_unit_or_an_obligation_until_they_end() -> None:
    obs = [
        obligation(LAST_DAY_BEFORE_TET, "unit-a", "a-late"),
        obligation(LAST_DAY_BEFORE_TET, "unit-b", "b-late"),
    ]
    now = at(date(2025, 2, 5))
    silences = [
        Silence(1, now + timedelta(days=1), "đang họp", unit_code="unit-a"),
        Silence(2, now + timedelta(days=1), "đã gia hạn", obligation_id="b-late"),
    ]
    planned = plan_round(obs, LADDER, CAL, now, emails=EMAILS, silences=silences)
    assert planned.digests == () and planned.silenced == 4  # overdue x2, escalation x2
    expired = plan_round(
        obs, LADDER, CAL, now + timedelta(days=1), emails=EMAILS, silences=silences
    )
    assert {d.recipient for d in expired.digests} == {"unit-a", "unit-b", "focal"}


def test_portal_down_replaces_the_portals_section_notices_with_one() -> None:
    sections = [
        obligation(LAST_DAY_BEFORE_TET, "unit-a", f"a-section-{n}", kind="document_posting")
        for n in range(5)
    ]
    report = obligation(LAST_DAY_BEFORE_TET, "unit-a", "a-report")
    now = at(date(2025, 2, 3))
    outage = PortalOutage("unit-a", now - timedelta(hours=5), probes=3, portal_url="https://a")
    planned = plan_round(
        [*sections, report], LADDER, CAL, now, emails=EMAILS, outages=[outage], outage_threshold=2
    )
    (digest,) = planned.digests
    assert [(i.obligation_id, i.stage) for i in digest.items] == [
        ("a-report", "overdue"),
        ("portal-down:unit-a", "portal_down"),
    ]
    assert planned.inhibited == 5
    # One probe is not yet an outage: no inhibition.
    flaky = PortalOutage("unit-a", now, probes=1)
    planned = plan_round(
        sections, LADDER, CAL, now, emails=EMAILS, outages=[flaky], outage_threshold=2
    )
    assert len(planned.digests[0].items) == 5


def test_recipients_missing_from_the_plan_are_reported_not_mailed() -> None:
    planned = plan_round(
        [obligation(LAST_DAY_BEFORE_TET, "nobody")],
        LADDER,
        CAL,
        at(date(2025, 2, 3)),
        emails=EMAILS,
    )
    assert planned.digests == () and planned.unroutable == ("nobody",)


def test_the_notice_key_is_stable_and_names_recipient_items_and_round() -> None:
    obs = [obligation(LAST_DAY_BEFORE_TET)]
    now = at(date(2025, 2, 3))
    one = plan_round(obs, LADDER, CAL, now, emails=EMAILS).digests[0]
    two = plan_round(obs, LADDER, CAL, now, emails=EMAILS).digests[0]
    assert one.key == two.key and len(one.key) == 32
    other_round = plan_round(obs, LADDER, CAL, now + timedelta(minutes=1), emails=EMAILS)
    assert other_round.digests[0].key != one.key
    assert isinstance(one, Digest)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2025, 2, 3, 7, 29, tzinfo=TZ), False),
        (datetime(2025, 2, 3, 7, 30, tzinfo=TZ), True),
        (datetime(2025, 2, 3, 16, 59, tzinfo=TZ), True),
        (datetime(2025, 2, 3, 17, 0, tzinfo=TZ), False),
        (datetime(2025, 1, 29, 9, 0, tzinfo=TZ), False),  # Tết
        (datetime(2025, 2, 1, 9, 0, tzinfo=TZ), False),  # Saturday
        (datetime(2025, 2, 3, 2, 0, tzinfo=UTC), True),  # 09:00 in Vietnam
        (datetime(2025, 2, 3, 11, 0, tzinfo=UTC), False),  # 18:00 in Vietnam
    ],
)
def test_working_hours_on_working_days_in_vietnam(moment: datetime, expected: bool) -> None:
    assert in_working_hours(moment, CAL, time(7, 30), time(17, 0)) is expected
