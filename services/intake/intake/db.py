"""The intake schema: its tables and the shared messaging tables.

A report is one row per (unit, plan year, period, reporter); each filing or amendment adds a row
to `report_versions` (old versions are never changed). Tokens are stored as SHA-256 hashes only.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)

from minhbach.db.messaging_tables import JSON_TYPE, add_messaging_tables
from minhbach.tokens import token_table

SCHEMA = "intake"
metadata = MetaData(schema=SCHEMA)
messaging = add_messaging_tables(metadata)

unit_tokens = token_table("unit_tokens", metadata)

reports = Table(
    "reports",
    metadata,
    Column("report_id", Uuid, primary_key=True),
    Column("unit_code", String(64), nullable=False),
    Column("plan_year", Integer, nullable=False),
    Column("period", String(8), nullable=False),
    Column("reporter", String(16), nullable=False),
    Column("rule_code", String(64), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("first_submitted_at", DateTime(timezone=True), nullable=False),
    Column("latest_version", Integer, nullable=False),
    UniqueConstraint("unit_code", "plan_year", "period", "reporter", name="uq_reports_period"),
)

report_versions = Table(
    "report_versions",
    metadata,
    Column("report_id", Uuid, ForeignKey(reports.c.report_id), primary_key=True),
    Column("version_no", Integer, primary_key=True),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("on_time", Boolean, nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("tasks", JSON_TYPE, nullable=False),  # list of TaskReport as JSON
    Column("analysis", Text, nullable=False),
)

evidence = Table(
    "evidence",
    metadata,
    Column("evidence_id", Uuid, primary_key=True),
    Column("unit_code", String(64), nullable=False),
    Column("task_code", String(16), nullable=False),
    Column("plan_year", Integer, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("url", Text),
    Column("document_number", String(100)),
    Column("issued_on", Date),
    Column("title", Text),
    Column("note", Text, nullable=False),
    Column("event_id", Uuid, nullable=False),
    Index("ix_evidence_unit_submitted", "unit_code", "submitted_at"),
)

# A retried POST with the same Idempotency-Key gets the stored first answer back.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("unit_code", String(64), primary_key=True),
    Column("idem_key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_idempotency_created", "created_at"),
)
