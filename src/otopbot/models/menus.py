"""Which LINE rich menu stands for which stage of an owner's journey (written by `richmenu deploy`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from otopbot.db import Base, UTCDateTime, utcnow


class RichMenuStage(Base):
    """`newcomer` is LINE's default menu; `registered` is linked to each registered owner."""

    __tablename__ = "rich_menus"

    stage: Mapped[str] = mapped_column(String(16), primary_key=True)
    menu_id: Mapped[str] = mapped_column(String(64))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
