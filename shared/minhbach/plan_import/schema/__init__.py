"""The plan file as the importer writes it: the ONE package that knows the schema's field names,
unit kinds, group codes and level words. Another schema version changes this package only:
`vocabulary` (the words it reads with), `document` (the file it writes).

Written for schema_version 1 of the two-tier government (decision 0013): `meta.level` +
`meta.locality`, the unit kinds province, department, central_agency, association, centre,
commune, ward, special_zone, leadership (and the legacy district, town, tax a base plan may
keep), `portal_monitoring.copy_duties`, and the reporting rules of decision 0017 (`due_month`,
periods quarter/half_year/nine_months/year, `fold_last_into_year`, `data_cutoff_day`, one
recipient or a list).
"""

from minhbach.plan_import.schema.document import (
    Notes,
    check,
    meta_block,
    noted,
    plan_document,
    task_block,
)
from minhbach.plan_import.schema.vocabulary import (
    GROUPS,
    KIND_HELP,
    KIND_LABELS,
    LEVEL_WORDS,
    LEVELS,
    POLICY_BLOCKS,
    SCHEMA_VERSION,
    TIMEZONE,
    classification_phrases,
    group_kinds,
    group_phrases,
    indicator_fields,
    kept_kind,
    needs_portal,
    rule_code,
    short_name,
    task_fields,
    unit_fields,
    unit_kind,
    valid_code,
    valid_email,
    valid_portal,
)

__all__ = [
    "GROUPS",
    "KIND_HELP",
    "KIND_LABELS",
    "LEVELS",
    "LEVEL_WORDS",
    "POLICY_BLOCKS",
    "SCHEMA_VERSION",
    "TIMEZONE",
    "Notes",
    "check",
    "classification_phrases",
    "group_kinds",
    "group_phrases",
    "indicator_fields",
    "kept_kind",
    "meta_block",
    "needs_portal",
    "noted",
    "plan_document",
    "rule_code",
    "short_name",
    "task_block",
    "task_fields",
    "unit_fields",
    "unit_kind",
    "valid_code",
    "valid_email",
    "valid_portal",
]
