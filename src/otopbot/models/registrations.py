"""An enterprise's registration of interest, awaiting DIP's selection."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from otopbot.db import Base, UTCDateTime, utcnow


class RegistrationStatus(StrEnum):
    PENDING = "pending"
    SELECTED = "selected"
    DECLINED = "declined"


class EnterpriseType(StrEnum):
    COMMUNITY_ENTERPRISE = "community_enterprise"
    SME = "sme"
    INDIVIDUAL = "individual"


class Registration(Base):
    """Personal fields are nulled (and user_id unlinked) when the owner deletes their data."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("line_users.id", ondelete="SET NULL"), unique=True, index=True
    )
    # short number the owner quotes to staff (R-7K3Q); see services.registrations.new_reference
    reference: Mapped[str | None] = mapped_column(String(16), unique=True, index=True)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_type: Mapped[str] = mapped_column(String(32))
    ce_number: Mapped[str | None] = mapped_column(String(64))
    province: Mapped[str] = mapped_column(String(64), index=True)
    region: Mapped[str] = mapped_column(String(32), index=True)
    category: Mapped[str] = mapped_column(String(16), index=True)
    products: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    help_wanted: Mapped[str] = mapped_column(String(200), default="")  # comma-separated codes
    language: Mapped[str] = mapped_column(String(8), default="th")
    status: Mapped[str] = mapped_column(String(16), default=RegistrationStatus.PENDING, index=True)
    status_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
