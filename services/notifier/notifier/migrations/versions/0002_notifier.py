"""Obligations, portals, silences, notices and their items.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = "notifier"
TZ_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "obligations",
        sa.Column("obligation_id", sa.String(200), primary_key=True),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("due_at", TZ_TIME, nullable=False),
        sa.Column("task_code", sa.String(20)),
        sa.Column("period", sa.String(20)),
        sa.Column("document_url", sa.Text),
        sa.Column("fulfilled_at", TZ_TIME),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("event_at", TZ_TIME, nullable=False),
        sa.Column("updated_at", TZ_TIME, nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_obligations_open",
        "obligations",
        ["due_at"],
        schema=SCHEMA,
        postgresql_where=sa.text("fulfilled_at IS NULL"),
    )
    op.create_table(
        "portals",
        sa.Column("unit_code", sa.String(64), primary_key=True),
        sa.Column("portal_url", sa.Text, nullable=False),
        sa.Column("last_probe_at", TZ_TIME, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("unreachable_since", TZ_TIME),
        sa.Column("unreachable_probes", sa.Integer, nullable=False, server_default=sa.text("0")),
        schema=SCHEMA,
    )
    op.create_table(
        "silences",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit_code", sa.String(64)),
        sa.Column("obligation_id", sa.String(200)),
        sa.Column("until", TZ_TIME, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("created_at", TZ_TIME, nullable=False, server_default=sa.func.now()),
        sa.Column("removed_at", TZ_TIME),
        sa.CheckConstraint(
            "(unit_code IS NULL) <> (obligation_id IS NULL)", name="ck_silences_one_target"
        ),
        schema=SCHEMA,
    )
    op.create_table(
        "notices",
        sa.Column("notice_key", sa.String(64), primary_key=True),
        sa.Column("recipient_unit", sa.String(64), nullable=False),
        sa.Column("recipient_email", sa.String(320), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("round_id", sa.String(40), nullable=False),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("message", sa.LargeBinary, nullable=False),
        sa.Column("state", sa.String(20), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("next_attempt_at", TZ_TIME, nullable=False, server_default=sa.func.now()),
        sa.Column("claimed_at", TZ_TIME),
        sa.Column("last_error", sa.Text),
        sa.Column("decided_at", TZ_TIME, nullable=False),
        sa.Column("sent_at", TZ_TIME),
        sa.Column("created_at", TZ_TIME, nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint(
            "state IN ('pending', 'sending', 'sent', 'dead', 'uncertain', 'cancelled')",
            name="ck_notices_state",
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_notices_queue",
        "notices",
        ["next_attempt_at"],
        schema=SCHEMA,
        postgresql_where=sa.text("state IN ('pending', 'sending')"),
    )
    op.create_index(
        "ix_notices_recipient", "notices", ["recipient_unit", "created_at"], schema=SCHEMA
    )
    op.create_table(
        "notice_items",
        sa.Column("recipient_unit", sa.String(64), primary_key=True),
        sa.Column("obligation_id", sa.String(200), primary_key=True),
        sa.Column("stage", sa.String(40), primary_key=True),
        sa.Column("repeat_no", sa.Integer, primary_key=True),
        sa.Column("generation", sa.String(64), primary_key=True),
        sa.Column("subject_unit", sa.String(64), nullable=False),
        sa.Column(
            "notice_key",
            sa.String(64),
            sa.ForeignKey(f"{SCHEMA}.notices.notice_key", ondelete="CASCADE"),
            nullable=False,
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_notice_items_notice", "notice_items", ["notice_key"], schema=SCHEMA)
    op.create_index("ix_notice_items_obligation", "notice_items", ["obligation_id"], schema=SCHEMA)


def downgrade() -> None:
    for table in ("notice_items", "notices", "silences", "portals", "obligations"):
        op.drop_table(table, schema=SCHEMA)
