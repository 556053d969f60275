"""line_users.display_name dropped: the LINE display name is never stored

It was written only by early versions; the bot greets with the name from the follow event's profile and
keeps nothing it did not ask for (PDPA data minimisation, docs/privacy.md). Dropping the column also
removes any name an early version stored.

Revision ID: datacare1
Revises: answers1
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "datacare1"
down_revision = "answers1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("line_users", schema=None) as batch_op:
        batch_op.drop_column("display_name")


def downgrade() -> None:
    with op.batch_alter_table("line_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("display_name", sa.String(length=200), nullable=True))
