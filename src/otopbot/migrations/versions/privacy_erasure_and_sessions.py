"""erasure that erases, retention, sessions that end

Revision ID: privacy1
Revises: 0001

- staff_accounts.session_generation: bumped on sign-out (and password change or disable), so a
  session cookie issued before it no longer opens the console;
- inbound_events.scrubbed_at / outbox_messages.scrubbed_at: when the personal content of the row
  was removed (erasure or retention), so the retention sweep does not redo its work;
- outbox_messages.forget_after_send: the erasure confirmation is sent to a user who no longer
  exists in line_users; its recipient and body are scrubbed as soon as it is delivered.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import otopbot.db

revision = "privacy1"
down_revision = "polish1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("inbound_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scrubbed_at", otopbot.db.UTCDateTime(), nullable=True))
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scrubbed_at", otopbot.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("forget_after_send", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("forget_after_send")
        batch_op.drop_column("scrubbed_at")
    with op.batch_alter_table("inbound_events", schema=None) as batch_op:
        batch_op.drop_column("scrubbed_at")
    with op.batch_alter_table("staff_accounts", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
