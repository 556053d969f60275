"""conversation memory: what a user asked for last (workshop search, greeting day); registration district

Kept apart from the form's slots so that a form starting or ending does not wipe it, and in the
database so that any web process or worker can answer a follow-up ("แล้วที่ขอนแก่นล่ะ").

The district (อำเภอ) an owner mentions while registering ("…อ.สันกำแพง เชียงใหม่") is kept too,
in `registrations.district` (nullable: it is never asked for, only kept when given).

Revision ID: conv1
Revises: privacy1
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "conv1"
down_revision = "loop1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("memory", sa.JSON(), nullable=True))
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("district", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("district")
    with op.batch_alter_table("conversation_states", schema=None) as batch_op:
        batch_op.drop_column("memory")
