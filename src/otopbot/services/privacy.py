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
`Settings.retention_days` are scrubbed the same way. People who never consented (they asked the bot
something, or asked for staff, but never registered) are answered without being enrolled, so nothing
of theirs outlives that period either: their questions and contact requests lose text, phone and
answer once the last thing that happened to them is older than the period, and once they have left
(unfollowed) and been silent as long, their LINE id gives way to a tombstone. Conversation state
(form slots, the last search) idle that long is deleted for everyone: forms expire after a day anyway.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Text, cast, delete, func, select, update
from sqlalchemy.orm import Session

from otopbot.models import (
    AuditEntry,
    ConversationState,
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
UNLINK_BATCH = 100  # departed users tombstoned per sweep (each scans the outbox for their id)
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


def scrub_events_of(db: Session, line_user_id: str, now: datetime, *, finished_only: bool = False) -> int:
    """The person's stored webhooks, except those not yet processed (they are answered first).

    Erasure also scrubs the event being processed (the request to erase); `finished_only` leaves any
    event still being processed alone, for a sweep that runs beside the worker.
    """
    waiting = [InboundStatus.PENDING, InboundStatus.PROCESSING] if finished_only else [InboundStatus.PENDING]
    events = db.scalars(
        select(InboundEvent).where(
            InboundEvent.scrubbed_at.is_(None),
            InboundEvent.status.not_in(waiting),
            _mentioning(InboundEvent.payload, line_user_id),
        )
    ).all()
    return _scrub_events(db, events, now)


def scrub_messages_to(db: Session, line_user_id: str, stand_in: str, now: datetime) -> None:
    """Messages to the person: delivered ones lose body and recipient, waiting ones are dropped.

    In a broadcast batch the person is only one recipient among many: a sent batch keeps its count
    (the id becomes the tombstone), a waiting batch leaves them out.
    """
    rows = db.scalars(
        select(OutboxMessage).where(
            OutboxMessage.scrubbed_at.is_(None), _mentioning(OutboxMessage.recipients, line_user_id)
        )
    ).all()
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
    _forget_question_ids(db, ids)
    return ids


def _forget_question_ids(db: Session, ids: Sequence[int]) -> None:
    if ids:
        db.execute(
            update(Question)
            .where(Question.id.in_(ids), Question.status == QuestionStatus.OPEN)
            .values(status=QuestionStatus.CLOSED)
            .execution_options(synchronize_session=False)
        )
        db.execute(
            update(Question)
            .where(Question.id.in_(ids))
            .values(user_id=None, text=None, phone=None, answer=None)
            .execution_options(synchronize_session=False)
        )


def forget_staff_notes(db: Session, registration_id: int | None, question_ids: Sequence[int]) -> None:
    """Staff decision notes and answers quoted in the audit log: who did what stays, the words go."""
    targets = [f"question:{qid}" for qid in question_ids]
    if registration_id is not None:
        targets.append(f"registration:{registration_id}")
    if targets:
        db.execute(
            update(AuditEntry)
            .where(AuditEntry.target.in_(targets))
            .values(detail="")
            .execution_options(synchronize_session=False)
        )


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


def _never_consented() -> Any:
    """Ids of people who never gave the privacy consent (erased people have none either: nothing left)."""
    return select(LineUser.id).where(LineUser.consent_at.is_(None))


def forget_unconsented_questions(db: Session, cutoff: datetime) -> int:
    """Questions and contact requests of people who never consented, untouched since `cutoff`.

    Answering someone who asks is not enrolling them: their words are kept to answer them, and no longer.
    An open one that old is closed (staff answer within a working day; a month later nobody will).
    """
    ids = list(
        db.scalars(
            select(Question.id)
            .where(
                Question.user_id.in_(_never_consented()),
                func.coalesce(Question.answered_at, Question.asked_at) < cutoff,
            )
            .order_by(Question.id)
            .limit(SCRUB_BATCH)
        )
    )
    _forget_question_ids(db, ids)
    forget_staff_notes(db, None, ids)
    return len(ids)


def unlink_departed(db: Session, cutoff: datetime, now: datetime) -> int:
    """Tombstone people who never consented, no longer follow us and have been silent since `cutoff`.

    The tombstone is a conditional UPDATE: someone who comes back while this runs keeps their row.
    """
    candidates = db.execute(
        select(LineUser.id, LineUser.line_user_id)
        .where(
            LineUser.consent_at.is_(None),
            LineUser.following.is_(False),
            LineUser.last_seen_at < cutoff,
            ~LineUser.line_user_id.startswith(TOMBSTONE_PREFIX, autoescape=True),
        )
        .order_by(LineUser.id)
        .limit(UNLINK_BATCH)
    ).all()
    unlinked = 0
    for user_id, line_user_id in candidates:
        stand_in = tombstone()
        gone = db.execute(
            update(LineUser)
            .where(
                LineUser.id == user_id,
                LineUser.line_user_id == line_user_id,
                LineUser.following.is_(False),
                LineUser.last_seen_at < cutoff,
                LineUser.consent_at.is_(None),
            )
            .values(line_user_id=stand_in)
            .execution_options(synchronize_session=False)
        )
        if gone.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
            continue
        scrub_events_of(db, line_user_id, now, finished_only=True)
        scrub_messages_to(db, line_user_id, stand_in, now)
        unlinked += 1
    return unlinked


def drop_idle_states(db: Session, cutoff: datetime) -> int:
    """Conversation state idle since `cutoff`: slots of a form left half-way (a typed request, a phone)."""
    dropped = db.execute(
        delete(ConversationState)
        .where(ConversationState.updated_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return int(dropped.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Purged:
    """What one retention sweep did; its text is what the worker logs and `otopbot purge` prints."""

    events: int
    messages: int
    questions: int = 0
    users: int = 0
    states: int = 0

    def __add__(self, other: Purged) -> Purged:
        return Purged(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def __str__(self) -> str:
        return (
            f"scrubbed {self.events} webhook events and {self.messages} messages; of people who never "
            f"consented, forgot {self.questions} questions and {self.users} LINE ids; "
            f"cleared {self.states} idle conversations"
        )


def purge_expired(db: Session, now: datetime, retention_days: int) -> Purged:
    """Scrub processed webhooks and delivered one-to-one messages older than the retention period, and
    whatever people who never consented left (questions, their LINE id once departed), and idle states.

    Events not yet processed are never touched: they are answered first, then scrubbed by a later sweep.
    """
    cutoff = now - timedelta(days=retention_days)
    events = db.scalars(
        select(InboundEvent)
        .where(
            InboundEvent.scrubbed_at.is_(None),
            InboundEvent.received_at < cutoff,
            InboundEvent.status.in_([InboundStatus.DONE, InboundStatus.FAILED]),
        )
        .order_by(InboundEvent.id)
        .limit(SCRUB_BATCH)
    ).all()
    scrubbed_events = _scrub_events(db, events, now)
    messages = db.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.scrubbed_at.is_(None),
            OutboxMessage.created_at < cutoff,
            OutboxMessage.kind.in_([OutboxKind.REPLY, OutboxKind.PUSH]),
            OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
        )
        .order_by(OutboxMessage.id)
        .limit(SCRUB_BATCH)
    ).all()
    if messages:
        db.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(messages))
            .values(recipients=[], payload=[], reply_token=None, scrubbed_at=now)
            .execution_options(synchronize_session=False)
        )
    return Purged(
        scrubbed_events,
        len(messages),
        forget_unconsented_questions(db, cutoff),
        unlink_departed(db, cutoff, now),
        drop_idle_states(db, cutoff),
    )


def forgotten_message(now: datetime) -> dict[str, Any]:
    """The columns of a delivered message flagged `forget_after_send`: no recipient and no body are kept."""
    return {"recipients": [], "payload": [], "reply_token": None, "scrubbed_at": now}
