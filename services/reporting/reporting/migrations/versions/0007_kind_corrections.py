"""A person's correction of a document's kind made on the coordinator's page (issue 19).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SCHEMA = "reporting"


def upgrade() -> None:
    op.create_table(
        "kind_corrections",
        sa.Column("document_id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("previous_kind", sa.String(64), nullable=False),
        sa.Column("corrected_by", sa.String(100), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("kind_corrections", schema=SCHEMA)
