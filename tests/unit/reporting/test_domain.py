"""The drafting rules without I/O: when a draft is due, what the consolidated report says about
units late, missing or not started, and what an inspection notice finds."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from minhbach.calendar import TZ
from minhbach.events.catalogue import CheckResult, ProbeOutcome, TaskReport, TaskStatus
from minhbach.plan import Plan, default_plan_path, load_plan
from reporting.compose import inspection_document
from reporting.domain.consolidated import consolidated_report
from reporting.domain.facts import FiledReport, PostedDocument, Probe
from reporting.domain.inspection import (
    NO_FULL_TEXT,
    NOT_DIRECTIVE,
    POSTED_LATE,
    SECTION_MISSING,
    UNREACHABLE,
    finding_kinds,
    inspection_notice,
)
from reporting.domain.schedule import (
    ALL_FILED,
    DEADLINE,
    ROUND_COMPLETE,
    ROUND_ENDED,
    current_period,
    inspection_round,
    report_periods,
    report_trigger,
    round_of_key,
    round_trigger,
)
from reporting.names import short_name
from reporting.render.document import Paragraph

PLAN: Plan = load_plan(default_plan_path())
PERIODS = {p.period: p for p in report_periods(PLAN, PLAN.working_calendar())}


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def filed(unit: str, at: datetime, statuses: dict[str, TaskStatus] | None = None) -> FiledReport:
    statuses = statuses or {}
    return FiledReport(
        report_id=uuid.uuid4(),
        version_no=1,
        event_id=uuid.uuid4(),
        unit_code=unit,
        period="Q3",
        reporter="lead_units",
        submitted_at=at,
        first_submitted_at=at,
        due_at=PERIODS["Q3"].lead_due_at,
        tasks=tuple(
            TaskReport(
                task_code=t.code,
                status=statuses.get(t.code, TaskStatus.DONE),
                difficulties="Thiếu kinh phí" if t.code in statuses else "",
            )
            for t in PLAN.tasks_led_by(unit)
        ),
        analysis="",
    )


def test_periods_follow_the_plan_rules_q1_ends_before_the_plan_took_effect() -> None:
    assert set(PERIODS) == {"Q2", "Q3", "Q4", "year"}
    q3 = PERIODS["Q3"]
    assert q3.lead_due_at == vn(2024, 10, 2)  # before 02/10: by the end of 01/10
    assert q3.focal_due_at == vn(2024, 10, 10)
    # Last permitted day Wed 09/10, two working days before: Mon 07/10.
    assert q3.draft_from == vn(2024, 10, 7)
    assert PERIODS["year"].focal_due_at == vn(2024, 12, 10)


def test_a_report_is_due_when_every_lead_unit_filed_or_at_the_focal_deadline_less_two_days() -> (
    None
):
    q3, leads = PERIODS["Q3"], PLAN.lead_unit_codes_all()
    assert report_trigger(q3, leads, leads, vn(2024, 10, 1, 9)) == ALL_FILED
    assert report_trigger(q3, leads, leads[:-1], vn(2024, 10, 4, 17)) is None
    assert report_trigger(q3, leads, leads[:-1], vn(2024, 10, 7, 0)) == DEADLINE
    assert report_trigger(PERIODS["Q4"], leads, leads, vn(2024, 9, 30, 9)) is None  # not begun


def test_the_current_period_is_the_quarter_being_reported_until_its_focal_deadline() -> None:
    periods = tuple(PERIODS.values())
    assert current_period(periods, vn(2024, 9, 30, 7)).period == "Q3"  # type: ignore[union-attr]
    assert current_period(periods, vn(2024, 10, 3, 7)).period == "Q3"  # type: ignore[union-attr]
    assert current_period(periods, vn(2024, 10, 10, 7)).period == "Q4"  # type: ignore[union-attr]


def test_units_late_and_missing_are_named_and_a_task_not_started_has_its_reason_quoted() -> None:
    leads = list(PLAN.lead_unit_codes_all())
    on_time, late = vn(2024, 10, 1, 9), vn(2024, 10, 3, 9)
    reports = [filed(u, on_time) for u in leads[2:]]
    reports.append(
        filed(leads[0], late, {PLAN.tasks_led_by(leads[0])[0].code: TaskStatus.NOT_STARTED})
    )
    report = consolidated_report(PLAN, PERIODS["Q3"], reports, {}, [], vn(2024, 10, 7, 8), DEADLINE)
    assert report.missing_units == (leads[1],)
    assert report.late_units == (leads[0],)
    first_task = PLAN.tasks_led_by(leads[0])[0].code
    idle = [g for g in report.lagging if g.status is TaskStatus.NOT_STARTED]
    assert [(g.reason, g.units) for g in idle] == [("Thiếu kinh phí", ((leads[0], (first_task,)),))]
    silent = next(g for g in report.lagging if g.status is None)
    assert [u for u, _ in silent.units] == [leads[1]]
    unreported = [t for t in report.tasks if t.status is None]
    assert {t.unit_code for t in unreported} == {leads[1]}
    assert len(unreported) == len(PLAN.tasks_led_by(leads[1]))
    assert all(line.readiness is None for line in report.indicators)  # no figure announced yet


def _probe(unit: str, at: datetime, outcome: ProbeOutcome, *checks: CheckResult) -> Probe:
    return Probe(unit, f"https://{unit}.example", at, outcome, checks, uuid.uuid4())


def _document(unit: str, at: datetime, **flags: object) -> PostedDocument:
    values: dict[str, object] = {
        "kind": "directive",
        "full_text_available": True,
        "posted_on_time": True,
        "not_directive": False,
        **flags,
    }
    return PostedDocument(
        document_id=uuid.uuid4(),
        portal_unit_code=unit,
        url=f"https://{unit}.example/van-ban/1",
        title="Công văn về việc tổ chức hội nghị",
        section="directives",
        issued_on=date(2024, 9, 20),
        first_seen_at=at,
        event_id=uuid.uuid4(),
        **values,  # type: ignore[arg-type]
    )


def test_rounds_are_iso_weeks_or_months_in_vietnam_time() -> None:
    monday = inspection_round("week", vn(2024, 9, 30, 7))
    assert monday.key == "2024-W40" and monday.starts == vn(2024, 9, 30)
    assert monday.ends - monday.starts == timedelta(days=7)
    assert round_of_key("week", "2024-W40") == monday
    assert inspection_round("month", vn(2024, 12, 31, 23)).key == "2024-12"
    assert round_of_key("month", "2024-12").ends == vn(2025, 1, 1)


def test_a_notice_names_each_shortfall_with_its_evidence_and_the_portals_not_inspected() -> None:
    round_ = inspection_round("week", vn(2024, 9, 30, 7))
    seen = vn(2024, 10, 1, 9)
    portals = ["ubnd-huyen", "bao-dai", "doi-ngo"]
    missing_section = CheckResult(
        check="section_present",
        passed=False,
        section="qa",
        detail="Không tìm thấy chuyên mục “Hỏi đáp”.",
        evidence_url="https://bao-dai.example/hoi-dap",
    )
    probes = [
        _probe(
            "ubnd-huyen", seen, ProbeOutcome.OK, CheckResult(check="section_fresh", passed=True)
        ),
        _probe("bao-dai", seen, ProbeOutcome.OK, missing_section),
    ]
    documents = [
        _document(
            "ubnd-huyen", seen, posted_on_time=False, full_text_available=False, no_full_text=True
        ),
        _document("ubnd-huyen", seen, kind="other", not_directive=True),
        _document("ubnd-huyen", vn(2024, 9, 20, 9), posted_on_time=False),  # an earlier round
    ]
    assert round_trigger(round_, portals, {"ubnd-huyen", "bao-dai"}, seen) is None
    assert round_trigger(round_, portals, {"ubnd-huyen", "bao-dai"}, round_.ends) == ROUND_ENDED
    assert round_trigger(round_, portals, set(portals), seen) == ROUND_COMPLETE
    notice = inspection_notice(round_, portals, probes, documents, seen, ROUND_ENDED)
    assert notice.not_inspected == ("doi-ngo",)
    district, commune = notice.findings[0], notice.findings[1]
    assert [p.kind for p in district.problems] == [POSTED_LATE, NO_FULL_TEXT, NOT_DIRECTIVE]
    assert district.problems[0].evidence_url == "https://ubnd-huyen.example/van-ban/1"
    assert [(p.kind, p.evidence_url, p.seen_at) for p in commune.problems] == [
        (SECTION_MISSING, "https://bao-dai.example/hoi-dap", seen)
    ]


def test_an_unreachable_portal_is_one_finding_with_the_reason() -> None:
    round_ = inspection_round("week", vn(2024, 9, 30, 7))
    failed = CheckResult(check="portal_available", passed=False, detail="Không truy cập được.")
    probe = _probe("bao-dai", vn(2024, 10, 1, 9), ProbeOutcome.UNREACHABLE, failed)
    notice = inspection_notice(round_, ["bao-dai"], [probe], [], vn(2024, 10, 1, 9), ROUND_COMPLETE)
    assert [(p.kind, p.detail) for p in notice.findings[0].problems] == [
        (UNREACHABLE, "Không truy cập được.")
    ]


def test_a_notice_groups_its_findings_by_kind_with_the_portals_named() -> None:
    round_ = inspection_round("week", vn(2024, 9, 30, 7))
    seen = vn(2024, 10, 1, 9)
    portals = ["ubnd-huyen", "bao-dai", "doi-ngo", "bac-lung"]
    missing = CheckResult(check="section_present", passed=False, section="qa", detail="Thiếu.")
    probes = [
        _probe("bao-dai", seen, ProbeOutcome.OK, missing),
        _probe("doi-ngo", seen, ProbeOutcome.OK, missing),
        _probe("bac-lung", seen, ProbeOutcome.UNREACHABLE),
    ]
    notice = inspection_notice(round_, portals, probes, [], seen, ROUND_ENDED)
    kinds = finding_kinds(notice.short_of)
    assert [(k.kind, k.units) for k in kinds] == [
        (UNREACHABLE, ("bac-lung",)),
        (SECTION_MISSING, ("bao-dai", "doi-ngo")),
    ]
    document = inspection_document(PLAN, notice, 1)
    lines = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    by_kind = [line for line in lines if line.startswith("- ")]
    assert by_kind[0] == f"- Không truy cập được Cổng TTĐT (1 cổng): {PLAN.unit('bac-lung').name}."
    assert by_kind[1].startswith("- Thiếu chuyên mục (2 cổng): ")
    assert all(short_name(PLAN, u) in by_kind[1] for u in ("bao-dai", "doi-ngo"))
    assert not any(code in "\n".join(lines) for code in ("section_present", "unreachable"))
