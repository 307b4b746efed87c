"""Readers' tokens; projections of reports, figures, probes and documents; drafts.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = "reporting"
_CODE = 100
TABLES = ("drafts", "documents", "probes", "figures", "reports", "reader_tokens")


def upgrade() -> None:
    op.create_table(
        "reader_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column(
            "issued_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Index("ix_reporting_reader_tokens_unit_code", "unit_code"),
        schema=SCHEMA,
    )
    op.create_table(
        "reports",
        sa.Column("report_id", sa.Uuid, primary_key=True),
        sa.Column("version_no", sa.Integer, nullable=False),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("unit_code", sa.String(_CODE), nullable=False),
        sa.Column("plan_year", sa.Integer, nullable=False),
        sa.Column("period", sa.String(8), nullable=False),
        sa.Column("reporter", sa.String(32), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tasks", JSONB, nullable=False),  # [TaskReport as JSON]
        sa.Column("analysis", sa.Text, nullable=False),
        sa.Index("ix_reporting_reports_period", "plan_year", "period", "reporter"),
        schema=SCHEMA,
    )
    op.create_table(
        "figures",
        sa.Column("indicator", sa.Integer, primary_key=True),
        sa.Column("readiness", sa.Float, nullable=False),
        sa.Column("signals", JSONB, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("event_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "probes",
        sa.Column("portal_unit_code", sa.String(_CODE), primary_key=True),
        sa.Column("round_key", sa.String(16), primary_key=True),
        sa.Column("probe_id", sa.Uuid, nullable=False),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("portal_url", sa.Text, nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("checks", JSONB, nullable=False),
        sa.Index("ix_reporting_probes_round", "round_key"),
        schema=SCHEMA,
    )
    op.create_table(
        "documents",
        sa.Column("document_id", sa.Uuid, primary_key=True),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("portal_unit_code", sa.String(_CODE), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("section", sa.String(_CODE), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("document_number", sa.Text),
        sa.Column("issued_on", sa.Date),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("full_text_available", sa.Boolean, nullable=False),
        sa.Column("posted_on_time", sa.Boolean),
        sa.Column("not_directive", sa.Boolean),
        sa.Index("ix_reporting_documents_seen", "first_seen_at"),
        schema=SCHEMA,
    )
    op.create_table(
        "drafts",
        sa.Column("draft_id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("period_key", sa.String(16), nullable=False),
        sa.Column("version_no", sa.Integer, nullable=False),
        sa.Column("trigger", sa.String(32), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("drafted_at", sa.DateTime(timezone=True), nullable=False),  # the service clock
        sa.Column(
            "fingerprint", sa.String(64), nullable=False
        ),  # of the sources that decide a redraft
        sa.Column("sources", JSONB, nullable=False),
        sa.Column("missing_units", JSONB, nullable=False),
        sa.Column("docx", sa.LargeBinary, nullable=False),
        sa.Column("docx_sha256", sa.String(64), nullable=False),
        sa.Column("pdf", sa.LargeBinary),  # None: LibreOffice missing or the conversion failed
        sa.Column("html", sa.Text, nullable=False),
        sa.UniqueConstraint("kind", "period_key", "version_no", name="uq_drafts_version"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table, schema=SCHEMA)
