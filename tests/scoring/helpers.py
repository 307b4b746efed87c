"""Plans and events for the scoring tests.

`small_plan(suffix)` is the seed plan cut down to a district portal, five departments and two
communes, every unit code carrying `suffix`: events of other tests in the same JetStream (which
name other units) are then ignored by the scoring service under test.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache

import yaml

from minhbach.calendar import TZ
from minhbach.events.catalogue import (
    CheckResult,
    DocumentChanged,
    DocumentFound,
    DocumentKind,
    EvidenceRef,
    EvidenceSubmitted,
    PortalDocument,
    ProbeFinished,
    ProbeOutcome,
    ReportSubmitted,
    TaskReport,
    TaskStatus,
)
from minhbach.plan import Plan
from tests.support.plans import plan_from_seed_data, seed_data

KEPT_UNITS = (
    "ubnd-huyen",
    "chu-tich",
    "pct-phu-trach",
    "vhtt",
    "tckh",
    "ktht",
    "tu-phap",
    "ttvh-tttt",
    "doi-ngo",
    "bao-dai",
)
DISTRICT = "ubnd-huyen"
FOCAL = "vhtt"
COMMUNES = ("doi-ngo", "bao-dai")


def vn(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """An instant in Vietnam's time."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@cache
def _seed_text() -> str:
    return yaml.safe_dump(seed_data(), allow_unicode=True)


def small_plan(suffix: str = "", units: Iterable[str] = KEPT_UNITS) -> Plan:
    kept = set(units)
    data = yaml.safe_load(_seed_text())  # a deep copy

    def name(code: str) -> str:
        return f"{code}{suffix}" if code in kept else code

    data["units"] = [{**u, "code": name(u["code"])} for u in data["units"] if u["code"] in kept]
    data["roles"] = {role: name(code) for role, code in data["roles"].items()}
    for task in data["tasks"]:
        task["lead"] = [name(c) for c in task["lead"]]
        task["supporting"] = [name(c) for c in task.get("supporting", [])]
    for rule in data["reporting_rules"]:
        rule["recipient"] = name(rule["recipient"])
    for step in data["escalation"]["steps"]:
        step["notify"] = name(step["notify"])
    drafting = data.get("drafting")
    if drafting:
        for field in ("readers", "draft_recipients"):
            drafting[field] = [name(c) for c in drafting.get(field, []) if c in kept]
    monitoring = data.get("portal_monitoring")
    if monitoring:
        monitoring["portals"] = [
            {**p, "unit": name(p["unit"])}
            for p in monitoring.get("portals", [])
            if p["unit"] in kept
        ]
        for duty in monitoring.get("copy_duties", []):
            for field in ("documents_of", "reposted_on"):
                duty[field] = [name(c) for c in duty[field]]
    return plan_from_seed_data(data)


def unique_suffix() -> str:
    return "-" + uuid.uuid4().hex[:8]


# --- events ---------------------------------------------------------------------------------------


def report(
    plan: Plan,
    unit: str,
    period: str,
    submitted_at: datetime,
    done: Iterable[str] = (),
    *,
    version_no: int = 1,
    report_id: uuid.UUID | None = None,
    reporter: str = "lead_units",
    tasks: Iterable[str] | None = None,
) -> ReportSubmitted:
    """A report covering every task the unit leads (or `tasks`), those in `done` marked done."""
    done = set(done)
    codes = list(tasks) if tasks is not None else [t.code for t in plan.tasks_led_by(unit)]
    return ReportSubmitted(
        report_id=report_id or uuid.uuid4(),
        version_no=version_no,
        unit_code=unit,
        plan_year=plan.year,
        period=period,  # type: ignore[arg-type]
        submitted_at=submitted_at,
        due_at=submitted_at,
        on_time=True,
        tasks=tuple(
            TaskReport(
                task_code=code,
                status=TaskStatus.DONE if code in done else TaskStatus.IN_PROGRESS,
                work_done="Đã triển khai",
            )
            for code in codes
        ),
        reporter=reporter,  # type: ignore[arg-type]
    )


def evidence(plan: Plan, unit: str, task: str, submitted_at: datetime) -> EvidenceSubmitted:
    return EvidenceSubmitted(
        evidence_id=uuid.uuid4(),
        unit_code=unit,
        task_code=task,
        plan_year=plan.year,
        submitted_at=submitted_at,
        evidence=EvidenceRef(url="http://127.0.0.1/bang-chung", title="Kết quả đào tạo"),
    )


def portal_document(
    portal_unit: str,
    first_seen_at: datetime,
    *,
    kind: DocumentKind = DocumentKind.PLANNING,
    section: str = "planning",
    number: str | None = "15/KH-UBND",
    title: str = "Kế hoạch sử dụng đất năm 2024 huyện",
    issued_on: date | None = date(2024, 6, 3),
    full_text: bool = True,
    document_id: uuid.UUID | None = None,
) -> PortalDocument:
    return PortalDocument(
        document_id=document_id or uuid.uuid4(),
        portal_unit_code=portal_unit,
        url=f"http://127.0.0.1/{portal_unit}/{uuid.uuid4().hex[:6]}",
        title=title,
        section=section,
        kind=kind,
        document_number=number,
        issued_on=issued_on,
        full_text_available=full_text,
        first_seen_at=first_seen_at,
    )


def found(doc: PortalDocument, occurred_at: datetime | None = None) -> DocumentFound:
    return DocumentFound(document=doc, occurred_at=occurred_at or doc.first_seen_at)


def changed(doc: PortalDocument, occurred_at: datetime, fields: tuple[str, ...]) -> DocumentChanged:
    return DocumentChanged(document=doc, occurred_at=occurred_at, changed_fields=fields)


def probe(
    portal_unit: str,
    finished_at: datetime,
    *,
    outcome: ProbeOutcome = ProbeOutcome.OK,
    sections_ok: Iterable[str] = (),
    sections_missing: Iterable[str] = (),
    qa_active: bool | None = None,
    legal_links: bool | None = None,
) -> ProbeFinished:
    checks: list[CheckResult] = []
    for section in sections_ok:
        checks.append(CheckResult(check="section_present", passed=True, section=section))
        checks.append(CheckResult(check="section_fresh", passed=True, section=section))
    for section in sections_missing:
        checks.append(CheckResult(check="section_present", passed=False, section=section))
    if qa_active is not None:
        checks.append(CheckResult(check="qa_active", passed=qa_active, section="qa"))
    if legal_links is not None:
        checks.append(
            CheckResult(check="legal_links", passed=legal_links, section="legal_documents")
        )
    return ProbeFinished(
        probe_id=uuid.uuid4(),
        portal_unit_code=portal_unit,
        portal_url=f"http://127.0.0.1/{portal_unit}",
        started_at=finished_at,
        finished_at=finished_at,
        outcome=outcome,
        checks=tuple(checks) if outcome != ProbeOutcome.UNREACHABLE else (),
        occurred_at=finished_at,
    )
