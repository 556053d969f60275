"""What crosses the LINE boundary: inbound webhook events, the outbox, and staff broadcasts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from otopbot.db import Base, UTCDateTime, utcnow


class InboundStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"  # gave up after too many attempts; kept for staff to inspect


class InboundEvent(Base):
    """One webhook event, stored before it is processed; `webhook_event_id` makes redelivery harmless."""

    __tablename__ = "inbound_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=InboundStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    scrubbed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # payload reduced to bookkeeping


class OutboxKind(StrEnum):
    REPLY = "reply"  # falls back to a push when the reply token is spent or expired
    PUSH = "push"
    MULTICAST = "multicast"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # LINE rejected it (4xx other than 409/429); retrying cannot help


class OutboxMessage(Base):
    """A message owed to LINE users, written in the same transaction as the change that causes it.

    `payload` holds neutral replies (see `otopbot.replies`), rendered to LINE JSON at send
    time; `retry_key` is fixed at creation so every attempt is the same request to LINE.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    recipients: Mapped[list[str]] = mapped_column(JSON)  # LINE user ids
    payload: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(8), default="th")
    reply_token: Mapped[str | None] = mapped_column(String(255))
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    scrubbed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # recipients and body removed
    # to someone who erased their data (the erasure confirmation): scrub as soon as LINE has it
    forget_after_send: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class BroadcastStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"


class Broadcast(Base):
    """A staff announcement to an audience; split into outbox multicasts of at most 500 users."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    payload: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id"))
    status: Mapped[str] = mapped_column(String(16), default=BroadcastStatus.DRAFT, index=True)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recipients_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
