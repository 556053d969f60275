"""Seats on workshops: atomic allocation, the waiting list, promotion, cancellation and booking codes.

Capacity is enforced by the database, never by reading then writing: a booking takes its seats
with `UPDATE workshops SET seats_taken = seats_taken + :n WHERE id = :id AND seats_taken + :n <=
capacity` and is confirmed only if that one row changed. The same statement works on SQLite and
PostgreSQL, so concurrent workers cannot overbook.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from otopbot.models import Booking, BookingStatus, LineUser, Workshop
from otopbot.services.workshops import is_bookable

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1: read aloud over the phone
CODE_LENGTH = 6
MAX_SEATS = 5
ACTIVE = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    FULL = "full"  # not booked; the waiting list can be offered
    ALREADY = "already"  # the user already holds a booking for this workshop
    CLOSED = "closed"  # past the deadline, started, or cancelled


@dataclass(frozen=True, slots=True)
class BookingResult:
    outcome: Outcome
    booking: Booking | None = None
    position: int | None = None  # place on the waiting list (for WAITLISTED, FULL and a waitlisted ALREADY)


def new_code(db: Session) -> str:
    """A fresh six-character booking code from an alphabet without look-alike characters."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.scalar(select(Booking.id).where(Booking.code == code)) is None:
            return code


def take_seats(db: Session, workshop_id: int, seats: int) -> bool:
    """Take seats in one conditional UPDATE; False when they do not fit."""
    result = db.execute(
        update(Workshop)
        .where(Workshop.id == workshop_id, Workshop.seats_taken + seats <= Workshop.capacity)
        .values(seats_taken=Workshop.seats_taken + seats)
        .execution_options(synchronize_session=False)
    )
    _forget_seats(db, workshop_id)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def free_seats(db: Session, workshop_id: int, seats: int) -> None:
    db.execute(
        update(Workshop)
        .where(Workshop.id == workshop_id, Workshop.seats_taken >= seats)
        .values(seats_taken=Workshop.seats_taken - seats)
        .execution_options(synchronize_session=False)
    )
    _forget_seats(db, workshop_id)


def _forget_seats(db: Session, workshop_id: int) -> None:
    """The UPDATE bypassed the ORM: reload seats_taken next time it is read."""
    workshop = db.get(Workshop, workshop_id)
    if workshop is not None:
        db.expire(workshop, ["seats_taken"])


def active_booking(db: Session, user: LineUser, workshop_id: int) -> Booking | None:
    return db.scalar(
        select(Booking).where(
            Booking.user_id == user.id, Booking.workshop_id == workshop_id, Booking.status.in_(ACTIVE)
        )
    )


def waitlist_position(db: Session, booking: Booking) -> int:
    """1 for the first in line."""
    return int(
        db.scalar(
            select(func.count())
            .select_from(Booking)
            .where(
                Booking.workshop_id == booking.workshop_id,
                Booking.status == BookingStatus.WAITLISTED,
                Booking.id <= booking.id,
            )
        )
        or 0
    )


def waitlist_length(db: Session, workshop_id: int) -> int:
    return int(
        db.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.workshop_id == workshop_id, Booking.status == BookingStatus.WAITLISTED)
        )
        or 0
    )


def _existing(db: Session, booking: Booking) -> BookingResult:
    position = waitlist_position(db, booking) if booking.status == BookingStatus.WAITLISTED else None
    return BookingResult(Outcome.ALREADY, booking, position)


def book(
    db: Session, user: LineUser, workshop: Workshop, seats: int, now: datetime, *, waitlist: bool = False
) -> BookingResult:
    """Book seats (1–5); when full, join the waiting list only if `waitlist`, else report FULL."""
    if not 1 <= seats <= MAX_SEATS:
        raise ValueError(f"seats must be 1 to {MAX_SEATS}, got {seats}")
    if not is_bookable(workshop, now):
        return BookingResult(Outcome.CLOSED)
    if (existing := active_booking(db, user, workshop.id)) is not None:
        return _existing(db, existing)
    if take_seats(db, workshop.id, seats):
        status = BookingStatus.CONFIRMED
    elif waitlist:
        status = BookingStatus.WAITLISTED
    else:
        return BookingResult(Outcome.FULL, position=waitlist_length(db, workshop.id) + 1)
    booking = Booking(
        code=new_code(db), workshop_id=workshop.id, user_id=user.id, seats=seats, status=status, created_at=now
    )
    db.add(booking)
    db.flush()
    if status == BookingStatus.CONFIRMED:
        return BookingResult(Outcome.CONFIRMED, booking)
    return BookingResult(Outcome.WAITLISTED, booking, waitlist_position(db, booking))


def by_code(db: Session, code: str) -> Booking | None:
    return db.scalar(select(Booking).where(Booking.code == code.strip().upper()))


def upcoming_for(db: Session, user: LineUser, now: datetime) -> list[Booking]:
    """The user's confirmed and waiting-list bookings of workshops that have not started, soonest first."""
    return list(
        db.scalars(
            select(Booking)
            .join(Workshop, Workshop.id == Booking.workshop_id)
            .where(Booking.user_id == user.id, Booking.status.in_(ACTIVE), Workshop.starts_at > now)
            .order_by(Workshop.starts_at, Booking.id)
        )
    )


def cancel_booking(db: Session, booking: Booking, now: datetime) -> list[Booking]:
    """Cancel a booking, free its seats and promote the waiting list; return the bookings promoted.

    The caller tells the promoted users (`notices.seats_opened`), in the same transaction.
    """
    was_confirmed = booking.status == BookingStatus.CONFIRMED
    changed = db.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status.in_(ACTIVE))
        .values(status=BookingStatus.CANCELLED, cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    db.expire(booking, ["status", "cancelled_at"])
    if changed.rowcount != 1 or not was_confirmed:  # type: ignore[attr-defined]
        return []
    free_seats(db, booking.workshop_id, booking.seats)
    return promote_waiting_list(db, booking.workshop_id, now)


def _promote(db: Session, booking: Booking, now: datetime) -> bool:
    if not take_seats(db, booking.workshop_id, booking.seats):
        return False
    changed = db.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status == BookingStatus.WAITLISTED)
        .values(status=BookingStatus.CONFIRMED, promoted_at=now)
        .execution_options(synchronize_session=False)
    )
    db.expire(booking, ["status", "promoted_at"])
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        free_seats(db, booking.workshop_id, booking.seats)  # someone else promoted or cancelled it
        return False
    return True


def promote_waiting_list(db: Session, workshop_id: int, now: datetime) -> list[Booking]:
    """Give free seats to the waiting list in order, skipping a group whose seats do not fit; return them."""
    workshop = db.get(Workshop, workshop_id)
    if workshop is None or not is_bookable(workshop, now):
        return []
    waiting = db.scalars(
        select(Booking)
        .where(Booking.workshop_id == workshop_id, Booking.status == BookingStatus.WAITLISTED)
        .order_by(Booking.id)
    ).all()
    promoted = []
    for booking in waiting:
        if workshop.seats_left <= 0:
            break
        if booking.seats <= workshop.seats_left and _promote(db, booking, now):
            promoted.append(booking)
    return promoted


class SeatChange(StrEnum):
    CHANGED = "changed"
    SAME = "same"  # the booking already holds that many seats
    FULL = "full"  # more seats asked for than are free
    CLOSED = "closed"  # cancelled meanwhile, or the workshop no longer takes bookings


def change_seats(db: Session, booking: Booking, seats: int, now: datetime) -> tuple[SeatChange, list[Booking]]:
    """Change how many seats a booking holds; the bookings promoted from the waiting list when seats are freed.

    More seats are taken in the same conditional UPDATE as a new booking (all of them or none); the
    booking row changes only if nobody changed or cancelled it meanwhile.
    """
    workshop = db.get(Workshop, booking.workshop_id)
    if booking.status not in ACTIVE or workshop is None or not is_bookable(workshop, now):
        return SeatChange.CLOSED, []
    old = booking.seats
    if seats == old:
        return SeatChange.SAME, []
    confirmed = booking.status == BookingStatus.CONFIRMED
    if confirmed and seats > old and not take_seats(db, booking.workshop_id, seats - old):
        return SeatChange.FULL, []
    changed = db.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.seats == old, Booking.status.in_(ACTIVE))
        .values(seats=seats)
        .execution_options(synchronize_session=False)
    )
    db.expire(booking, ["seats", "status"])
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        if confirmed and seats > old:
            free_seats(db, booking.workshop_id, seats - old)
        return SeatChange.CLOSED, []
    if confirmed and seats < old:
        free_seats(db, booking.workshop_id, old - seats)
        return SeatChange.CHANGED, promote_waiting_list(db, booking.workshop_id, now)
    return SeatChange.CHANGED, []
