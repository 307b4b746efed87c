"""Portal state, validators, sections, documents, postings, probes.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = "portal_monitor"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "portal_state",
        sa.Column("unit_code", sa.String(64), primary_key=True),
        sa.Column("portal_url", sa.Text, nullable=False),
        sa.Column("next_probe_at", TS, nullable=False),
        sa.Column("leased_until", TS),
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_probe_at", TS),
        sa.Column("last_outcome", sa.String(20)),
        sa.Column("home_links", JSONB),
        sa.Column("latency_ms", sa.Float),
        schema=SCHEMA,
    )
    op.create_index("ix_portal_state_due", "portal_state", ["next_probe_at"], schema=SCHEMA)
    op.create_table(
        "http_validators",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("updated_at", TS, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "section_state",
        sa.Column("unit_code", sa.String(64), primary_key=True),
        sa.Column("section", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("item_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("newest_on", sa.Date),
        sa.Column("http_status", sa.Integer),
        sa.Column("links", JSONB),
        sa.Column("directive_items", JSONB),
        sa.Column("page_problems", JSONB),
        sa.Column("updated_at", TS, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "documents",
        sa.Column("document_id", sa.Uuid, primary_key=True),
        sa.Column("canonical_url", sa.Text, nullable=False, unique=True),
        sa.Column("fingerprint", sa.Text),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("section", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("matched_rule", sa.String(64)),
        sa.Column("document_number", sa.String(80)),
        sa.Column("issued_on", sa.Date),
        sa.Column("issuer", sa.Text),
        sa.Column("summary", sa.Text),
        sa.Column("attachment_url", sa.Text),
        sa.Column("first_seen_at", TS, nullable=False),
        sa.Column("first_unit_code", sa.String(64), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_documents_fingerprint", "documents", ["fingerprint"], schema=SCHEMA)
    op.create_table(
        "postings",
        sa.Column(
            "document_id",
            sa.Uuid,
            sa.ForeignKey(f"{SCHEMA}.documents.document_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("unit_code", sa.String(64), primary_key=True),
        sa.Column("section", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("first_seen_at", TS, nullable=False),
        sa.Column("publication_due_at", TS),
        sa.Column("posted_on_time", sa.Boolean),
        sa.Column("not_directive", sa.Boolean),
        schema=SCHEMA,
    )
    op.create_index("ix_postings_unit", "postings", ["unit_code"], schema=SCHEMA)
    op.create_table(
        "probes",
        sa.Column("probe_id", sa.Uuid, primary_key=True),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("latency_ms", sa.Float),
        sa.Column("tls_days_left", sa.Integer),
        sa.Column("checks", JSONB, nullable=False),
        sa.Column("pages_fetched", sa.Integer, nullable=False, server_default="0"),
        sa.Column("pages_not_modified", sa.Integer, nullable=False, server_default="0"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_probes_unit_finished", "probes", ["unit_code", "finished_at"], schema=SCHEMA
    )


def downgrade() -> None:
    for table in ("probes", "postings", "documents", "section_state", "http_validators"):
        op.drop_table(table, schema=SCHEMA)
    op.drop_table("portal_state", schema=SCHEMA)
