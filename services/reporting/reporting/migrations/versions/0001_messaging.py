"""Outbox, inbox and dead letters.

Revision ID: 0001
Revises:
"""

from minhbach.db.migrations import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "reporting"


def upgrade() -> None:
    create_messaging_tables(SCHEMA)


def downgrade() -> None:
    drop_messaging_tables(SCHEMA)
