"""Whether a document's own page was read (issue 19): a page not read yet (the probe's budget
ran out, or the page did not answer) is read on a later probe instead of its fields being
taken as established; postings found by their URL, so a repost's page is read once.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "portal_monitor"


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("detail_pending", sa.Boolean, nullable=False, server_default=sa.false()),
        schema=SCHEMA,
    )
    op.create_index("ix_postings_url", "postings", ["url"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_index("ix_postings_url", "postings", schema=SCHEMA)
    op.drop_column("documents", "detail_pending", schema=SCHEMA)
