"""The obligation rules, pure: due dates on Vietnam's working days, statuses, and fulfilment by
a report (on time, late, amended), by evidence, and by a document found on a portal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from minhbach.events.catalogue import DocumentKind, ObligationKind, ObligationStatus
from minhbach.plan import Plan
from scoring.domain.facts import Facts, document_fact, evidence_fact, report_fact
from scoring.domain.obligations import Obligation, ObligationRules
from tests.scoring.helpers import (
    COMMUNES,
    DISTRICT,
    FOCAL,
    evidence,
    found,
    portal_document,
    report,
    small_plan,
    vn,
)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return small_plan()


@pytest.fixture(scope="module")
def rules(plan: Plan) -> ObligationRules:
    return ObligationRules(plan)


def by_id(obligations: list[Obligation]) -> dict[str, Obligation]:
    return {ob.obligation_id: ob for ob in obligations}


def test_lead_unit_reports_fall_due_on_vietnamese_working_days(rules: ObligationRules) -> None:
    owed = by_id(rules.report_obligations("ktht", []))
    due = {ob.period: ob.due_at for ob in owed.values()}
    # Q1 ended before the plan took effect (2024-05-01): nothing owed for it.
    assert set(due) == {"Q2", "Q3", "Q4", "year"}
    assert due["Q2"] == vn(2024, 7, 2, 0)  # before 02/07: by the end of Mon 01/07
    assert due["Q3"] == vn(2024, 10, 2, 0)
    # Before 02/01/2025: 01/01 is New Year's Day, so the last day moves to Thu 02/01.
    assert due["Q4"] == vn(2025, 1, 3, 0)
    # Before 02/12/2024: 01/12 is a Sunday, so the last day moves to Mon 02/12.
    assert due["year"] == vn(2024, 12, 3, 0)
    assert all(
        ob.kind in (ObligationKind.QUARTERLY_REPORT, ObligationKind.ANNUAL_REPORT)
        for ob in owed.values()
    )


def test_focal_unit_owes_its_own_and_the_consolidated_reports(rules: ObligationRules) -> None:
    owed = rules.report_obligations(FOCAL, [])
    kinds = {(ob.kind, ob.period): ob.due_at for ob in owed}
    assert kinds[(ObligationKind.FOCAL_QUARTERLY_REPORT, "Q3")] == vn(2024, 10, 10, 0)
    assert kinds[(ObligationKind.FOCAL_ANNUAL_REPORT, "year")] == vn(2024, 12, 10, 0)
    assert kinds[(ObligationKind.QUARTERLY_REPORT, "Q3")] == vn(2024, 10, 2, 0)
    assert "Chủ tịch UBND huyện" in next(
        ob.title for ob in owed if ob.kind == ObligationKind.FOCAL_QUARTERLY_REPORT
    )


def test_due_soon_starts_the_plans_first_reminder_offset_before(rules: ObligationRules) -> None:
    q3 = by_id(rules.report_obligations("ktht", []))["report:lead-quarterly:ktht:2024:Q3"]
    # The last on-time day is Tue 01/10; seven working days before it is Fri 20/09.
    assert rules.due_soon_working_days == 7
    assert q3.due_soon_at == vn(2024, 9, 20, 0)
    assert q3.status(vn(2024, 9, 19, 23, 59)) == ObligationStatus.PENDING
    assert q3.status(vn(2024, 9, 20, 0)) == ObligationStatus.DUE_SOON
    assert q3.status(vn(2024, 10, 1, 23, 59)) == ObligationStatus.DUE_SOON
    assert q3.status(vn(2024, 10, 2, 0)) == ObligationStatus.OVERDUE


def test_due_soon_window_crosses_national_day(plan: Plan) -> None:
    rules = ObligationRules(plan, due_soon_working_days=3)
    soon = rules.due_soon_at(vn(2024, 9, 5, 0))  # last day Wed 04/09; 02-03/09 are days off
    # Counting back over 03/09, 02/09 (National Day) and the weekend: Fri 30/08, Thu 29/08,
    # Wed 28/08.
    assert soon == vn(2024, 8, 28, 0)


def test_a_late_report_fulfils_late_and_an_amendment_does_not_move_it(
    plan: Plan, rules: ObligationRules
) -> None:
    late = report(plan, "ktht", "Q3", vn(2024, 10, 3, 8))
    amended = report(plan, "ktht", "Q3", vn(2024, 10, 9), version_no=2, report_id=late.report_id)
    owed = by_id(rules.report_obligations("ktht", [report_fact(amended), report_fact(late)]))
    q3 = owed["report:lead-quarterly:ktht:2024:Q3"]
    assert q3.fulfilled_at == vn(2024, 10, 3, 8)
    assert q3.fulfilled_by == f"report:{late.report_id}"
    assert q3.status(vn(2024, 12, 1)) == ObligationStatus.FULFILLED_LATE
    assert owed["report:lead-quarterly:ktht:2024:Q2"].status(vn(2024, 12, 1)) == (
        ObligationStatus.OVERDUE
    )


def test_an_on_time_report_fulfils_on_time(plan: Plan, rules: ObligationRules) -> None:
    on_time = report(plan, "ktht", "Q3", vn(2024, 10, 1, 23, 59))
    q3 = by_id(rules.report_obligations("ktht", [report_fact(on_time)]))
    assert q3["report:lead-quarterly:ktht:2024:Q3"].status(vn(2024, 10, 5)) == (
        ObligationStatus.FULFILLED_ON_TIME
    )


def test_the_focal_units_consolidated_report_is_told_apart(
    plan: Plan, rules: ObligationRules
) -> None:
    own = report(plan, FOCAL, "Q3", vn(2024, 10, 1))
    consolidated = report(plan, FOCAL, "Q3", vn(2024, 10, 11), reporter="focal_unit")
    owed = by_id(rules.report_obligations(FOCAL, [report_fact(own)]))
    assert owed[f"report:lead-quarterly:{FOCAL}:2024:Q3"].fulfilled_at == vn(2024, 10, 1)
    assert owed[f"report:focal-quarterly:{FOCAL}:2024:Q3"].fulfilled_at is None
    owed = by_id(rules.report_obligations(FOCAL, [report_fact(own), report_fact(consolidated)]))
    focal = owed[f"report:focal-quarterly:{FOCAL}:2024:Q3"]
    assert focal.status(vn(2024, 12, 1)) == ObligationStatus.FULFILLED_LATE


def test_a_report_of_another_year_fulfils_nothing(plan: Plan, rules: ObligationRules) -> None:
    other = report(plan, "ktht", "Q3", vn(2024, 10, 1)).model_copy(update={"plan_year": 2023})
    assert all(
        ob.fulfilled_at is None for ob in rules.report_obligations("ktht", [report_fact(other)])
    )


def test_fixed_deadline_task_fulfilled_by_evidence(plan: Plan, rules: ObligationRules) -> None:
    (task,) = rules.task_obligations(FOCAL, [], [])
    assert task.obligation_id == f"task:7.2:{FOCAL}:2024"
    assert task.due_at == vn(2024, 11, 30, 0)  # "Trước 30/11/2024": by the end of Fri 29/11
    item = evidence(plan, FOCAL, "7.2", vn(2024, 11, 20))
    (done,) = rules.task_obligations(FOCAL, [], [evidence_fact(item)])
    assert done.fulfilled_at == vn(2024, 11, 20)
    assert done.fulfilled_by == f"evidence:{item.evidence_id}"
    assert done.status(vn(2024, 12, 5)) == ObligationStatus.FULFILLED_ON_TIME
    # Evidence for another task, or from another unit, fulfils nothing.
    other = evidence(plan, FOCAL, "1.1", vn(2024, 11, 20))
    assert rules.task_obligations(FOCAL, [], [evidence_fact(other)])[0].fulfilled_at is None


def test_fixed_deadline_task_fulfilled_late_by_a_report_saying_done(
    plan: Plan, rules: ObligationRules
) -> None:
    not_yet = report(plan, FOCAL, "Q4", vn(2024, 11, 25))
    done = report(plan, FOCAL, "Q4", vn(2024, 12, 20), done={"7.2"})
    (task,) = rules.task_obligations(FOCAL, [report_fact(not_yet), report_fact(done)], [])
    assert task.fulfilled_at == vn(2024, 12, 20)
    assert task.status(vn(2025, 1, 5)) == ObligationStatus.FULFILLED_LATE
    assert rules.task_obligations("ktht", [], []) == []  # 7.2 is led by the focal unit only


def test_a_document_found_within_the_window_was_posted_on_time(rules: ObligationRules) -> None:
    # Issued Mon 03/06/2024; five working days later is Mon 10/06: due before 11/06.
    on_time = document_fact(found(portal_document(COMMUNES[0], vn(2024, 6, 10, 16))))
    (ob,) = rules.postings.document_obligations(on_time)
    assert ob.unit_code == COMMUNES[0]
    assert ob.kind == ObligationKind.DOCUMENT_POSTING
    assert ob.due_at == vn(2024, 6, 11, 0)
    assert ob.status(vn(2024, 7, 1)) == ObligationStatus.FULFILLED_ON_TIME
    late = document_fact(found(portal_document(COMMUNES[0], vn(2024, 6, 11, 8))))
    assert rules.postings.document_obligations(late)[0].status(vn(2024, 7, 1)) == (
        ObligationStatus.FULFILLED_LATE
    )


def test_documents_that_owe_nothing(rules: ObligationRules) -> None:
    seen = vn(2024, 6, 10)
    before_plan = portal_document(DISTRICT, seen, issued_on=date(2024, 4, 2))
    undated = portal_document(DISTRICT, seen, issued_on=None)
    qa = portal_document(DISTRICT, seen, kind=DocumentKind.QA, section="qa")
    unknown_portal = portal_document("khong-co", seen)
    for doc in (before_plan, undated, qa, unknown_portal):
        assert rules.postings.document_obligations(document_fact(found(doc))) == []


def test_a_district_document_is_owed_on_every_commune_portal(rules: ObligationRules) -> None:
    source = document_fact(found(portal_document(DISTRICT, vn(2024, 6, 4))))
    copy = document_fact(
        found(
            portal_document(
                COMMUNES[1], vn(2024, 6, 12), number=" 15/kh-ubnd ", title="Khác tiêu đề"
            )
        )
    )
    stranger = document_fact(
        found(portal_document(COMMUNES[0], vn(2024, 6, 6), number="16/KH-UBND"))
    )
    owed = by_id(rules.postings.document_obligations(source, [copy, stranger]))
    assert set(owed) == {
        f"post:{source.document_id}",
        *(f"copy:{source.document_id}:{c}" for c in COMMUNES),
    }
    mine = owed[f"copy:{source.document_id}:{COMMUNES[1]}"]
    assert mine.task_code == "1.1"
    assert mine.document_url == source.url
    assert mine.fulfilled_by == f"document:{copy.document_id}"
    assert mine.status(vn(2024, 7, 1)) == ObligationStatus.FULFILLED_LATE
    theirs = owed[f"copy:{source.document_id}:{COMMUNES[0]}"]
    assert theirs.fulfilled_at is None  # a different number is a different document
    assert theirs.status(vn(2024, 6, 11, 0)) == ObligationStatus.OVERDUE


def test_without_numbers_a_copy_is_matched_by_title(rules: ObligationRules) -> None:
    source = document_fact(found(portal_document(DISTRICT, vn(2024, 6, 4), number=None)))
    copy = document_fact(
        found(
            portal_document(
                COMMUNES[0],
                vn(2024, 6, 5),
                number=None,
                title="  kế hoạch SỬ DỤNG đất năm 2024 huyện.",
            )
        )
    )
    owed = by_id(rules.postings.document_obligations(source, [copy]))
    assert owed[f"copy:{source.document_id}:{COMMUNES[0]}"].status(vn(2024, 7, 1)) == (
        ObligationStatus.FULFILLED_ON_TIME
    )


def test_a_commune_document_owes_no_copies_and_procedures_are_not_copied(
    rules: ObligationRules,
) -> None:
    commune_doc = document_fact(found(portal_document(COMMUNES[0], vn(2024, 6, 4))))
    assert [ob.obligation_id for ob in rules.postings.document_obligations(commune_doc)] == [
        f"post:{commune_doc.document_id}"
    ]
    procedure = document_fact(
        found(
            portal_document(
                DISTRICT,
                vn(2024, 6, 4),
                kind=DocumentKind.ADMINISTRATIVE_PROCEDURE,
                section="administrative_procedures",
            )
        )
    )
    assert len(rules.postings.document_obligations(procedure)) == 1


def test_the_whole_ledger_from_facts(plan: Plan, rules: ObligationRules) -> None:
    source = portal_document(DISTRICT, vn(2024, 6, 4))
    copy = portal_document(COMMUNES[0], vn(2024, 6, 5))
    facts = Facts.from_events(
        [
            report(plan, "ktht", "Q3", vn(2024, 10, 1)),
            evidence(plan, FOCAL, "7.2", vn(2024, 11, 1)),
            found(source),
            found(copy),
        ]
    )
    ledger = by_id(rules.all_obligations(facts.reports, facts.evidence, facts.documents))
    assert ledger["report:lead-quarterly:ktht:2024:Q3"].fulfilled_at is not None
    assert ledger[f"task:7.2:{FOCAL}:2024"].fulfilled_at is not None
    assert ledger[f"copy:{source.document_id}:{COMMUNES[0]}"].fulfilled_at == vn(2024, 6, 5)
    assert ledger[f"copy:{source.document_id}:{COMMUNES[1]}"].fulfilled_at is None
    # Every lead unit owes 3 quarters and a year; the focal unit also its 4 consolidated reports
    # and task 7.2; each of the 2 documents its own posting, the district's 2 copies.
    leads = len(plan.lead_unit_codes_all())
    assert len(ledger) == leads * 4 + 4 + 1 + 2 + 2
    assert all(ob.due_soon_at < ob.due_at for ob in ledger.values())
    assert all(ob.due_at - ob.due_soon_at < timedelta(days=30) for ob in ledger.values())
