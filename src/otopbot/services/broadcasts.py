"""Staff announcements: who receives them, what they look like, and their hand-over to the outbox.

A broadcast's payload holds one message list per language (`[{"lang": "th", "replies": [...]}, …]`)
so each follower reads it in their own language. Sending turns it into outbox multicasts of at
most 500 users, each with its own retry key; the worker delivers them. A scheduled broadcast is
claimed by a conditional UPDATE on its status, so two workers can never both send it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Exists, Select, func, select, update
from sqlalchemy.orm import Session

from otopbot.db import utcnow
from otopbot.i18n import LANGUAGES, N_
from otopbot.models import (
    Booking,
    BookingStatus,
    Broadcast,
    BroadcastStatus,
    LineUser,
    OutboxMessage,
    OutboxStatus,
    Registration,
)
from otopbot.replies import Reply, Text, reply_from_dict, to_dict
from otopbot.services import outbox

AUDIENCE_KEYS = ("category", "province", "region", "status", "language", "not_booked")
REGISTRATION_KEYS = {
    "category": Registration.category,
    "province": Registration.province,
    "region": Registration.region,
    "status": Registration.status,
}
MAX_TEXT = 5000  # LINE's limit for one text message: longer is refused, never cut
QuotaLookup = Callable[[], "int | None"]


class BroadcastError(ValueError):
    """The broadcast cannot be sent as asked (empty audience, over quota, already sent)."""


@dataclass(frozen=True, slots=True)
class Progress:
    recipients: int
    batches: int
    pending: int
    sent: int
    failed: int
    delivered_users: int


def check_text(text_th: str, text_en: str | None = None) -> None:
    """The rules every text announcement meets, from the console or the CLI: a Thai text, not cut.

    The BroadcastError's message is an msgid (the console translates it, the CLI prints it).
    """
    if not text_th.strip():
        raise BroadcastError(N_("Write the announcement in Thai."))
    if len(text_th.strip()) > MAX_TEXT or len((text_en or "").strip()) > MAX_TEXT:
        raise BroadcastError(N_("An announcement can have at most 5,000 characters."))


def check_send_time(at: datetime | None, now: datetime) -> None:
    """A scheduled announcement must be for later: a past time would send it at once by surprise."""
    if at is not None and at <= now:
        raise BroadcastError(N_("The sending time must be in the future."))


def clean_audience(raw: dict[str, Any]) -> dict[str, str]:
    """Keep only known, non-empty audience filters."""
    return {k: str(raw[k]).strip() for k in AUDIENCE_KEYS if raw.get(k) and str(raw[k]).strip()}


def audience_query(audience: dict[str, Any]) -> Select[str, str]:
    """(line user id, language) of followers matching the filters; registration filters need one."""
    aud = clean_audience(audience)
    stmt = select(LineUser.line_user_id, LineUser.language).where(LineUser.following.is_(True))
    if any(k in aud for k in REGISTRATION_KEYS):
        stmt = stmt.join(Registration, Registration.user_id == LineUser.id).where(Registration.erased_at.is_(None))
        for key, column in REGISTRATION_KEYS.items():
            if key in aud:
                stmt = stmt.where(column == aud[key])
    if "language" in aud:
        stmt = stmt.where(LineUser.language == aud["language"])
    if aud.get("not_booked", "").isdecimal():  # a workshop announcement leaves out who already booked it
        stmt = stmt.where(~already_booked(int(aud["not_booked"])))
    return stmt.order_by(LineUser.id)


def already_booked(workshop_id: int) -> Exists:
    """The follower holds a seat or a waiting-list place on the workshop."""
    return (
        select(Booking.id)
        .where(
            Booking.user_id == LineUser.id,
            Booking.workshop_id == workshop_id,
            Booking.status.in_([BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]),
        )
        .exists()
    )


def recipients(db: Session, audience: dict[str, Any]) -> list[tuple[str, str]]:
    return [(uid, lang) for uid, lang in db.execute(audience_query(audience))]


def count_recipients(db: Session, audience: dict[str, Any]) -> int:
    return db.scalar(select(func.count()).select_from(audience_query(audience).order_by(None).subquery())) or 0


def text_payload(text_th: str, text_en: str | None) -> list[dict[str, Any]]:
    """A text announcement; English readers get the English text when staff wrote one."""
    th = [to_dict(Text(text_th.strip()))]
    en = [to_dict(Text((text_en or "").strip() or text_th.strip()))]
    return [{"lang": "th", "replies": th}, {"lang": "en", "replies": en}]


def replies_for(broadcast: Broadcast, lang: str) -> list[Reply]:
    """The messages one language's readers receive (Thai when that language is missing)."""
    by_lang = {part["lang"]: part["replies"] for part in broadcast.payload}
    chosen = by_lang.get(lang) or by_lang.get("th") or next(iter(by_lang.values()))
    return [reply_from_dict(r) for r in chosen]


def check_quota(audience_size: int, quota_remaining: QuotaLookup | None) -> int | None:
    """Raise BroadcastError when the audience exceeds this month's remaining messages."""
    remaining = quota_remaining() if quota_remaining is not None else None
    if remaining is not None and audience_size > remaining:
        raise BroadcastError(f"audience {audience_size} exceeds remaining quota {remaining}")
    return remaining


def create(
    db: Session,
    *,
    title: str,
    payload: list[dict[str, Any]],
    audience: dict[str, Any],
    created_by: str | None,
    workshop_id: int | None = None,
    scheduled_at: datetime | None = None,
) -> Broadcast:
    """Store a broadcast as scheduled (to go now or at `scheduled_at`); the worker or `send_now` sends it."""
    broadcast = Broadcast(
        title=title.strip()[:200],
        payload=payload,
        audience=clean_audience(audience),
        workshop_id=workshop_id,
        status=BroadcastStatus.SCHEDULED,
        scheduled_at=scheduled_at or utcnow(),
        created_by=created_by,
        recipients_count=count_recipients(db, audience),
    )
    db.add(broadcast)
    db.flush()
    return broadcast


def _claim(db: Session, broadcast_id: int, now: datetime) -> bool:
    """Move SCHEDULED → SENDING; only the caller whose UPDATE changed the row may dispatch."""
    result = db.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.SCHEDULED)
        .values(status=BroadcastStatus.SENDING, started_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult


def dispatch(db: Session, broadcast: Broadcast, now: datetime) -> list[OutboxMessage]:
    """Queue the broadcast as multicasts of ≤500 followers per language; unfollowed users are skipped."""
    by_lang: dict[str, list[str]] = {}
    for line_user_id, lang in recipients(db, broadcast.audience):
        by_lang.setdefault(lang if lang in LANGUAGES else "th", []).append(line_user_id)
    rows: list[OutboxMessage] = []
    for lang, ids in sorted(by_lang.items()):
        rows += outbox.multicast(db, ids, replies_for(broadcast, lang), language=lang, broadcast_id=broadcast.id)
    db.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast.id)
        .values(
            status=BroadcastStatus.SENDING if rows else BroadcastStatus.SENT,
            started_at=now,
            finished_at=None if rows else now,
            recipients_count=sum(len(ids) for ids in by_lang.values()),
        )
        .execution_options(synchronize_session=False)
    )
    db.refresh(broadcast)
    return rows


def send_now(db: Session, broadcast_id: int, now: datetime | None = None) -> list[OutboxMessage]:
    now = now or utcnow()
    if not _claim(db, broadcast_id, now):
        raise BroadcastError("broadcast is not waiting to be sent")
    broadcast = db.get(Broadcast, broadcast_id)
    assert broadcast is not None
    return dispatch(db, broadcast, now)


def dispatch_due(db: Session, now: datetime) -> int:
    """Send every scheduled broadcast whose time has come, exactly once; returns how many were sent."""
    due = db.scalars(
        select(Broadcast.id)
        .where(Broadcast.status == BroadcastStatus.SCHEDULED, Broadcast.scheduled_at <= now)
        .order_by(Broadcast.id)
    )
    sent = 0
    for broadcast_id in list(due):
        if _claim(db, broadcast_id, now):
            broadcast = db.get(Broadcast, broadcast_id)
            assert broadcast is not None
            db.refresh(broadcast)
            dispatch(db, broadcast, now)
            sent += 1
    finish_sent(db, now)
    return sent


def cancel(db: Session, broadcast_id: int) -> bool:
    """Cancel a broadcast that has not started; False when it is already on its way."""
    return bool(
        db.execute(  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
            update(Broadcast)
            .where(
                Broadcast.id == broadcast_id, Broadcast.status.in_([BroadcastStatus.SCHEDULED, BroadcastStatus.DRAFT])
            )
            .values(status=BroadcastStatus.CANCELLED)
            .execution_options(synchronize_session=False)
        ).rowcount
    )


def finish_sent(db: Session, now: datetime) -> None:
    """Mark SENDING broadcasts SENT once none of their outbox rows is still pending."""
    pending = (
        select(OutboxMessage.id)
        .where(OutboxMessage.broadcast_id == Broadcast.id, OutboxMessage.status == OutboxStatus.PENDING)
        .exists()
    )
    db.execute(
        update(Broadcast)
        .where(Broadcast.status == BroadcastStatus.SENDING, ~pending)
        .values(status=BroadcastStatus.SENT, finished_at=now)
        .execution_options(synchronize_session=False)
    )


def progress(db: Session, broadcast: Broadcast) -> Progress:
    """Delivery figures from the broadcast's outbox rows."""
    rows: Sequence[tuple[str, list[str]]] = db.execute(
        select(OutboxMessage.status, OutboxMessage.recipients).where(OutboxMessage.broadcast_id == broadcast.id)
    ).all()
    counts = {status: sum(1 for s, _ in rows if s == status) for status in OutboxStatus}
    delivered = sum(len(r) for s, r in rows if s == OutboxStatus.SENT)
    return Progress(
        broadcast.recipients_count,
        len(rows),
        counts[OutboxStatus.PENDING],
        counts[OutboxStatus.SENT],
        counts[OutboxStatus.FAILED],
        delivered,
    )


def recent(db: Session, limit: int = 50) -> list[Broadcast]:
    return list(db.scalars(select(Broadcast).order_by(Broadcast.created_at.desc(), Broadcast.id.desc()).limit(limit)))
