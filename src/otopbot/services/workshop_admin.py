"""DSS's workshop administration: create, edit, close and cancel workshops, and list who is coming.

Cancelling a workshop cancels its bookings and tells every booked user on LINE in the same
transaction. `seats_taken` is never written here except through the capacity check on edit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from otopbot.cards import workshop_title
from otopbot.clock import BANGKOK, day_and_time
from otopbot.db import utcnow
from otopbot.i18n import Translator
from otopbot.models import Booking, BookingStatus, LineUser, Workshop, WorkshopStatus
from otopbot.replies import Text
from otopbot.services import outbox


class WorkshopError(ValueError):
    """The change would break a rule (capacity below seats taken, dates out of order, wrong status)."""


@dataclass(frozen=True, slots=True)
class WorkshopForm:
    """What staff type in the workshop form, already parsed."""

    title: str
    title_en: str | None
    category: str
    description: str
    venue: str
    province: str
    region: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    registration_deadline: datetime


def _check(form: WorkshopForm) -> None:
    if not form.title.strip() or not form.venue.strip():
        raise WorkshopError("title and venue are required")
    if form.capacity < 1:
        raise WorkshopError("capacity must be at least 1")
    if form.ends_at <= form.starts_at:
        raise WorkshopError("the workshop must end after it starts")
    if form.registration_deadline > form.starts_at:
        raise WorkshopError("the booking deadline must be before the start")


def new_code(db: Session, starts_at: datetime) -> str:
    """A short unique workshop code like W2506-K3F9, readable over the phone."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        code = f"W{starts_at.astimezone(BANGKOK):%y%m}-" + "".join(secrets.choice(alphabet) for _ in range(4))
        if db.scalar(select(func.count()).select_from(Workshop).where(Workshop.code == code)) == 0:
            return code


def create(db: Session, form: WorkshopForm) -> Workshop:
    _check(form)
    workshop = Workshop(code=new_code(db, form.starts_at), seats_taken=0, status=WorkshopStatus.OPEN, **_fields(form))
    db.add(workshop)
    db.flush()
    return workshop


def _fields(form: WorkshopForm) -> dict[str, object]:
    return {
        "title": form.title.strip(),
        "title_en": (form.title_en or "").strip() or None,
        "category": form.category,
        "description": form.description.strip(),
        "venue": form.venue.strip(),
        "province": form.province.strip(),
        "region": form.region,
        "starts_at": form.starts_at,
        "ends_at": form.ends_at,
        "capacity": form.capacity,
        "registration_deadline": form.registration_deadline,
    }


def edit(db: Session, workshop_id: int, form: WorkshopForm, *, locales_dir: Path) -> Workshop:
    """Change a workshop; capacity may not drop below seats taken. Booked users hear of a move."""
    _check(form)
    workshop = _get(db, workshop_id)
    if workshop.status == WorkshopStatus.CANCELLED:
        raise WorkshopError("a cancelled workshop cannot be edited")
    moved = workshop.starts_at != form.starts_at or workshop.venue != form.venue.strip()
    changed = db.execute(  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
        update(Workshop)
        .where(Workshop.id == workshop_id, Workshop.seats_taken <= form.capacity)
        .values(**_fields(form))
    ).rowcount
    if not changed:
        raise WorkshopError("capacity is below the seats already taken")
    db.refresh(workshop)
    if moved:
        for user in _booked_users(db, workshop_id):
            t = Translator(locales_dir, user.language)
            outbox.push(
                db,
                user,
                [
                    Text(
                        t(
                            'The workshop "{title}" has changed: it now starts {when} at {venue}. '
                            "Your booking still stands.",
                            title=workshop_title(workshop, user.language),
                            when=day_and_time(workshop.starts_at, t.lang),
                            venue=workshop.venue,
                        )
                    )
                ],
            )
    return workshop


def close(db: Session, workshop_id: int) -> Workshop:
    """Stop taking bookings; the workshop still takes place."""
    workshop = _get(db, workshop_id)
    if workshop.status != WorkshopStatus.OPEN:
        raise WorkshopError("only an open workshop can be closed")
    workshop.status = WorkshopStatus.CLOSED
    return workshop


def reopen(db: Session, workshop_id: int) -> Workshop:
    workshop = _get(db, workshop_id)
    if workshop.status != WorkshopStatus.CLOSED:
        raise WorkshopError("only a closed workshop can be reopened")
    workshop.status = WorkshopStatus.OPEN
    return workshop


def cancel(db: Session, workshop_id: int, reason: str | None, *, locales_dir: Path, now: datetime | None = None) -> int:
    """Cancel the workshop and its bookings, telling each booked user; returns how many were told."""
    workshop = _get(db, workshop_id)
    if workshop.status == WorkshopStatus.CANCELLED:
        raise WorkshopError("the workshop is already cancelled")
    users = _booked_users(db, workshop_id)
    workshop.status = WorkshopStatus.CANCELLED
    db.execute(
        update(Booking)
        .where(Booking.workshop_id == workshop_id, Booking.status != BookingStatus.CANCELLED)
        .values(status=BookingStatus.CANCELLED, cancelled_at=now or utcnow())
    )
    told = 0
    for user in users:
        t = Translator(locales_dir, user.language)
        text = t(
            'We are sorry: the workshop "{title}" on {when} has been cancelled. Your booking is cancelled too.',
            title=workshop_title(workshop, user.language),
            when=day_and_time(workshop.starts_at, t.lang),
        )
        if reason and reason.strip():
            text += "\n" + t("Reason: {reason}", reason=reason.strip())
        if outbox.push(db, user, [Text(text)]) is not None:
            told += 1
    return told


def _get(db: Session, workshop_id: int) -> Workshop:
    workshop = db.get(Workshop, workshop_id, with_for_update=True)
    if workshop is None:
        raise WorkshopError("workshop not found")
    return workshop


def _booked_users(db: Session, workshop_id: int) -> list[LineUser]:
    """Users holding a confirmed or waiting-list booking, once each."""
    stmt = (
        select(LineUser)
        .join(Booking, Booking.user_id == LineUser.id)
        .where(Booking.workshop_id == workshop_id, Booking.status != BookingStatus.CANCELLED)
        .distinct()
    )
    return list(db.scalars(stmt))


def listing(db: Session, *, status: str | None = None) -> list[Workshop]:
    """Workshops soonest first: staff plan from the next one."""
    stmt = select(Workshop).order_by(Workshop.starts_at.asc(), Workshop.id)
    if status:
        stmt = stmt.where(Workshop.status == status)
    return list(db.scalars(stmt))


def checked_in_count(db: Session, workshop_id: int) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.workshop_id == workshop_id, Booking.checked_in_at.is_not(None))
        )
        or 0
    )


def waiting_count(db: Session, workshop_id: int) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.workshop_id == workshop_id, Booking.status == BookingStatus.WAITLISTED)
        )
        or 0
    )
