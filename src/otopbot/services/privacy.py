"""Forgetting a person, and forgetting old traffic: the parts of erasure and retention outside the
registration itself.

When an owner erases their data (`services.my_data.erase`) everything that could lead back to them
goes in the same transaction: the raw webhooks they sent (reduced to type and time), the recipients
and bodies of the messages we sent them, the texts of their questions and the staff answers and
notes about them, and finally their LINE user id, replaced by a random tombstone so the anonymous
`line_users` row still counts in statistics but links to nobody.

Messages still waiting to go to them are dropped, except the erasure confirmation itself, which is
queued after this runs (addressed from the event, not from the tombstoned row) with
`forget_after_send`, so the delivery scrubs it as soon as LINE has it.

Retention (`purge_expired`, run by the worker and by `otopbot purge`): payloads of processed
webhook events and the bodies and recipients of delivered one-to-one messages older than
`Settings.retention_days` are scrubbed the same way.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Text, cast, select, update
from sqlalchemy.orm import Session

from otopbot.models import (
    AuditEntry,
    InboundEvent,
    InboundStatus,
    LineUser,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Question,
    QuestionStatus,
)

TOMBSTONE_PREFIX = "erased:"
SCRUB_BATCH = 500
# what delivery bookkeeping and anonymous counts still need from a raw webhook event
KEPT_EVENT_KEYS = ("type", "timestamp", "mode")


def tombstone() -> str:
    """A random stand-in for an erased LINE user id: unique (the column is), and linked to nothing."""
    return TOMBSTONE_PREFIX + secrets.token_hex(16)


def is_tombstone(line_user_id: str) -> bool:
    return line_user_id.startswith(TOMBSTONE_PREFIX)


def scrubbed_event(payload: dict[str, Any]) -> dict[str, Any]:
    """A webhook event without user id, reply token or message: only its type and time."""
    return {key: payload[key] for key in KEPT_EVENT_KEYS if key in payload} | {"scrubbed": True}


def _mentioning(column: Any, line_user_id: str) -> Any:
    """Rows whose JSON column contains the id (text search works the same on SQLite and PostgreSQL)."""
    return cast(column, Text).contains(line_user_id, autoescape=True)


def _scrub_events(db: Session, events: Sequence[InboundEvent], now: datetime) -> int:
    for event in events:
        event.payload = scrubbed_event(event.payload)
        event.last_error = None
        event.scrubbed_at = now
    db.flush()
    return len(events)


def scrub_events_of(db: Session, line_user_id: str, now: datetime) -> int:
    """The person's stored webhooks, except those not yet processed (they are answered first)."""
    events = db.scalars(select(InboundEvent).where(
        InboundEvent.scrubbed_at.is_(None), InboundEvent.status != InboundStatus.PENDING,
        _mentioning(InboundEvent.payload, line_user_id))).all()
    return _scrub_events(db, events, now)


def scrub_messages_to(db: Session, line_user_id: str, stand_in: str, now: datetime) -> None:
    """Messages to the person: delivered ones lose body and recipient, waiting ones are dropped.

    In a broadcast batch the person is only one recipient among many: a sent batch keeps its count
    (the id becomes the tombstone), a waiting batch leaves them out.
    """
    rows = db.scalars(select(OutboxMessage).where(
        OutboxMessage.scrubbed_at.is_(None), _mentioning(OutboxMessage.recipients, line_user_id))).all()
    for row in rows:
        if line_user_id not in row.recipients:
            continue
        waiting = row.status == OutboxStatus.PENDING
        if row.kind == OutboxKind.MULTICAST:
            others = [r for r in row.recipients if r != line_user_id]
            row.recipients = others if waiting else others + [stand_in]
            if waiting and not others:
                db.delete(row)
        elif waiting and row.kind == OutboxKind.RICHMENU:
            row.forget_after_send = True  # putting back the newcomers' menu must still happen
        elif waiting:
            db.delete(row)
        else:
            _forget_body(row, now)
    db.flush()


def _forget_body(row: OutboxMessage, now: datetime) -> None:
    row.recipients, row.payload, row.reply_token, row.scrubbed_at = [], [], None, now


def forget_questions(db: Session, user: LineUser, now: datetime) -> list[int]:
    """Their questions keep kind, status, topic and time (counts); texts, answers and phone go."""
    ids = list(db.scalars(select(Question.id).where(Question.user_id == user.id)))
    if ids:
        db.execute(update(Question).where(Question.id.in_(ids), Question.status == QuestionStatus.OPEN)
                   .values(status=QuestionStatus.CLOSED).execution_options(synchronize_session=False))
        db.execute(update(Question).where(Question.id.in_(ids))
                   .values(user_id=None, text=None, phone=None, answer=None)
                   .execution_options(synchronize_session=False))
    return ids


def forget_staff_notes(db: Session, registration_id: int | None, question_ids: Sequence[int]) -> None:
    """Staff decision notes and answers quoted in the audit log: who did what stays, the words go."""
    targets = [f"question:{qid}" for qid in question_ids]
    if registration_id is not None:
        targets.append(f"registration:{registration_id}")
    if targets:
        db.execute(update(AuditEntry).where(AuditEntry.target.in_(targets)).values(detail="")
                   .execution_options(synchronize_session=False))


def unlink(db: Session, user: LineUser, now: datetime) -> str:
    """Scrub their traffic, then replace their LINE id by a tombstone; returns the id it had."""
    line_user_id = user.line_user_id
    stand_in = tombstone()
    scrub_events_of(db, line_user_id, now)
    scrub_messages_to(db, line_user_id, stand_in, now)
    user.line_user_id = stand_in
    user.following = False  # never a broadcast recipient: LINE would refuse the whole batch
    db.flush()
    return line_user_id


@dataclass(frozen=True, slots=True)
class Purged:
    events: int
    messages: int


def purge_expired(db: Session, now: datetime, retention_days: int) -> Purged:
    """Scrub processed webhooks and delivered one-to-one messages older than the retention period."""
    cutoff = now - timedelta(days=retention_days)
    events = db.scalars(select(InboundEvent).where(
        InboundEvent.scrubbed_at.is_(None), InboundEvent.received_at < cutoff,
        InboundEvent.status.in_([InboundStatus.DONE, InboundStatus.FAILED]),
    ).order_by(InboundEvent.id).limit(SCRUB_BATCH)).all()
    scrubbed_events = _scrub_events(db, events, now)
    messages = db.scalars(select(OutboxMessage.id).where(
        OutboxMessage.scrubbed_at.is_(None), OutboxMessage.created_at < cutoff,
        OutboxMessage.kind.in_([OutboxKind.REPLY, OutboxKind.PUSH]),
        OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
    ).order_by(OutboxMessage.id).limit(SCRUB_BATCH)).all()
    if messages:
        db.execute(update(OutboxMessage).where(OutboxMessage.id.in_(messages)).values(
            recipients=[], payload=[], reply_token=None, scrubbed_at=now).execution_options(synchronize_session=False))
    return Purged(scrubbed_events, len(messages))


def forgotten_message(now: datetime) -> dict[str, Any]:
    """The columns of a delivered message flagged `forget_after_send`: no recipient and no body are kept."""
    return {"recipients": [], "payload": [], "reply_token": None, "scrubbed_at": now}

