"""`drafts.period_key` wide enough for a rule's code.

A plan may ask the focal unit for the same period under several rules (to the Chairman, to the
province's PCI focal unit); the first rule keeps the plain key ("2024-Q3"), a further rule's
drafts are keyed "2024-Q3-<rule code>" (decision 0017), and a rule code has up to 64 characters.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "reporting"


def upgrade() -> None:
    op.alter_column(
        "drafts",
        "period_key",
        type_=sa.String(80),
        existing_type=sa.String(16),
        existing_nullable=False,
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.alter_column(
        "drafts",
        "period_key",
        type_=sa.String(16),
        existing_type=sa.String(80),
        existing_nullable=False,
        schema=SCHEMA,
    )
