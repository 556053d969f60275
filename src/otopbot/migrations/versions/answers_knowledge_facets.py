"""knowledge facets: short answers per kind of question, official sources, quick-reply labels

Entries used to hold one long answer; the bot now answers the facet a question asks (need, time,
cost…) and shows official sources only. Nullable, so rows staff created keep working unchanged.

Revision ID: answers1
Revises: privacy1
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "answers1"
down_revision = "conv1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("knowledge_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("facets", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("sources", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("label", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("knowledge_entries", schema=None) as batch_op:
        batch_op.drop_column("label")
        batch_op.drop_column("sources")
        batch_op.drop_column("facets")
