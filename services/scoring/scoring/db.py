"""The scoring schema: projections of other services' facts, the derived ledger and figures,
and the shared messaging tables.

Projections (`reports`, `evidence`, `documents`, `probes`) are kept from events through the
inbox and are the input of a rebuild. `task_states`, `obligations`, `figures` and
`figure_history` are derived from them (incrementally per event, or all at once by a rebuild).
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from minhbach.db.messaging_tables import JSON_TYPE, add_messaging_tables

SCHEMA = "scoring"
metadata = MetaData(schema=SCHEMA)
messaging = add_messaging_tables(metadata)

_CODE = 100

reports = Table(
    "reports",
    metadata,
    Column("report_id", Uuid, primary_key=True),
    Column("version_no", Integer, primary_key=True),
    Column("unit_code", String(_CODE), nullable=False),
    Column("plan_year", Integer, nullable=False),
    Column("period", String(8), nullable=False),
    Column("reporter", String(32), nullable=False),
    Column("rule_code", String(_CODE)),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("first_submitted_at", DateTime(timezone=True)),
    Column("tasks", JSON_TYPE, nullable=False),  # [[task_code, status], ...]
    Index("ix_reports_unit", "unit_code", "plan_year"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("evidence_id", Uuid, primary_key=True),
    Column("unit_code", String(_CODE), nullable=False),
    Column("task_code", String(16), nullable=False),
    Column("plan_year", Integer, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("url", Text),
    Column("document_number", Text),
    Column("title", Text),
    Index("ix_evidence_unit", "unit_code", "plan_year"),
)

documents = Table(
    "documents",
    metadata,
    Column("document_id", Uuid, primary_key=True),
    Column("portal_unit_code", String(_CODE), nullable=False),
    Column("url", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("section", String(_CODE), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("document_number", Text),
    Column("issued_on", Date),
    Column("full_text_available", Boolean, nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("revised_at", DateTime(timezone=True), nullable=False),
    Column("revision_event", Uuid, nullable=False),
    Column("number_key", Text),
    Column("title_key", Text, nullable=False),
    Column("posting_time_known", Boolean, nullable=False, server_default="true"),
    Column("not_directive", Boolean),
    Index("ix_documents_number_key", "number_key"),
    Index("ix_documents_title_key", "title_key"),
    Index("ix_documents_section", "section"),
)

probes = Table(
    "probes",
    metadata,
    Column("probe_id", Uuid, primary_key=True),
    Column("portal_unit_code", String(_CODE), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(32), nullable=False),
    Column("checks", JSON_TYPE, nullable=False),
    Index("ix_probes_portal_finished", "portal_unit_code", "finished_at"),
    Index("ix_probes_finished", "finished_at"),
)

task_states = Table(
    "task_states",
    metadata,
    Column("task_code", String(16), primary_key=True),
    Column("unit_code", String(_CODE), primary_key=True),
    Column("status", String(32), nullable=False),
    Column("report_id", Uuid, nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("version_no", Integer, nullable=False, server_default="1"),
)

obligations = Table(
    "obligations",
    metadata,
    Column("obligation_id", String(200), primary_key=True),
    Column("unit_code", String(_CODE), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("due_soon_at", DateTime(timezone=True), nullable=False),
    Column("task_code", String(16)),
    Column("period", String(8)),
    Column("document_id", Uuid),
    Column("document_kind", String(64)),
    Column("document_url", Text),
    Column("fulfilled_at", DateTime(timezone=True)),
    Column("fulfilled_by", String(200)),
    Column("status", String(32), nullable=False),  # as last announced; read APIs derive it live
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_obligations_unit", "unit_code"),
    Index("ix_obligations_kind", "kind"),
    Index("ix_obligations_document", "document_id"),
    Index("ix_obligations_due", "due_at"),
)

figures = Table(
    "figures",
    metadata,
    Column("indicator", Integer, primary_key=True),
    Column("readiness", Float, nullable=False),
    Column("signals", JSON_TYPE, nullable=False),  # values, weights, evidence and items
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("caused_by", Uuid),
)

figure_history = Table(
    "figure_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator", Integer, nullable=False),
    Column("readiness", Float, nullable=False),
    Column("signals", JSON_TYPE, nullable=False),  # values and weights only
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("caused_by", Uuid),
    Index("ix_figure_history_indicator", "indicator", "id"),
)

PROJECTIONS = (reports, evidence, documents, probes)
DERIVED = (task_states, obligations, figures, figure_history)
