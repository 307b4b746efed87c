"""A document row per posting: (document id, portal), not the document id alone.

Portal-monitor gives a district document and the communes' copies one document id (issue 12);
keyed by that id alone, the newest posting replaced the others, so a commune whose copy has no
full text vanished from the inspection notice once another portal's copy was seen.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "reporting"


def upgrade() -> None:
    op.drop_constraint("documents_pkey", "documents", schema=SCHEMA, type_="primary")
    op.create_primary_key(
        "documents_pkey", "documents", ["document_id", "portal_unit_code"], schema=SCHEMA
    )


def downgrade() -> None:
    op.execute(
        f"DELETE FROM {SCHEMA}.documents d USING {SCHEMA}.documents newer "
        "WHERE newer.document_id = d.document_id AND newer.event_at > d.event_at"
    )
    op.drop_constraint("documents_pkey", "documents", schema=SCHEMA, type_="primary")
    op.create_primary_key("documents_pkey", "documents", ["document_id"], schema=SCHEMA)
