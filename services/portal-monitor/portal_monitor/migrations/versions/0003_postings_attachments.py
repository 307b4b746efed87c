"""Each posting keeps its own attachment; attachments checked once; monitoring start per portal;
the document's type apart from its kind (issue 12).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "portal_monitor"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("portal_state", sa.Column("monitoring_since", TS), schema=SCHEMA)
    op.add_column("documents", sa.Column("document_type", sa.String(64)), schema=SCHEMA)
    op.add_column("documents", sa.Column("document_type_rule", sa.String(80)), schema=SCHEMA)
    op.add_column("documents", sa.Column("legal_normative", sa.Boolean), schema=SCHEMA)
    op.add_column("postings", sa.Column("attachment_url", sa.Text), schema=SCHEMA)
    op.add_column(
        "postings",
        sa.Column("posting_time_known", sa.Boolean, nullable=False, server_default=sa.true()),
        schema=SCHEMA,
    )
    op.create_index("ix_postings_attachment", "postings", ["attachment_url"], schema=SCHEMA)
    op.create_table(
        "attachments",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("http_status", sa.Integer),
        sa.Column("content_type", sa.Text),
        sa.Column("size_bytes", sa.BigInteger),
        sa.Column("sha256", sa.String(64)),
        sa.Column("checked_at", TS, nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("attachments", schema=SCHEMA)
    op.drop_index("ix_postings_attachment", "postings", schema=SCHEMA)
    for table, column in (
        ("postings", "posting_time_known"),
        ("postings", "attachment_url"),
        ("documents", "legal_normative"),
        ("documents", "document_type_rule"),
        ("documents", "document_type"),
        ("portal_state", "monitoring_since"),
    ):
        op.drop_column(table, column, schema=SCHEMA)
