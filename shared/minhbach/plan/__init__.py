"""The plan as data: the plan file's schema, its loader and lookups over it.

from minhbach.plan import load_plan, default_plan_path
plan = load_plan(default_plan_path())
plan.focal_unit.code, plan.task("7.2").timing.deadline, plan.lead_unit_codes("1.1")
"""

from minhbach.plan.errors import FieldPath, PlanError, PlanIssue, render_path
from minhbach.plan.loader import default_plan_path, load_plan, parse_plan
from minhbach.plan.models import (
    CalendarOverrides,
    DatedReason,
    DocumentKindEntry,
    Escalation,
    EscalationStep,
    Indicator,
    IssuedDocument,
    Meta,
    Plan,
    PortalSection,
    ReadinessSignal,
    ReferencedPlan,
    ReferenceLink,
    ReportingRule,
    Roles,
    Signer,
    Target,
    Task,
    Timing,
    TimingKind,
    Unit,
    UnitGroup,
    UnitKind,
)

__all__ = [
    "CalendarOverrides",
    "DatedReason",
    "DocumentKindEntry",
    "Escalation",
    "EscalationStep",
    "FieldPath",
    "Indicator",
    "IssuedDocument",
    "Meta",
    "Plan",
    "PlanError",
    "PlanIssue",
    "PortalSection",
    "ReadinessSignal",
    "ReferenceLink",
    "ReferencedPlan",
    "ReportingRule",
    "Roles",
    "Signer",
    "Target",
    "Task",
    "Timing",
    "TimingKind",
    "Unit",
    "UnitGroup",
    "UnitKind",
    "default_plan_path",
    "load_plan",
    "parse_plan",
    "render_path",
]
