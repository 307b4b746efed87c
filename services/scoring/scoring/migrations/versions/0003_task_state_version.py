"""Task states keep the report version, so the latest report wins by one upsert.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "scoring"


def upgrade() -> None:
    op.add_column(
        "task_states",
        sa.Column("version_no", sa.Integer, nullable=False, server_default="1"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_column("task_states", "version_no", schema=SCHEMA)
