"""Drafts announced by reporting, waiting to be e-mailed with their .docx attached.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "notifier"
TZ_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "draft_mails",
        sa.Column("draft_id", sa.Uuid, primary_key=True),
        sa.Column("event", JSONB, nullable=False),  # the reporting.draft.ready event
        sa.Column("state", sa.String(20), nullable=False, server_default="waiting"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("last_error", sa.Text),
        sa.Column("received_at", TZ_TIME, nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_draft_mails_waiting",
        "draft_mails",
        ["received_at"],
        schema=SCHEMA,
        postgresql_where=sa.text("state = 'waiting'"),
    )


def downgrade() -> None:
    op.drop_table("draft_mails", schema=SCHEMA)
