"""Deliver one outbox row to LINE, exactly once from the users' point of view.

Every attempt of a push or multicast carries the row's fixed `X-Line-Retry-Key`, so a retry after a
timeout or a 5xx can never make LINE deliver twice (LINE answers 409, which we count as delivered).
A reply whose token is spent or expired becomes a push. 429, 5xx and timeouts back off exponentially;
LINE forgets retry keys after 24 hours, so we stop retrying before that rather than risk a duplicate.

Replies cannot carry a retry key. When a reply's outcome is unknown (LINE did not answer in time, or
the process died during the call) we do not send the answer again as a push: the owner may already
have it, and a doubled answer in a chat is worse than asking them to say it again. Every other outcome
is certain and handled: a refused token becomes a push.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from otopbot.db import Database, UTCDateTime, utcnow
from otopbot.errors import LineApiError, LineOutcomeUnknown, LineRejected, LineRetryable
from otopbot.line.client import LineClient, is_content_refusal, refusal_reason
from otopbot.line.render import render
from otopbot.models import OutboxKind, OutboxMessage, OutboxStatus
from otopbot.replies import reply_from_dict
from otopbot.services import privacy

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)
REPLY_WINDOW = timedelta(seconds=50)
GIVE_UP_AFTER = timedelta(hours=23)
MAX_BACKOFF_SECONDS = 300


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, 2 ** max(0, attempts - 1)))


def due_ids(session: Session, now: datetime, limit: int = 200) -> list[int]:
    rows = session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .where(or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(rows)


def _claim(session: Session, outbox_id: int, now: datetime) -> bool:
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == OutboxStatus.PENDING)
        .where(OutboxMessage.next_attempt_at <= now)
        .where(or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now))
        .values(locked_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def deliver(database: Database, line: LineClient, outbox_id: int, now: datetime | None = None) -> bool:
    """Try to deliver one row if it is due and unclaimed; return True once LINE has it."""
    now = now or utcnow()
    with database.transaction() as session:
        if not _claim(session, outbox_id, now):
            return False
        row = session.get_one(OutboxMessage, outbox_id)
        session.expunge(row)
    return deliver_claimed(database, line, row, now)


class SentMarks:
    """Rows LINE has taken, recorded as sent together: one UPDATE per batch, not a transaction per answer.

    Safe because a row not yet recorded is still leased with its attempt counted: should the process
    die before `record`, the lease runs out and the next attempt finds an attempt already made, so a
    reply is recorded as sent without being sent again and a push goes again under its retry key
    (LINE answers 409). Nothing is doubled; at worst a lease's wait before the row reads "sent".
    """

    BATCH = 20

    def __init__(self, database: Database) -> None:
        self.database = database
        self.waiting: dict[datetime, list[int]] = {}

    def add(self, row: OutboxMessage, now: datetime) -> None:
        self.waiting.setdefault(now, []).append(row.id)
        if sum(map(len, self.waiting.values())) >= self.BATCH:
            self.record()

    def record(self) -> None:
        """Mark every waiting row sent (one statement per send time, one commit)."""
        if not self.waiting:
            return
        with self.database.engine.begin() as connection:
            for now, ids in self.waiting.items():
                connection.execute(_sent_statement(), {"ids": ids, "now": now})
        self.waiting.clear()


@cache
def _sent_statement() -> Any:
    return (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(bindparam("ids", expanding=True)))
        .values(status=OutboxStatus.SENT, locked_until=None, last_error=None, sent_at=bindparam("now", UTCDateTime()))
    )


def deliver_claimed(
    database: Database, line: LineClient, row: OutboxMessage, now: datetime, *, sent: SentMarks | None = None
) -> bool:
    """Send a row this process has claimed (lease taken, attempt counted); True once LINE has it.

    `events.answer_event` writes an answer's row already claimed and calls this right after its
    commit, so a fresh answer costs no claim and no re-read. With `sent`, a plain success is recorded
    with its batch (a row to be scrubbed once sent is still recorded at once).
    """
    try:
        _send(database, line, row, now)
    except ReplyOutcomeUnknown as unknown:
        _mark(database, row, OutboxStatus.SENT, now, str(unknown))
        log.warning("outbox %s: %s; not sent again", row.id, unknown)
        return False
    except LineRetryable as error:
        _retry_later(database, row, now, error)
        return False
    except LineRejected as error:
        reason = refusal_reason(error.body)
        _mark(database, row, OutboxStatus.FAILED, now, f"rejected {error.status}: {reason}")
        log.warning("outbox %s rejected by LINE with %s: %s", row.id, error.status, reason)
        return False
    if sent is not None and not row.forget_after_send:
        sent.add(row, now)
    else:
        _mark(database, row, OutboxStatus.SENT, now, None)
    return True


class ReplyOutcomeUnknown(Exception):
    """A reply may have reached the user; see the module docstring for why it is not resent."""


def _send(database: Database, line: LineClient, row: OutboxMessage, now: datetime) -> None:
    if row.kind == OutboxKind.RICHMENU:
        _switch_menu(database, line, row)
        return
    messages = render([reply_from_dict(p) for p in row.payload])
    if row.kind == OutboxKind.REPLY and row.reply_token:
        if row.attempts > 1:
            raise ReplyOutcomeUnknown("an earlier reply attempt was interrupted")
        if now - row.created_at < REPLY_WINDOW:
            try:
                line.reply(row.reply_token, messages)
                return
            except LineOutcomeUnknown:
                raise ReplyOutcomeUnknown("LINE did not answer the reply in time") from None
            except LineApiError as error:
                if isinstance(error, LineRejected) and is_content_refusal(error.body):
                    raise  # the messages themselves were refused: a push would be refused too
                log.info("reply for outbox %s refused (%s); falling back to push", row.id, error.status)
        _turn_into_push(database, row)
    if row.kind == OutboxKind.MULTICAST:
        line.multicast(list(row.recipients), messages, row.retry_key)
    else:
        line.push(row.recipients[0], messages, row.retry_key)


def _switch_menu(database: Database, line: LineClient, row: OutboxMessage) -> None:
    """Link the stage's menu (or unlink, back to the default); nothing when it was never deployed."""
    from otopbot.services import menus

    stage = str(row.payload[0].get("stage"))
    if stage == menus.NEWCOMER:
        line.unlink_rich_menu(row.recipients[0])
        return
    with database.transaction() as session:
        menu_id = menus.menu_id(session, stage)
    if menu_id is not None:
        line.link_rich_menu(row.recipients[0], menu_id)


def _turn_into_push(database: Database, row: OutboxMessage) -> None:
    """A spent or expired reply token cannot be retried; the answer goes by push instead."""
    with database.transaction() as session:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id == row.id).values(kind=OutboxKind.PUSH, reply_token=None)
        )
    row.kind, row.reply_token = OutboxKind.PUSH, None


def _retry_later(database: Database, row: OutboxMessage, now: datetime, error: LineRetryable) -> None:
    if now - row.created_at > GIVE_UP_AFTER:
        _mark(database, row, OutboxStatus.FAILED, now, f"gave up after {row.attempts} attempts")
        log.error("outbox %s abandoned after %s attempts", row.id, row.attempts)
        return
    with database.transaction() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id)
            .values(
                locked_until=None, next_attempt_at=now + backoff(row.attempts), last_error=f"retryable {error.status}"
            )
        )
    log.info("outbox %s will be retried (LINE %s, attempt %s)", row.id, error.status, row.attempts)


def _mark(database: Database, row: OutboxMessage, status: OutboxStatus, now: datetime, error: str | None) -> None:
    """Record the outcome in one statement; a sent message flagged `forget_after_send` is scrubbed with it."""
    values: dict[str, object] = {"status": status, "locked_until": None, "last_error": error}
    if status == OutboxStatus.SENT:
        values["sent_at"] = now
        if row.forget_after_send:
            values.update(privacy.forgotten_message(now))
    with database.engine.begin() as connection:
        connection.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values))
