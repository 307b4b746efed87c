"""Projections of reports, evidence, documents and probes; task states, obligations, figures.

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

SCHEMA = "scoring"
CODE = 100


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("report_id", sa.Uuid, primary_key=True),
        sa.Column("version_no", sa.Integer, primary_key=True),
        sa.Column("unit_code", sa.String(CODE), nullable=False),
        sa.Column("plan_year", sa.Integer, nullable=False),
        sa.Column("period", sa.String(8), nullable=False),
        sa.Column("reporter", sa.String(32), nullable=False),
        sa.Column("rule_code", sa.String(CODE)),
        _ts("submitted_at"),
        _ts("first_submitted_at", nullable=True),
        sa.Column("tasks", JSONB, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_reports_unit", "reports", ["unit_code", "plan_year"], schema=SCHEMA)

    op.create_table(
        "evidence",
        sa.Column("evidence_id", sa.Uuid, primary_key=True),
        sa.Column("unit_code", sa.String(CODE), nullable=False),
        sa.Column("task_code", sa.String(16), nullable=False),
        sa.Column("plan_year", sa.Integer, nullable=False),
        _ts("submitted_at"),
        sa.Column("url", sa.Text),
        sa.Column("document_number", sa.Text),
        sa.Column("title", sa.Text),
        schema=SCHEMA,
    )
    op.create_index("ix_evidence_unit", "evidence", ["unit_code", "plan_year"], schema=SCHEMA)

    op.create_table(
        "documents",
        sa.Column("document_id", sa.Uuid, primary_key=True),
        sa.Column("portal_unit_code", sa.String(CODE), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("section", sa.String(CODE), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("document_number", sa.Text),
        sa.Column("issued_on", sa.Date),
        sa.Column("full_text_available", sa.Boolean, nullable=False),
        _ts("first_seen_at"),
        _ts("revised_at"),
        sa.Column("revision_event", sa.Uuid, nullable=False),
        sa.Column("number_key", sa.Text),
        sa.Column("title_key", sa.Text, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_documents_number_key", "documents", ["number_key"], schema=SCHEMA)
    op.create_index("ix_documents_title_key", "documents", ["title_key"], schema=SCHEMA)
    op.create_index("ix_documents_section", "documents", ["section"], schema=SCHEMA)

    op.create_table(
        "probes",
        sa.Column("probe_id", sa.Uuid, primary_key=True),
        sa.Column("portal_unit_code", sa.String(CODE), nullable=False),
        _ts("finished_at"),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("checks", JSONB, nullable=False),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_probes_portal_finished", "probes", ["portal_unit_code", "finished_at"], schema=SCHEMA
    )
    op.create_index("ix_probes_finished", "probes", ["finished_at"], schema=SCHEMA)

    op.create_table(
        "task_states",
        sa.Column("task_code", sa.String(16), primary_key=True),
        sa.Column("unit_code", sa.String(CODE), primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("report_id", sa.Uuid, nullable=False),
        _ts("reported_at"),
        schema=SCHEMA,
    )

    op.create_table(
        "obligations",
        sa.Column("obligation_id", sa.String(200), primary_key=True),
        sa.Column("unit_code", sa.String(CODE), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        _ts("due_at"),
        _ts("due_soon_at"),
        sa.Column("task_code", sa.String(16)),
        sa.Column("period", sa.String(8)),
        sa.Column("document_id", sa.Uuid),
        sa.Column("document_kind", sa.String(64)),
        sa.Column("document_url", sa.Text),
        _ts("fulfilled_at", nullable=True),
        sa.Column("fulfilled_by", sa.String(200)),
        sa.Column("status", sa.String(32), nullable=False),
        _ts("updated_at"),
        schema=SCHEMA,
    )
    op.create_index("ix_obligations_unit", "obligations", ["unit_code"], schema=SCHEMA)
    op.create_index("ix_obligations_kind", "obligations", ["kind"], schema=SCHEMA)
    op.create_index("ix_obligations_document", "obligations", ["document_id"], schema=SCHEMA)
    op.create_index("ix_obligations_due", "obligations", ["due_at"], schema=SCHEMA)

    op.create_table(
        "figures",
        sa.Column("indicator", sa.Integer, primary_key=True),
        sa.Column("readiness", sa.Float, nullable=False),
        sa.Column("signals", JSONB, nullable=False),
        _ts("computed_at"),
        sa.Column("caused_by", sa.Uuid),
        schema=SCHEMA,
    )

    op.create_table(
        "figure_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("indicator", sa.Integer, nullable=False),
        sa.Column("readiness", sa.Float, nullable=False),
        sa.Column("signals", JSONB, nullable=False),
        _ts("computed_at"),
        sa.Column("caused_by", sa.Uuid),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_figure_history_indicator", "figure_history", ["indicator", "id"], schema=SCHEMA
    )


def downgrade() -> None:
    for table in (
        "figure_history",
        "figures",
        "obligations",
        "task_states",
        "probes",
        "documents",
        "evidence",
        "reports",
    ):
        op.drop_table(table, schema=SCHEMA)
