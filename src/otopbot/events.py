"""The application core: store webhook events, then process each one: find the user, understand the
message, ask the dialogue, queue the answer in the outbox.

It speaks `Inbound` (parsed by `otopbot.line.inbound`) and `Reply`; it never sends anything itself.
The webhook stores and hands new events here, the worker retries what is left.

An event is claimed with a lease (a conditional UPDATE), so the web process that received it and
any worker can both try it and only one succeeds; a crash leaves the lease to expire and the worker
retries. The answer is queued in the outbox in the same transaction that marks the event done.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, Integer, String, bindparam, case, cast, func, or_, select, update
from sqlalchemy.orm import Session

from otopbot.clock import today_in_bangkok
from otopbot.db import Database, UTCDateTime, insert_ignoring_duplicates_statement, utcnow
from otopbot.dialogue import router
from otopbot.dialogue.turn import BotContext, Turn
from otopbot.i18n import Translator, language_for
from otopbot.line.client import LineClient, Profile
from otopbot.line.inbound import Inbound, InboundKind, to_inbound
from otopbot.models import InboundEvent, InboundStatus, LineUser, OutboxMessage
from otopbot.replies import Reply, Text
from otopbot.runtime import Runtime
from otopbot.services import outbox, owner_facts, surveys
from otopbot.wakeup import CHANNEL

SendClaimed = Callable[[Database, LineClient, OutboxMessage, datetime], object]

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)
REPLY_TOKEN_LIFE = timedelta(seconds=50)  # LINE promises one minute; keep a margin
MAX_ATTEMPTS = 5
SENDER_LOCKS = 0x07B0  # the advisory-lock namespace of "a sender being answered" (first key of two)
SENDER_PATTERN = r'"source"\s*:\s*\{[^}]*"(?:userId|groupId|roomId)"\s*:\s*"([^"]*)"'


def user_ref(line_user_id: str | None) -> str:
    """A short, stable, non-reversible tag for logs: never log the LINE user id itself."""
    return hashlib.sha256((line_user_id or "").encode()).hexdigest()[:10]


def store_events(db: Session | Connection, events: list[dict[str, Any]], *, announce: bool = False) -> list[int]:
    """Store each event once (by webhookEventId), one statement each; the ids of the newly stored ones.

    With `announce`, on PostgreSQL the same statement also wakes listening workers
    (`otopbot.wakeup`), only when something new was stored; the notification goes out at commit.
    """
    dialect = db.dialect.name if isinstance(db, Connection) else db.get_bind().dialect.name
    statement = _store_statement(dialect, announce and dialect == "postgresql")
    received = utcnow()
    new_ids = []
    for event in events:
        new_id = db.execute(
            statement,
            {"event_key": event["webhookEventId"], "kind": event["type"], "event": event, "received": received},
        ).scalar()
        if new_id is not None:
            new_ids.append(int(new_id))
    return new_ids


@cache
def _store_statement(dialect: str, announce: bool) -> Any:
    """`INSERT … ON CONFLICT DO NOTHING RETURNING id` (with its NOTIFY), built and compiled once."""
    row = {
        "webhook_event_id": bindparam("event_key", type_=String()),
        "event_type": bindparam("kind", type_=String()),
        "payload": bindparam("event", type_=InboundEvent.__table__.c.payload.type),
        "status": InboundStatus.PENDING,
        "attempts": 0,
        "received_at": bindparam("received", type_=UTCDateTime()),
    }
    statement = insert_ignoring_duplicates_statement(dialect, InboundEvent, row, "webhook_event_id")
    statement = statement.returning(InboundEvent.id)
    if not announce:
        return statement
    new = statement.cte("new_event")
    return select(new.c.id, func.pg_notify(CHANNEL, ""))


def claim(session: Session, event_id: int, now: datetime) -> tuple[dict[str, Any], bool] | None:
    """Take the event if it is free: (payload, done) when taken (one statement), else None.

    An event answered in this same transaction is marked done by the claim itself (`done` True):
    a failed answer rolls the mark back with everything else, so no separate "finish" statement is
    needed. Only a follow, whose claim commits before the profile call, takes a lease instead.

    On PostgreSQL an event another process holds is skipped at once (SKIP LOCKED), not waited for,
    and so is an event whose sender another transaction is answering (a transaction-scoped advisory
    lock on the sender, taken by the claim): one owner's messages are answered one at a time, in
    the order they are claimed, while other owners' go on in parallel. A skipped event stays due.
    """
    found = (
        session.connection()
        .execute(
            _claim_statement(session.get_bind().dialect.name),
            {"event_id": event_id, "now": now, "lease_until": now + LEASE},
        )
        .one_or_none()
    )
    if found is None or not isinstance(found[0], dict):
        return None
    return found[0], found[1] == InboundStatus.DONE


@cache
def _claim_statement(dialect: str) -> Any:
    """Built once per dialect (building it is a good part of its cost); the values are bound per call."""
    now = bindparam("now", type_=UTCDateTime())
    event_id = bindparam("event_id", type_=Integer())
    leased = InboundEvent.event_type == "follow"
    due = or_(
        InboundEvent.status == InboundStatus.PENDING,
        (InboundEvent.status == InboundStatus.PROCESSING) & (InboundEvent.locked_until < now),
    )
    statement = update(InboundEvent).where(InboundEvent.id == event_id, due)
    if dialect == "postgresql":
        # read from the payload's text, never parsed as JSON here: a hostile payload PostgreSQL's json
        # operators refuse (a lone surrogate escape) must still be claimed, answered or failed
        sender = func.coalesce(
            func.substring(cast(InboundEvent.payload, String), SENDER_PATTERN), cast(InboundEvent.id, String)
        )
        statement = statement.where(
            InboundEvent.id.in_(
                select(InboundEvent.id).where(InboundEvent.id == event_id, due).with_for_update(skip_locked=True)
            ),
            func.pg_try_advisory_xact_lock(SENDER_LOCKS, func.hashtext(sender)),
        )
    return statement.values(
        status=case((leased, InboundStatus.PROCESSING), else_=InboundStatus.DONE),
        locked_until=case((leased, bindparam("lease_until", type_=UTCDateTime())), else_=None),
        processed_at=case((leased, None), else_=now),
        attempts=InboundEvent.attempts + 1,
        last_error=None,
    ).returning(InboundEvent.payload, InboundEvent.status)


def process_event(runtime: Runtime, line: LineClient, event_id: int, now: datetime | None = None) -> list[int]:
    """Process one stored event if nobody else is; return the outbox ids of its answer (for any deliverer)."""
    return [row.id for row in _process(runtime, line, event_id, now or utcnow(), take_delivery=False)]


def answer_event(
    runtime: Runtime, line: LineClient, event_id: int, send: SendClaimed, now: datetime | None = None
) -> int:
    """Process one stored event and hand its answer straight to `send`; how many rows LINE took.

    The answer's outbox row is written already claimed for delivery (its lease taken and the attempt
    counted, as `worker.delivery.deliver` claims a row), so sending it needs neither a claim nor a
    re-read. A crash between the commit and the send leaves the row to its lease, as after any claim.
    """
    now = now or utcnow()
    return sum(
        bool(send(runtime.database, line, row, now))
        for row in _process(runtime, line, event_id, now, take_delivery=True)
    )


def _process(
    runtime: Runtime, line: LineClient, event_id: int, now: datetime, *, take_delivery: bool
) -> list[OutboxMessage]:
    """Claim, answer and outbox row share one transaction, so a plain message costs one commit; only a
    follow, whose answer needs the LINE profile, commits its claim before calling LINE (no
    transaction is held open across a network call).
    """
    inbound: Inbound | None = None
    claim_committed = False
    try:
        with runtime.database.transaction() as session:
            claimed = claim(session, event_id, now)
            if claimed is None:
                return []
            payload, done = claimed
            inbound = to_inbound(payload)
            if done or not _needs_profile(inbound):
                rows = _answer(session, runtime, inbound, None, now, take_delivery)
                if not done:
                    _finish(session, event_id, now)
                return rows
        claim_committed = True
        profile = line.profile(inbound.line_user_id) if inbound.line_user_id else None
        with runtime.database.transaction() as session:
            rows = _answer(session, runtime, inbound, profile, now, take_delivery)
            _finish(session, event_id, now)
        return rows
    except Exception as error:  # the one broad catch: keep the event for a retry, never lose it
        who = user_ref(inbound.line_user_id if inbound else None)
        log.exception("event %s failed (user %s)", event_id, who)
        return _record_failure(runtime, event_id, inbound, error, now, counted=claim_committed)


def _needs_profile(inbound: Inbound) -> bool:
    return inbound.kind == InboundKind.FOLLOW and bool(inbound.line_user_id)


def _finish(session: Session, event_id: int, now: datetime) -> None:
    session.execute(
        update(InboundEvent)
        .where(InboundEvent.id == event_id)
        .values(status=InboundStatus.DONE, processed_at=now, locked_until=None, last_error=None)
    )


def _record_failure(
    runtime: Runtime, event_id: int, inbound: Inbound | None, error: Exception, now: datetime, *, counted: bool
) -> list[OutboxMessage]:
    """Release the event for a later retry; after the last attempt, apologise to the user once.

    When the claim was rolled back with the failed answer (`counted` False), the attempt is counted here.
    """
    with runtime.database.transaction() as session:
        row = session.get_one(InboundEvent, event_id)
        if not counted:
            row.attempts += 1
        row.last_error = f"{type(error).__name__}"
        row.locked_until = now + timedelta(seconds=2 ** min(row.attempts, 8))
        if row.attempts < MAX_ATTEMPTS:
            row.status = InboundStatus.PROCESSING  # lease-based: retried when locked_until passes
            return []
        row.status = InboundStatus.FAILED
        if inbound is None:
            return []
        user = _find_user(session, inbound.line_user_id)
        if user is None or inbound.kind not in (InboundKind.TEXT, InboundKind.POSTBACK):
            return []
        t = Translator(runtime.settings.locales_dir, user.language)
        apology = Text(t("Sorry, something went wrong on our side. Please try again in a moment."))
        row_out = outbox.push(session, user, [apology])
        session.flush()
        return [row_out] if row_out else []


def _find_user(session: Session, line_user_id: str | None) -> LineUser | None:
    if not line_user_id:
        return None
    return session.scalar(select(LineUser).where(LineUser.line_user_id == line_user_id))


def _user_for(session: Session, inbound: Inbound, profile: Profile | None, now: datetime) -> LineUser:
    """The sender, seen now, with the facts the dialogue reads about them (`services.owner_facts`):
    found and updated in one statement, created on their first event."""
    changes: dict[str, Any] = {"last_seen_at": now}
    if profile is not None:
        changes["language"] = language_for(profile.language)
    if inbound.kind == InboundKind.FOLLOW:
        changes["following"] = True
    if len(changes) == 1 and inbound.line_user_id:  # a message from a known owner: read with their facts
        user = owner_facts.seen(session, inbound.line_user_id, now, surveys.ANSWER_WITHIN)
        if user is not None:
            return user
    else:
        found = session.scalars(
            update(LineUser).where(LineUser.line_user_id == inbound.line_user_id).values(**changes).returning(LineUser),
            execution_options={"synchronize_session": False},
        ).one_or_none()
        if found is not None:
            owner_facts.load(session, found, now, surveys.ANSWER_WITHIN)
            return found
    user = LineUser(
        line_user_id=inbound.line_user_id, created_at=now, **{"language": "th", "following": True, **changes}
    )
    session.add(user)
    session.flush()
    owner_facts.load(session, user, now, surveys.ANSWER_WITHIN)
    return user


def _answer(
    session: Session, runtime: Runtime, inbound: Inbound, profile: Profile | None, now: datetime, take_delivery: bool
) -> list[OutboxMessage]:
    if inbound.kind == InboundKind.IGNORED:
        return []
    if inbound.kind == InboundKind.JOIN:
        return _taken(_answer_group(session, runtime, inbound), now, take_delivery)
    if inbound.kind == InboundKind.UNFOLLOW:
        user = _find_user(session, inbound.line_user_id)
        if user is not None:
            user.following = False
        return []
    user = _user_for(session, inbound, profile, now)
    turn = build_turn(runtime.context, user, inbound, profile, now)
    replies = _dialogue(session, turn, inbound)
    return _taken(_queue(session, user, inbound, replies, now), now, take_delivery)


def _taken(rows: list[OutboxMessage], now: datetime, take_delivery: bool) -> list[OutboxMessage]:
    """Write the answer already claimed for delivery (lease and attempt), when the caller sends it at once."""
    if take_delivery:
        for row in rows:
            row.locked_until, row.attempts = now + LEASE, 1
    return rows


def build_turn(context: BotContext, user: LineUser, inbound: Inbound, profile: Profile | None, now: datetime) -> Turn:
    """The dialogue's input for one event; tests build their turns here too, so they match production."""
    t = Translator(context.settings.locales_dir, user.language)
    understanding = None
    if inbound.kind == InboundKind.TEXT and inbound.text is not None:
        understanding = context.nlu.understand(inbound.text, today_in_bangkok(now))
    # the LINE display name is used to greet, not stored: we keep personal data only after consent
    name = profile.display_name if profile is not None else None
    return Turn(
        user=user,
        now=now,
        t=t,
        context=context,
        text=inbound.text,
        understanding=understanding,
        postback=inbound.postback,
        postback_params=inbound.params,
        display_name=name,
    )


def _dialogue(session: Session, turn: Turn, inbound: Inbound) -> list[Reply]:
    if inbound.kind == InboundKind.FOLLOW:
        return router.welcome(session, turn)
    if inbound.kind == InboundKind.OTHER_MESSAGE:
        return router.unsupported(session, turn, inbound.message_type or "unknown")
    return router.respond(session, turn)


def _queue(
    session: Session, user: LineUser, inbound: Inbound, replies: list[Reply], now: datetime
) -> list[OutboxMessage]:
    if not replies:
        return []
    replies = replies[:5]
    event_time = datetime.fromtimestamp(inbound.timestamp_ms / 1000, tz=now.tzinfo) if inbound.timestamp_ms else now
    fresh = inbound.reply_token and now - event_time < REPLY_TOKEN_LIFE
    if inbound.line_user_id and user.line_user_id != inbound.line_user_id:  # erased in this very turn
        row = outbox.farewell(
            session, inbound.line_user_id, inbound.reply_token if fresh else None, replies, user.language
        )
    elif fresh and inbound.line_user_id and inbound.reply_token:
        row = outbox.reply(session, inbound.line_user_id, inbound.reply_token, replies, user.language)
    else:
        pushed = outbox.push(session, user, replies)
        if pushed is None:
            return []
        row = pushed
    return [row]


def _answer_group(session: Session, runtime: Runtime, inbound: Inbound) -> list[OutboxMessage]:
    """In a group or room we only say, once, that the bot works in one-to-one chats."""
    if not inbound.reply_token or not inbound.chat_id:
        return []
    t = Translator(runtime.settings.locales_dir, "th")
    text = Text(t("Hello! I can only help in a one-to-one chat. Please add me as a friend and message me directly."))
    return [outbox.reply(session, inbound.chat_id, inbound.reply_token, [text], "th")]


class Intake:
    """The webhook's way in: store events, then answer fresh ones at once (`line.webhook.EventIntake`).

    Sending is passed in (`worker.delivery.deliver_claimed` in production) so that this core does
    not depend on the worker that also drives it.
    """

    def __init__(self, runtime: Runtime, line: LineClient, send: SendClaimed) -> None:
        self.runtime, self.line, self.send = runtime, line, send

    def store(self, events: list[dict[str, Any]]) -> list[int]:
        """Store new events and wake the worker: one Core statement and a commit, no ORM session."""
        with self.runtime.database.engine.begin() as connection:
            new_ids = store_events(connection, events, announce=True)
        return new_ids if self.runtime.settings.answers_in_web else []

    def answer_now(self, event_ids: list[int]) -> None:
        for event_id in event_ids:
            try:
                answer_event(self.runtime, self.line, event_id, self.send)
            except Exception:  # after the 200: nothing to tell LINE, the worker will retry
                log.exception("immediate processing of event %s failed", event_id)
