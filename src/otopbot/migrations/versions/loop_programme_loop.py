"""closing the programme loop: satisfaction surveys, attendance certificates, rich menus per stage

Revision ID: loop1
Revises: polish1
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import otopbot.db

revision = "loop1"
down_revision = "privacy1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rich_menus",
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("menu_id", sa.String(length=64), nullable=False),
        sa.Column("deployed_at", otopbot.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("stage"),
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reasked", sa.Boolean(), nullable=False),
        sa.Column("asked_at", otopbot.db.UTCDateTime(), nullable=False),
        sa.Column("rated_at", otopbot.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
        ),
        sa.ForeignKeyConstraint(["user_id"], ["line_users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("booking_id"),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_responses_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_responses_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_responses_workshop_id"), ["workshop_id"], unique=False)

    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("workshop_title", sa.String(length=200), nullable=False),
        sa.Column("workshop_date", otopbot.db.UTCDateTime(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("issued_at", otopbot.db.UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", otopbot.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
        ),
        sa.ForeignKeyConstraint(["user_id"], ["line_users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("booking_id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificates_workshop_id"), ["workshop_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_user_id"))
    op.drop_table("certificates")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_responses_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_survey_responses_user_id"))
        batch_op.drop_index(batch_op.f("ix_survey_responses_status"))
    op.drop_table("survey_responses")
    op.drop_table("rich_menus")
