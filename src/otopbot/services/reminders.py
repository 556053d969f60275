"""Reminders the day before a workshop, queued exactly once per confirmed booking.

`reminded_at` is set by a conditional UPDATE (`… WHERE reminded_at IS NULL`) in the same
transaction as the outbox row: of two workers (or a restarted one) only the one whose UPDATE
changed the row queues the message, and a rollback undoes both together.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from otopbot.clock import BANGKOK, local
from otopbot.models import Booking, BookingStatus, LineUser, Workshop, WorkshopStatus

REMIND_AT = time(9, 0)  # Bangkok time, the day before; never at midnight


def reminder_due_at(starts_at: datetime) -> datetime:
    """09:00 Bangkok time on the day before the workshop starts."""
    day_before = local(starts_at).date() - timedelta(days=1)
    return datetime.combine(day_before, REMIND_AT, BANGKOK)


def _candidates(db: Session, now: datetime) -> list[tuple[Booking, Workshop]]:
    """Confirmed, unreminded bookings of workshops starting within the next two days."""
    rows = db.execute(
        select(Booking, Workshop)
        .join(Workshop, Workshop.id == Booking.workshop_id)
        .where(
            Booking.status == BookingStatus.CONFIRMED,
            Booking.reminded_at.is_(None),
            Booking.user_id.is_not(None),
            Workshop.status != WorkshopStatus.CANCELLED,
            Workshop.starts_at > now,
            Workshop.starts_at <= now + timedelta(days=2),
        )
        .order_by(Booking.id)
    ).all()
    return [(booking, workshop) for booking, workshop in rows if reminder_due_at(workshop.starts_at) <= now]


def _claim(db: Session, booking: Booking, now: datetime) -> bool:
    result = db.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.reminded_at.is_(None))
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    db.expire(booking, ["reminded_at"])
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def claim_due(db: Session, now: datetime) -> list[tuple[LineUser, Booking, Workshop]]:
    """Claim every reminder now due (each once, across workers); the caller words and queues them
    (`notices.remind`) in the same transaction."""
    claimed = []
    for booking, workshop in _candidates(db, now):
        user = db.get(LineUser, booking.user_id) if booking.user_id else None
        if user is not None and _claim(db, booking, now):
            claimed.append((user, booking, workshop))
    return claimed
