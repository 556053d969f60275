"""Queue messages for LINE users in the caller's transaction; the worker delivers them.

Writing to the outbox in the same transaction as the change that causes the message means a
message is never lost (nor sent for a change that was rolled back).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from otopbot.db import utcnow
from otopbot.models import LineUser, OutboxKind, OutboxMessage
from otopbot.replies import Reply, to_dict

MAX_MESSAGES_PER_CALL = 5
MAX_MULTICAST_RECIPIENTS = 500


def _payload(replies: Sequence[Reply]) -> list[dict[str, object]]:
    if not 1 <= len(replies) <= MAX_MESSAGES_PER_CALL:
        raise ValueError(f"a LINE call carries 1 to {MAX_MESSAGES_PER_CALL} messages, got {len(replies)}")
    return [to_dict(r) for r in replies]


def push(db: Session, user: LineUser, replies: Sequence[Reply], *, at: datetime | None = None) -> OutboxMessage | None:
    """Queue a push to one user; returns None (and queues nothing) if they no longer follow us."""
    if not user.following:
        return None
    row = OutboxMessage(
        kind=OutboxKind.PUSH,
        recipients=[user.line_user_id],
        payload=_payload(replies),
        language=user.language,
        retry_key=str(uuid.uuid4()),
        next_attempt_at=at or utcnow(),
    )
    db.add(row)
    return row


def reply(db: Session, user_line_id: str, reply_token: str, replies: Sequence[Reply], language: str) -> OutboxMessage:
    """Queue an answer to an event; it goes by reply token, or by push if the token is spent."""
    row = OutboxMessage(
        kind=OutboxKind.REPLY,
        recipients=[user_line_id],
        payload=_payload(replies),
        language=language,
        reply_token=reply_token,
        retry_key=str(uuid.uuid4()),
    )
    db.add(row)
    return row


def farewell(
    db: Session, line_user_id: str, reply_token: str | None, replies: Sequence[Reply], language: str
) -> OutboxMessage:
    """The answer to someone who has just erased their data (their user row no longer has this id).

    It goes by reply when the token is fresh, else by push, and is scrubbed once delivered.
    """
    row = OutboxMessage(
        kind=OutboxKind.REPLY if reply_token else OutboxKind.PUSH,
        recipients=[line_user_id],
        payload=_payload(replies),
        language=language,
        reply_token=reply_token,
        retry_key=str(uuid.uuid4()),
        forget_after_send=True,
    )
    db.add(row)
    return row


def multicast(
    db: Session,
    line_user_ids: Sequence[str],
    replies: Sequence[Reply],
    *,
    language: str,
    broadcast_id: int | None = None,
) -> list[OutboxMessage]:
    """Queue one multicast per 500 recipients, each with its own retry key."""
    payload = _payload(replies)
    rows = []
    for start in range(0, len(line_user_ids), MAX_MULTICAST_RECIPIENTS):
        chunk = list(line_user_ids[start : start + MAX_MULTICAST_RECIPIENTS])
        row = OutboxMessage(
            kind=OutboxKind.MULTICAST,
            recipients=chunk,
            payload=payload,
            language=language,
            retry_key=str(uuid.uuid4()),
            broadcast_id=broadcast_id,
        )
        db.add(row)
        rows.append(row)
    return rows
