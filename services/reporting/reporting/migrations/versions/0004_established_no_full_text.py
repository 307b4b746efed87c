"""`documents.no_full_text`: "no full text" only when established.

A posting's file not checked yet (portal-monitor checks at most a few files a probe) or not
reached (timeouts, 5xx) was reported as "no full text" because `full_text_available` is False
for it too. The new column is true only when the absence is established: no file linked, or
the file checked and missing or not a file. Rows stored before it are unknown: false, never
accused (the next `portal.document.changed` about the file sets it).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCHEMA = "reporting"


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("no_full_text", sa.Boolean, nullable=False, server_default=sa.false()),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_column("documents", "no_full_text", schema=SCHEMA)
