"""What each announcement achieved: the bookings its recipients made within 7 days after it.

Recipients are read from the broadcast's delivered outbox rows (the LINE user ids it actually
reached). A booking counts for an announcement when its owner was a recipient and booked within
`WINDOW` after the announcement started going out; for a workshop announcement the bookings of
that workshop are counted as well. One booking can follow two announcements; the dashboard's sum
counts it under each, as "bookings after announcements", not as distinct bookings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from otopbot.models import (
    Booking,
    Broadcast,
    BroadcastStatus,
    LineUser,
    OutboxMessage,
    OutboxStatus,
)

WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Attribution:
    broadcast_id: int
    title: str
    sent_at: datetime | None
    workshop_id: int | None
    reached: int  # recipients the announcement was delivered to
    bookings: int  # bookings those recipients made within the window
    workshop_bookings: int | None  # of which for the announced workshop (workshop announcements only)


def reached(db: Session, broadcast_id: int) -> set[str]:
    """LINE user ids the announcement was delivered to."""
    rows = db.scalars(
        select(OutboxMessage.recipients).where(
            OutboxMessage.broadcast_id == broadcast_id, OutboxMessage.status == OutboxStatus.SENT
        )
    )
    return {user_id for recipients in rows for user_id in recipients}


def for_broadcast(db: Session, broadcast: Broadcast) -> Attribution:
    """The bookings that followed one announcement (none before it started going out)."""
    sent_at = broadcast.started_at
    recipients = reached(db, broadcast.id) if sent_at is not None else set()
    workshops: list[int] = []
    if sent_at is not None and recipients:
        rows = db.execute(
            select(Booking.workshop_id, LineUser.line_user_id)
            .join(LineUser, LineUser.id == Booking.user_id)
            .where(Booking.created_at >= sent_at, Booking.created_at < sent_at + WINDOW)
        )
        workshops = [workshop_id for workshop_id, line_user_id in rows if line_user_id in recipients]
    of_workshop = sum(1 for w in workshops if w == broadcast.workshop_id) if broadcast.workshop_id else None
    return Attribution(
        broadcast.id, broadcast.title, sent_at, broadcast.workshop_id, len(recipients), len(workshops), of_workshop
    )


def every_sent(db: Session) -> list[Attribution]:
    """Attribution of every announcement that went out, newest first (the dashboard sums them all)."""
    sent = db.scalars(
        select(Broadcast)
        .where(Broadcast.status.in_([BroadcastStatus.SENDING, BroadcastStatus.SENT]), Broadcast.started_at.is_not(None))
        .order_by(Broadcast.started_at.desc(), Broadcast.id.desc())
    )
    return [for_broadcast(db, b) for b in sent]


@dataclass(frozen=True, slots=True)
class Totals:
    announcements: int
    bookings: int
    workshop_bookings: int


def totals(rows: list[Attribution]) -> Totals:
    return Totals(len(rows), sum(r.bookings for r in rows), sum(r.workshop_bookings or 0 for r in rows))


def csv_rows(rows: list[Attribution]) -> list[list[object]]:
    """Rows for the dashboard CSV, in its five columns: section, key, delivered, bookings, of the workshop."""
    return [
        [
            "announcement",
            f"broadcast:{r.broadcast_id}",
            r.reached,
            r.bookings,
            "" if r.workshop_bookings is None else r.workshop_bookings,
        ]
        for r in rows
    ]
