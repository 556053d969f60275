"""What we hold about a LINE user, and erasing it on request (PDPA).

Erasure keeps only anonymous counts (an `ErasureRecord`) so programme statistics stay true; the
`LineUser` row stays, stripped of personal fields and with its LINE id replaced by a tombstone, so it
still counts but links to nobody (`services.privacy`). If they write again they start afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from otopbot.models import (
    Booking,
    ConversationState,
    ErasureRecord,
    LineUser,
    Question,
    Registration,
    RegistrationStatus,
    Workshop,
)
from otopbot.services import bookings, privacy, registrations


@dataclass(frozen=True, slots=True)
class StoredData:
    """A user's data as they may see it."""

    user: LineUser
    registration: Registration | None
    upcoming: list[Booking]
    past_bookings: int
    questions: int


def stored_for(db: Session, user: LineUser, now: datetime) -> StoredData:
    registration = registrations.for_user(db, user)
    upcoming = bookings.upcoming_for(db, user, now)
    past = db.scalars(
        select(Booking.id).join(Workshop, Workshop.id == Booking.workshop_id)
        .where(Booking.user_id == user.id, Workshop.starts_at <= now)
    ).all()
    asked = db.scalars(select(Question.id).where(Question.user_id == user.id)).all()
    return StoredData(user, registration, upcoming, len(past), len(asked))


def _record(db: Session, user: LineUser, registration: Registration | None, now: datetime) -> ErasureRecord:
    attended = db.scalar(
        select(Booking.id).where(Booking.user_id == user.id, Booking.checked_in_at.is_not(None)).limit(1)
    )
    record = ErasureRecord(
        category=registration.category if registration else None,
        region=registration.region if registration else None,
        was_registered=registration is not None,
        was_selected=registration is not None and registration.status == RegistrationStatus.SELECTED,
        had_attended=attended is not None, erased_at=now,
    )
    db.add(record)
    return record


def _cancel_future_bookings(db: Session, user: LineUser, now: datetime, locales_dir: Path | None) -> int:
    future = bookings.upcoming_for(db, user, now)
    for booking in future:
        bookings.cancel_booking(db, booking, now, locales_dir=locales_dir)
    return len(future)


def erase(db: Session, user: LineUser, now: datetime, *, locales_dir: Path | None = None) -> ErasureRecord:
    """Erase the user's personal data; cancel future bookings (the waiting list moves up).

    Afterwards `user` carries a tombstone instead of the LINE id: answer the person with the id from
    the event (see `events._queue`).
    """
    registration = registrations.for_user(db, user)
    record = _record(db, user, registration, now)
    _cancel_future_bookings(db, user, now, locales_dir)
    if registration is not None:
        registrations.erase(registration, now)
    db.execute(update(Booking).where(Booking.user_id == user.id).values(user_id=None)
               .execution_options(synchronize_session=False))
    question_ids = privacy.forget_questions(db, user, now)
    privacy.forget_staff_notes(db, registration.id if registration else None, question_ids)
    state = db.get(ConversationState, user.id)
    if state is not None:
        db.delete(state)
    user.display_name = None
    user.consent_at = None
    privacy.unlink(db, user, now)
    return record

