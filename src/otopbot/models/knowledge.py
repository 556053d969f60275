"""Standards knowledge entries, and the questions the bot passed to staff."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from otopbot.db import Base, UTCDateTime, utcnow


class KnowledgeEntry(Base):
    __tablename__ = "knowledge_entries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title_th: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer_th: Mapped[str] = mapped_column(Text)
    answer_en: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    related: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(Text)  # provenance for staff, never shown to owners
    checked_on: Mapped[date] = mapped_column(Date)
    # short answers per kind of question: [{id, label_th, label_en, questions, answer_th, answer_en, products}]
    facets: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    # official pages shown to owners: [{name_th, name_en, url}]
    sources: Mapped[list[dict[str, str]] | None] = mapped_column(JSON, nullable=True)
    label: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)  # {th, en} quick-reply label
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QuestionKind(StrEnum):
    UNANSWERED = "unanswered"  # the bot had no confident answer
    CONTACT = "contact"  # the user asked to talk to staff
    ANSWERED_BY_BOT = "answered_by_bot"  # anonymous tally: which entry answered, never who asked or what


class QuestionStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class Question(Base):
    """A question or contact request for staff; the answer is pushed to the user through the outbox."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("line_users.id", ondelete="SET NULL"), index=True)
    text: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8), default="th")
    best_entry_id: Mapped[str | None] = mapped_column(String(64))
    best_score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default=QuestionStatus.OPEN, index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
