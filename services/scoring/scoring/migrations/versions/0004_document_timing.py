"""Documents: whether their posting time can be known, and portal-monitor's directive verdict
(issue 12).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCHEMA = "scoring"


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("posting_time_known", sa.Boolean, nullable=False, server_default=sa.true()),
        schema=SCHEMA,
    )
    op.add_column("documents", sa.Column("not_directive", sa.Boolean), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("documents", "not_directive", schema=SCHEMA)
    op.drop_column("documents", "posting_time_known", schema=SCHEMA)
