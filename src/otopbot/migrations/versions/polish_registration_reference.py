"""registration reference number

A short number (R-7K3Q) an owner can quote to staff; existing registrations get one here.

Revision ID: polish1
Revises: 0001
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "polish1"
down_revision = "0001"
branch_labels = None
depends_on = None

# the same alphabet as otopbot.services.registrations.REFERENCE_ALPHABET (a migration stays frozen)
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def _backfill() -> None:
    connection = op.get_bind()
    table = sa.table(
        "registrations",
        sa.column("id", sa.Integer),
        sa.column("reference", sa.String),
        sa.column("erased_at", sa.DateTime),
    )
    used: set[str] = set()
    for (row_id,) in connection.execute(sa.select(table.c.id).where(table.c.erased_at.is_(None))).all():
        reference = ""
        while not reference or reference in used:
            reference = "R-" + "".join(secrets.choice(ALPHABET) for _ in range(4))
        used.add(reference)
        connection.execute(sa.update(table).where(table.c.id == row_id).values(reference=reference))


def upgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=16), nullable=True))
    _backfill()
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registrations_reference"), ["reference"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registrations_reference"))
        batch_op.drop_column("reference")
