"""Check-in at the workshop door: signed QR tokens, booking-code entry and name search.

The QR a user receives encodes `OTB1.<booking code>.<signature>`, an HMAC of the code with the
secret key, so a QR cannot be made up by someone who only guessed a code. Staff may still type a
booking code by hand (they see the enterprise's name before confirming). A booking is checked in
once: the conditional UPDATE keeps the first time even when two phones scan together.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session

from otopbot.db import utcnow
from otopbot.models import Booking, BookingStatus, Registration, Workshop, WorkshopStatus

TOKEN_PREFIX = "OTB1"
SIGNATURE_CHARS = 24


class CheckinOutcome(StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY = "already"  # checked in earlier; the first time is kept
    NOT_FOUND = "not_found"
    FORGED = "forged"  # looks like our QR but the signature is wrong
    WRONG_WORKSHOP = "wrong_workshop"
    NOT_CONFIRMED = "not_confirmed"  # cancelled or still on the waiting list


@dataclass(frozen=True, slots=True)
class CheckinResult:
    outcome: CheckinOutcome
    booking: Booking | None = None


@dataclass(frozen=True, slots=True)
class Attendee:
    """A booking with the names staff recognise at the door."""

    booking: Booking
    enterprise_name: str | None
    contact_name: str | None
    phone: str | None = None  # shown only to the roles that may call attendees (the console decides)


def signature(secret_key: str, booking_code: str) -> str:
    digest = hmac.new(secret_key.encode(), f"checkin:{booking_code}".encode(), hashlib.sha256).hexdigest()
    return digest[:SIGNATURE_CHARS]


def token_for(secret_key: str, booking_code: str) -> str:
    """What the booking's QR code encodes."""
    return f"{TOKEN_PREFIX}.{booking_code}.{signature(secret_key, booking_code)}"


def code_from_scan(secret_key: str, scanned: str) -> tuple[str | None, bool]:
    """Return (booking code, signature ok); a bare code (typed by staff) passes as unsigned."""
    value = scanned.strip()
    if value.startswith(TOKEN_PREFIX + "."):
        parts = value.split(".")
        if len(parts) != 3 or not parts[1]:
            return None, False
        return parts[1], hmac.compare_digest(parts[2], signature(secret_key, parts[1]))
    return (value.upper() or None), True


def check_in(
    db: Session,
    scanned: str,
    *,
    secret_key: str,
    workshop_id: int | None = None,
    now: datetime | None = None,
) -> CheckinResult:
    """Check a booking in from a scanned token or a typed code; only confirmed bookings count."""
    code, valid = code_from_scan(secret_key, scanned)
    if code is None:
        return CheckinResult(CheckinOutcome.NOT_FOUND)
    if not valid:
        return CheckinResult(CheckinOutcome.FORGED)
    booking = db.scalar(select(Booking).where(Booking.code == code))
    if booking is None:
        booking = db.scalar(select(Booking).where(Booking.code == code.upper()))
    if booking is None:
        return CheckinResult(CheckinOutcome.NOT_FOUND)
    if workshop_id is not None and booking.workshop_id != workshop_id:
        return CheckinResult(CheckinOutcome.WRONG_WORKSHOP, booking)
    if booking.status != BookingStatus.CONFIRMED:
        return CheckinResult(CheckinOutcome.NOT_CONFIRMED, booking)
    stamped = db.execute(  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
        update(Booking)
        .where(Booking.id == booking.id, Booking.checked_in_at.is_(None))
        .values(checked_in_at=now or utcnow())
    ).rowcount
    db.refresh(booking)
    return CheckinResult(CheckinOutcome.CHECKED_IN if stamped else CheckinOutcome.ALREADY, booking)


def attendees(db: Session, workshop_id: int, *, status: str | None = None, search: str | None = None) -> list[Attendee]:
    """Bookings of a workshop with names, optionally filtered by status and a name/code search."""
    stmt = (
        select(Booking, Registration.enterprise_name, Registration.contact_name, Registration.phone)
        .outerjoin(Registration, Registration.user_id == Booking.user_id)
        .where(Booking.workshop_id == workshop_id)
        .order_by(Booking.created_at, Booking.id)
    )
    if status:
        stmt = stmt.where(Booking.status == status)
    if search and search.strip():
        like = f"%{search.strip()}%"
        stmt = stmt.where(
            or_(
                Booking.code.ilike(like),
                Registration.enterprise_name.ilike(like),
                Registration.contact_name.ilike(like),
            )
        )
    return [Attendee(b, e, c, p) for b, e, c, p in db.execute(stmt)]


def attended_lately(
    db: Session, now: datetime, within: timedelta, already: Select[Any]
) -> list[tuple[Booking, Workshop]]:
    """Checked-in bookings of workshops that ended within `within` and have no follow-up row yet.

    `already` selects the follow-up rows of a booking (a certificate, a survey), correlated on Booking.id.
    """
    rows = db.execute(
        select(Booking, Workshop)
        .join(Workshop, Workshop.id == Booking.workshop_id)
        .where(
            Booking.status == BookingStatus.CONFIRMED,
            Booking.checked_in_at.is_not(None),
            Booking.user_id.is_not(None),
            Workshop.status != WorkshopStatus.CANCELLED,
            Workshop.ends_at <= now,
            Workshop.ends_at > now - within,
            ~already.exists(),
        )
        .order_by(Booking.id)
        .limit(500)
    ).all()
    return [(booking, workshop) for booking, workshop in rows]
