"""What we hold about a LINE user, and erasing it on request (PDPA).

Erasure keeps only anonymous counts (an `ErasureRecord`) so programme statistics stay true; the
`LineUser` row stays, stripped of personal fields and with its LINE id replaced by a tombstone, so it
still counts but links to nobody (`services.privacy`). If they write again they start afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from otopbot.models import (
    Booking,
    Certificate,
    ConversationState,
    ErasureRecord,
    LineUser,
    Question,
    QuestionKind,
    QuestionStatus,
    Registration,
    RegistrationStatus,
    SurveyResponse,
    Workshop,
)
from otopbot.services import bookings, certificates, menus, notices, privacy, registrations, surveys


@dataclass(frozen=True, slots=True)
class Asked:
    """What they asked staff (questions the bot could not answer, contact requests): counts and the number."""

    total: int = 0
    waiting: int = 0  # not yet answered
    phone: str | None = None  # the latest call-back number given with a request


@dataclass(frozen=True, slots=True)
class Rated:
    """Their answers to workshop surveys: the ratings and their own comments."""

    ratings: int = 0
    comments: int = 0


@dataclass(frozen=True, slots=True)
class StoredData:
    """A user's data as they may see it: everything that still names or links to them."""

    user: LineUser
    registration: Registration | None
    upcoming: list[Booking]
    past_bookings: int
    asked: Asked
    certificates: list[Certificate]  # newest first; withdrawn ones no longer name them
    surveys: Rated

    @property
    def holds_anything(self) -> bool:
        """Whether there is anything personal to delete (offering "delete" over nothing confuses owners)."""
        return bool(
            self.registration
            or self.upcoming
            or self.past_bookings
            or self.asked.total
            or self.certificates
            or self.surveys.ratings
            or self.user.consent_at
        )


def _asked(db: Session, user: LineUser) -> Asked:
    rows = db.execute(
        select(Question.status, Question.phone)
        .where(
            Question.user_id == user.id,
            Question.kind != QuestionKind.ANSWERED_BY_BOT,
        )
        .order_by(Question.asked_at, Question.id)
    ).all()
    phones = [phone for _, phone in rows if phone]
    return Asked(
        total=len(rows),
        waiting=sum(1 for status, _ in rows if status == QuestionStatus.OPEN),
        phone=phones[-1] if phones else None,
    )


def _rated(db: Session, user: LineUser) -> Rated:
    ratings, comments = db.execute(
        select(func.count(SurveyResponse.rating), func.count(SurveyResponse.comment)).where(
            SurveyResponse.user_id == user.id
        )
    ).one()
    return Rated(ratings=ratings, comments=comments)


def stored_for(db: Session, user: LineUser, now: datetime) -> StoredData:
    registration = registrations.for_user(db, user)
    upcoming = bookings.upcoming_for(db, user, now)
    past = db.scalar(
        select(func.count(Booking.id))
        .join(Workshop, Workshop.id == Booking.workshop_id)
        .where(Booking.user_id == user.id, Workshop.starts_at <= now)
    )
    certified = list(
        db.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.workshop_date.desc(), Certificate.id.desc())
        )
    )
    return StoredData(user, registration, upcoming, past or 0, _asked(db, user), certified, _rated(db, user))


def _record(db: Session, user: LineUser, registration: Registration | None, now: datetime) -> ErasureRecord:
    attended = db.scalar(
        select(Booking.id).where(Booking.user_id == user.id, Booking.checked_in_at.is_not(None)).limit(1)
    )
    record = ErasureRecord(
        category=registration.category if registration else None,
        region=registration.region if registration else None,
        was_registered=registration is not None,
        was_selected=registration is not None and registration.status == RegistrationStatus.SELECTED,
        had_attended=attended is not None,
        erased_at=now,
    )
    db.add(record)
    return record


def _cancel_future_bookings(db: Session, user: LineUser, now: datetime, locales_dir: Path | None) -> int:
    future = bookings.upcoming_for(db, user, now)
    for booking in future:
        notices.seats_opened(db, bookings.cancel_booking(db, booking, now), locales_dir)
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
    db.execute(
        update(Booking)
        .where(Booking.user_id == user.id)
        .values(user_id=None)
        .execution_options(synchronize_session=False)
    )
    question_ids = privacy.forget_questions(db, user, now)
    privacy.forget_staff_notes(db, registration.id if registration else None, question_ids)
    certificates.withdraw_for_user(db, user.id, now)  # names off the certificate; /verify says withdrawn
    surveys.forget_user(db, user.id)  # the score stays, anonymous; the comment goes
    if registration is not None:
        menus.queue(db, user, menus.NEWCOMER)  # back to the menu that leads with registration
    state = db.get(ConversationState, user.id)
    if state is not None:
        db.delete(state)
    user.consent_at = None
    privacy.unlink(db, user, now)
    return record
