"""A person's correction of a document's kind, kept across re-probes (issue 19).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCHEMA = "portal_monitor"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "kind_corrections",
        sa.Column("canonical_url", sa.Text, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("previous_kind", sa.String(40)),
        sa.Column("previous_rule", sa.String(64)),
        sa.Column("corrected_by", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("corrected_at", TS, nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("kind_corrections", schema=SCHEMA)
