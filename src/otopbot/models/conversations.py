"""Where each user is in a conversation: the form in progress and its slots, kept in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from otopbot.db import Base, UTCDateTime, utcnow


class ConversationState(Base):
    __tablename__ = "conversation_states"

    user_id: Mapped[int] = mapped_column(ForeignKey("line_users.id", ondelete="CASCADE"), primary_key=True)
    form: Mapped[str | None] = mapped_column(String(64))
    step: Mapped[str | None] = mapped_column(String(64))
    slots: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the dialogue's typed context (otopbot.dialogue.state.Context: where to go after the form, the
    # workshop being booked, multi-choice picks, an open yes/no prompt), serialised only by dialogue.state
    resume: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # outlives forms: the last workshop search (for follow-ups) and the day of the last greeting
    memory: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
