"""The plan as data: the plan file's schema, its loader and lookups over it.

from minhbach.plan import load_plan, default_plan_path
plan = load_plan(default_plan_path())
plan.focal_unit.code, plan.task("7.2").timing.deadline, plan.lead_unit_codes("1.1")
"""

from minhbach.periods import QUARTERS, YEAR
from minhbach.plan.drafting import (
    DraftedDocument,
    Drafting,
    DraftSigner,
    InspectionNoticeDocument,
)
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
    ClassificationRuleSet,
    CopyDuty,
    DetailPage,
    DocumentType,
    IssuerSymbol,
    ListingSelectors,
    PortalConfig,
    PortalMonitoring,
    PortalPlatform,
    Regulation,
    ResolvedCopyDuty,
    SectionSource,
)
from minhbach.plan.rules import ReportingRule
from minhbach.plan.types import Level, TimingKind, UnitKind
from minhbach.plan.wording import PlanWords

__all__ = [
    "QUARTERS",
    "YEAR",
    "CalendarOverrides",
    "ClassificationRule",
    "ClassificationRuleSet",
    "CopyDuty",
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
    "InspectionNoticeDocument",
    "IssuedDocument",
    "IssuerSymbol",
    "Level",
    "ListingSelectors",
    "Meta",
    "Plan",
    "PlanError",
    "PlanIssue",
    "PlanWords",
    "PortalConfig",
    "PortalMonitoring",
    "PortalPlatform",
    "PortalSection",
    "ReadinessSignal",
    "ReferenceLink",
    "ReferencedPlan",
    "Regulation",
    "ReportingRule",
    "ResolvedCopyDuty",
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
