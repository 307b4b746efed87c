"""Every announced figure (`figure_history`, to compare periods) and the appendix as a
spreadsheet (`drafts.xlsx`).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCHEMA = "reporting"


def upgrade() -> None:
    op.create_table(
        "figure_history",
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("indicator", sa.Integer, nullable=False),
        sa.Column("readiness", sa.Float, nullable=False),
        sa.Column("signals", postgresql.JSONB, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_reporting_figure_history_at",
        "figure_history",
        ["indicator", "computed_at"],
        schema=SCHEMA,
    )
    op.add_column("drafts", sa.Column("xlsx", sa.LargeBinary), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("drafts", "xlsx", schema=SCHEMA)
    op.drop_index("ix_reporting_figure_history_at", "figure_history", schema=SCHEMA)
    op.drop_table("figure_history", schema=SCHEMA)
