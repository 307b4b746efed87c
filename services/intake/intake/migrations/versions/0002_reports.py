"""Unit tokens, reports and their versions, evidence, idempotency keys.

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

SCHEMA = "intake"


def upgrade() -> None:
    op.create_table(
        "unit_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column(
            "issued_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        schema=SCHEMA,
    )
    op.create_index("ix_intake_unit_tokens_unit_code", "unit_tokens", ["unit_code"], schema=SCHEMA)
    op.create_table(
        "reports",
        sa.Column("report_id", sa.Uuid, primary_key=True),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("plan_year", sa.Integer, nullable=False),
        sa.Column("period", sa.String(8), nullable=False),
        sa.Column("reporter", sa.String(16), nullable=False),
        sa.Column("rule_code", sa.String(64), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("latest_version", sa.Integer, nullable=False),
        sa.UniqueConstraint(
            "unit_code", "plan_year", "period", "reporter", name="uq_reports_period"
        ),
        schema=SCHEMA,
    )
    op.create_table(
        "report_versions",
        sa.Column(
            "report_id",
            sa.Uuid,
            sa.ForeignKey(f"{SCHEMA}.reports.report_id"),
            primary_key=True,
        ),
        sa.Column("version_no", sa.Integer, primary_key=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("on_time", sa.Boolean, nullable=False),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("tasks", JSONB, nullable=False),
        sa.Column("analysis", sa.Text, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "evidence",
        sa.Column("evidence_id", sa.Uuid, primary_key=True),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("task_code", sa.String(16), nullable=False),
        sa.Column("plan_year", sa.Integer, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("document_number", sa.String(100)),
        sa.Column("issued_on", sa.Date),
        sa.Column("title", sa.Text),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("event_id", sa.Uuid, nullable=False),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_evidence_unit_submitted", "evidence", ["unit_code", "submitted_at"], schema=SCHEMA
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("unit_code", sa.String(64), primary_key=True),
        sa.Column("idem_key", sa.String(200), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer, nullable=False),
        sa.Column("response", sa.Text, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_idempotency_created", "idempotency_keys", ["created_at"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("idempotency_keys", schema=SCHEMA)
    op.drop_table("evidence", schema=SCHEMA)
    op.drop_table("report_versions", schema=SCHEMA)
    op.drop_table("reports", schema=SCHEMA)
    op.drop_table("unit_tokens", schema=SCHEMA)
