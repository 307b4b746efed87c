"""The plan as data: the plan file's schema, its loader and lookups over it.

from minhbach.plan import load_plan, default_plan_path
plan = load_plan(default_plan_path())
plan.focal_unit.code, plan.task("7.2").timing.deadline, plan.lead_unit_codes("1.1")
"""

from minhbach.plan.drafting import DraftedDocument, Drafting, DraftSigner
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
    Unit,
    UnitGroup,
)
from minhbach.plan.plan import Plan
from minhbach.plan.portal import (
    ClassificationRule,
    DetailPage,
    DocumentType,
    IssuerSymbol,
    ListingSelectors,
    PortalConfig,
    PortalMonitoring,
    PortalPlatform,
    Regulation,
    SectionSource,
)
from minhbach.plan.types import QUARTERS, YEAR, TimingKind, UnitKind

__all__ = [
    "QUARTERS",
    "YEAR",
    "CalendarOverrides",
    "ClassificationRule",
    "DatedReason",
    "DetailPage",
    "DocumentKindEntry",
    "DocumentType",
    "DraftSigner",
    "DraftedDocument",
    "Drafting",
    "Escalation",
    "EscalationStep",
    "FieldPath",
    "Indicator",
    "IssuedDocument",
    "IssuerSymbol",
    "ListingSelectors",
    "Meta",
    "Plan",
    "PlanError",
    "PlanIssue",
    "PortalConfig",
    "PortalMonitoring",
    "PortalPlatform",
    "PortalSection",
    "ReadinessSignal",
    "ReferenceLink",
    "ReferencedPlan",
    "Regulation",
    "ReportingRule",
    "Roles",
    "SectionSource",
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
