"""The plan's rules for reports and evidence, as pure functions (no I/O)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from intake.domain import (
    FieldError,
    FiledReport,
    IntakeRules,
    Rejected,
    check_evidence,
    is_http_url,
)
from intake.errors import from_pydantic
from intake.models import EvidenceFilingIn, EvidenceIn, ReportIn
from minhbach.calendar import TZ
from minhbach.periods import period_last_day
from minhbach.plan import default_plan_path, load_plan
from tests.intake.builders import report_body, report_in

PLAN = load_plan(default_plan_path())
RULES = IntakeRules.of(PLAN)
JULY = date(2024, 7, 1)


def check_report(unit_code: str, report: ReportIn, today: date) -> list[FieldError]:
    """What `accept` finds wrong with a report filed at noon on `today` (nothing: accepted)."""
    decision = RULES.accept(unit_code, report, datetime.combine(today, time(12), TZ))
    return list(decision.errors) if isinstance(decision, Rejected) else []


def fields(errors: list[Any]) -> list[str]:
    return [error.field for error in errors]


def test_a_complete_report_of_every_lead_unit_passes() -> None:
    for unit_code in PLAN.lead_unit_codes_all():
        assert check_report(unit_code, report_in(PLAN, unit_code), JULY) == []


@pytest.mark.parametrize("unit_code", ["vhtt", "doi-ngo", "tu-phap", "noi-vu"])
def test_leaving_out_any_task_names_that_task(unit_code: str) -> None:
    for task in PLAN.tasks_led_by(unit_code):
        report = report_in(PLAN, unit_code, skip=(task.code,))
        errors = check_report(unit_code, report, JULY)
        assert [(e.field, e.reason) for e in errors] == [("tasks", "task_missing")]
        assert f"nhiệm vụ {task.code}:" in errors[0].message


def test_a_task_not_done_must_say_why() -> None:
    body = report_body(PLAN, "tu-phap")
    body["tasks"][0].update(status="in_progress", difficulties="")
    errors = check_report("tu-phap", ReportIn.model_validate(body), JULY)
    assert fields(errors) == ["tasks[0].difficulties"]
    assert "lý do" in errors[0].message
    body["tasks"][0]["difficulties"] = "Chưa có kinh phí nâng cấp cổng."
    assert check_report("tu-phap", ReportIn.model_validate(body), JULY) == []


def test_evidence_urls_numbers_and_dates_are_checked() -> None:
    body = report_body(PLAN, "vhtt")
    body["tasks"][1]["evidence"] = [
        {"url": "ftp://lucnam.example.invalid/a.pdf"},
        {"document_number": "kế hoạch số 5"},
        {"url": "https://lucnam.example.invalid/b", "issued_on": "2023-12-31"},
        {"title": "chỉ có trích yếu"},
    ]
    errors = check_report("vhtt", ReportIn.model_validate(body), JULY)
    assert fields(errors) == [
        "tasks[1].evidence[0].url",
        "tasks[1].evidence[1].document_number",
        "tasks[1].evidence[2].issued_on",
        "tasks[1].evidence[3]",
    ]
    assert "http://" in errors[0].message
    assert "113/KH-UBND" in errors[1].message
    assert "2024" in errors[2].message


@pytest.mark.parametrize(
    "number", ["113/KH-UBND", "42/2022/NĐ-CP", "5015/TB-LĐTBXH", "12a/QĐ-UBND", "01/2024/TT-BTTTT"]
)
def test_real_document_numbers_are_accepted(number: str) -> None:
    assert check_evidence(EvidenceIn(document_number=number), "e", 2024, None) == []


def test_tasks_the_unit_does_not_lead_or_that_do_not_exist_are_refused() -> None:
    body = report_body(PLAN, "tu-phap")  # leads 5.1, 3.x, 4.1 ... but not 1.1
    body["tasks"].append({"task_code": "1.1", "status": "done"})
    body["tasks"].append({"task_code": "9.9", "status": "done"})
    body["tasks"].append(dict(body["tasks"][0]))
    errors = check_report("tu-phap", ReportIn.model_validate(body), JULY)
    n = len(body["tasks"])
    assert [(e.field, e.reason) for e in errors] == [
        (f"tasks[{n - 3}].task_code", "task_not_led"),
        (f"tasks[{n - 2}].task_code", "unknown_task"),
        (f"tasks[{n - 1}].task_code", "task_duplicated"),
    ]


def test_plan_year_period_and_analysis() -> None:
    wrong_year = report_in(PLAN, "vhtt", year=2023)
    assert fields(check_report("vhtt", wrong_year, JULY)) == ["plan_year"]
    not_started = report_in(PLAN, "vhtt", "Q3")
    errors = check_report("vhtt", not_started, date(2024, 6, 30))
    assert [(e.field, e.reason) for e in errors] == [("period", "period")]
    no_analysis = report_in(PLAN, "vhtt", analysis="   ")
    assert fields(check_report("vhtt", no_analysis, JULY)) == ["analysis"]


def test_who_files_what() -> None:
    assert RULES.filing_refusal("vhtt", "focal_unit") is None
    assert RULES.filing_refusal("vhtt", "lead_units") is None  # the focal unit leads 1.1 and 7.2
    assert RULES.filing_refusal("tu-phap", "focal_unit") is not None
    refusal = RULES.filing_refusal("chi-cuc-thue", "lead_units")
    assert refusal is not None and "không chủ trì" in refusal
    assert RULES.reporters_of("vhtt") == ("lead_units", "focal_unit")
    assert RULES.reporters_of("doi-ngo") == ("lead_units",)
    consolidated = report_in(PLAN, "vhtt", reporter="focal_unit")
    assert len(consolidated.tasks) == len(PLAN.tasks)
    assert check_report("vhtt", consolidated, JULY) == []


def local(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=TZ)


def test_due_instants_follow_the_plans_rules_and_the_working_day_calendar() -> None:
    def due(reporter: str, period: str) -> datetime:
        found = RULES.due(reporter, period, 2024)  # type: ignore[arg-type]
        assert found is not None
        return found.due_at

    # "trước ngày 02 của tháng đầu tiên quý tiếp theo": by the end of 01/07 (a Monday).
    assert due("lead_units", "Q2") == local(2024, 7, 2)
    # 01/01/2025 is New Year's Day: the last permitted day moves to Thursday 02/01.
    assert due("lead_units", "Q4") == local(2025, 1, 3)
    # "trước ngày 02/12": 01/12/2024 is a Sunday, so Monday 02/12 still counts.
    assert due("lead_units", "year") == local(2024, 12, 3)
    # The focal unit's consolidated report: before the 10th.
    assert due("focal_unit", "Q2") == local(2024, 7, 10)
    assert period_last_day(2024, "Q1") == date(2024, 3, 31)
    assert period_last_day(2024, "Q2") == date(2024, 6, 30)


def test_period_states_tell_on_time_late_overdue_pending_and_not_required() -> None:
    filed = {
        ("lead_units", "Q2"): FiledReport(True, 2, uuid4(), ("1.1",), ()),
        ("lead_units", "Q3"): FiledReport(False, 1, uuid4(), ("1.1",), ("1.1",)),
    }
    now = datetime(2024, 11, 15, tzinfo=UTC)
    states = RULES.period_states("doi-ngo", 2024, filed, now)  # type: ignore[arg-type]
    by_period = {state.period: state.status for state in states}
    assert by_period == {
        "Q1": "not_required",  # ended before the plan took effect (01/05/2024)
        "Q2": "on_time",
        "Q3": "late",
        "year": "pending",
        "Q4": "pending",
    }
    later = RULES.period_states("doi-ngo", 2024, {}, datetime(2025, 2, 1, tzinfo=UTC))
    assert {s.period: s.status for s in later}["year"] == "overdue"
    assert [s.due_at for s in states] == sorted(s.due_at for s in states)


def test_missing_task_codes_compare_with_what_the_unit_leads_now() -> None:
    led = [task.code for task in PLAN.tasks_led_by("vhtt")]
    assert RULES.missing_task_codes("vhtt", "lead_units", led[:1]) == led[1:]


def test_evidence_for_a_task_the_unit_leads_or_supports() -> None:
    def filing(task: str, **evidence: Any) -> EvidenceFilingIn:
        evidence = evidence or {"url": "https://lucnam.example.invalid/vb/1"}
        return EvidenceFilingIn.model_validate(
            {"task_code": task, "plan_year": 2024, "evidence": evidence}
        )

    today = date(2024, 6, 1)
    assert RULES.check_evidence_filing("tckh", filing("1.1"), today) == []  # supporting
    assert RULES.check_evidence_filing("doi-ngo", filing("1.1"), today) == []  # lead
    refused = RULES.check_evidence_filing("tu-phap", filing("1.1"), today)
    assert [(e.field, e.reason) for e in refused] == [("task_code", "task_not_involved")]
    future = filing("1.1", url="https://x.example.invalid/1", issued_on="2024-06-02")
    assert fields(RULES.check_evidence_filing("vhtt", future, today)) == ["evidence.issued_on"]
    empty = RULES.check_evidence_filing("vhtt", filing("1.1", title="không có gì"), today)
    assert fields(empty) == ["evidence"]


def test_schema_errors_become_vietnamese_messages_naming_the_field() -> None:
    body = report_body(PLAN, "vhtt")
    del body["tasks"][1]["status"]
    body["tasks"][0]["evidence"][0]["issued_on"] = "ngày 2 tháng 4"
    body["period"] = "Q5"
    body["surprise"] = 1
    with pytest.raises(ValidationError) as caught:
        ReportIn.model_validate(body)
    errors = {e.field: e.message for e in from_pydantic(caught.value.errors())}
    assert errors == {
        "period": (
            "Giá trị không hợp lệ; chọn một trong: "
            "'Q1', 'Q2', 'Q3', 'Q4', 'H1', 'H2', 'M9' hoặc 'year'."
        ),
        "tasks[0].evidence[0].issued_on": "Ngày không hợp lệ (dạng NNNN-TT-NN, ví dụ 2024-06-15).",
        "tasks[1].status": "Chọn tình trạng thực hiện nhiệm vụ.",
        "surprise": "Trường này không có trong mẫu báo cáo.",
    }


@pytest.mark.parametrize(
    "url",
    ["https://lucnam.bacgiang.gov.vn/vb/1", "http://127.0.0.1:8080/x?a=1", "HTTPS://A.VN/"],
)
def test_http_urls_are_accepted(url: str) -> None:
    assert is_http_url(url)


@pytest.mark.parametrize(
    "url",
    ["ftp://a.vn/x", "https://", "https://a.vn/có dấu cách", "javascript:alert(1)", "http://[::1"],
)
def test_other_urls_are_refused_like_the_plan_loader_does(url: str) -> None:
    from minhbach.plan.models import check_http_url

    assert not is_http_url(url)
    with pytest.raises(ValueError):
        check_http_url(url)
