"""Anonymous traces kept when a user deletes their data, so programme statistics stay true."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from otopbot.db import Base, UTCDateTime, utcnow


class ErasureRecord(Base):
    """No identifier of the person: only what the programme counts."""

    __tablename__ = "erasure_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str | None] = mapped_column(String(16))
    region: Mapped[str | None] = mapped_column(String(32))
    was_registered: Mapped[bool] = mapped_column(Boolean, default=False)
    was_selected: Mapped[bool] = mapped_column(Boolean, default=False)
    had_attended: Mapped[bool] = mapped_column(Boolean, default=False)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
