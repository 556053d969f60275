"""What follows a workshop: each checked-in owner's satisfaction survey and attendance certificate.

One row of each per booking, unique on `booking_id`: the worker that inserts it is the one that sends it,
so two workers (or a restarted one) ask and certify each attendee once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from otopbot.db import Base, UTCDateTime, utcnow


class SurveyStatus(StrEnum):
    ASKED = "asked"  # waiting for a 1–5 rating
    COMMENT = "comment"  # rated; an optional comment may follow
    DONE = "done"
    LEFT = "left"  # not answered after one re-ask, or the owner did not follow us any more


class SurveyResponse(Base):
    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), unique=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("line_users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=SurveyStatus.ASKED, index=True)
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    reasked: Mapped[bool] = mapped_column(Boolean, default=False)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Certificate(Base):
    """An attendance certificate: what is printed on it, kept so that `/verify/<code>` can confirm it.

    The names are personal data: erasure clears them and sets `withdrawn_at`, after which the
    verification page says the certificate was withdrawn.
    """

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), unique=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("line_users.id", ondelete="SET NULL"), index=True)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    workshop_title: Mapped[str] = mapped_column(String(200))
    workshop_date: Mapped[datetime] = mapped_column(UTCDateTime())
    language: Mapped[str] = mapped_column(String(8), default="th")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
