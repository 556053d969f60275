"""Attendance certificates: issued once per checked-in booking after the workshop, verifiable by code.

Issuing follows the survey's pattern: the certificate row (unique on `booking_id`) is inserted in the
same transaction as the outbox row that sends it, so two workers, or a restart, send it once. What
is printed (names, title, date) is copied onto the row: `/verify/<code>` shows exactly that and no
more. LINE only accepts https image URLs, so the image goes only when PUBLIC_BASE_URL is https;
otherwise the text carries the verification code (and the address when there is one).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from otopbot.clock import day
from otopbot.db import insert_ignoring_duplicates
from otopbot.models import (
    Booking,
    Certificate,
    LineUser,
    Registration,
    Workshop,
)
from otopbot.replies import Image, Reply, Text
from otopbot.services import checkin, notices
from otopbot.services.bookings import CODE_ALPHABET
from otopbot.services.surveys import title_for

CODE_LENGTH = 10
ISSUE_WITHIN = timedelta(days=7)  # after that, a late check-in correction no longer sends one by itself


def new_code() -> str:
    """Ten characters without look-alikes (about 50 bits): not guessable, easy to read aloud."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verify_url(base_url: str | None, code: str) -> str | None:
    return f"{base_url.rstrip('/')}/verify/{code}" if base_url else None


def image_url(base_url: str | None, code: str) -> str | None:
    """Only an https address: LINE refuses image URLs of any other scheme."""
    return f"{base_url.rstrip('/')}/certificates/{code}.png" if base_url and base_url.startswith("https://") else None


def _due(db: Session, now: datetime) -> list[tuple[Booking, Workshop]]:
    already = select(Certificate.id).where(Certificate.booking_id == Booking.id)
    return checkin.attended_lately(db, now, ISSUE_WITHIN, already)


def _claim(db: Session, booking: Booking, workshop: Workshop, user: LineUser, now: datetime) -> Certificate | None:
    """Insert the booking's certificate; the row if this call inserted it, None if someone else did."""
    registration = db.scalar(
        select(Registration).where(Registration.user_id == user.id, Registration.erased_at.is_(None))
    )
    row = {
        "code": new_code(),
        "booking_id": booking.id,
        "workshop_id": workshop.id,
        "user_id": user.id,
        "enterprise_name": registration.enterprise_name if registration else None,
        "contact_name": registration.contact_name if registration else None,
        "workshop_title": title_for(workshop, user.language)[:200],
        "workshop_date": workshop.starts_at,
        "language": user.language,
        "issued_at": now,
    }
    if not insert_ignoring_duplicates(db, Certificate, row, "booking_id"):
        return None
    return db.scalars(select(Certificate).where(Certificate.booking_id == booking.id)).one()


def message(certificate: Certificate, user: LineUser, base_url: str | None, locales_dir: Path | None) -> list[Reply]:
    t = notices.translator_for(user, locales_dir)
    title, code = certificate.workshop_title, certificate.code
    link = verify_url(base_url, code)
    text = (
        t(
            "Your certificate of attendance for “{title}” ({date}) is ready. Verification code: {code}. "
            "Anyone can check it at {link}",
            title=title,
            date=day(certificate.workshop_date, user.language),
            code=code,
            link=link,
        )
        if link
        else t(
            "Your certificate of attendance for “{title}” ({date}) is ready. Verification code: {code}.",
            title=title,
            date=day(certificate.workshop_date, user.language),
            code=code,
        )
    )
    replies: list[Reply] = [Text(text)]
    if (url := image_url(base_url, code)) is not None:
        replies.append(Image(url=url, preview_url=f"{url}?preview=1"))
    return replies


def queue_due_certificates(db: Session, now: datetime, *, base_url: str | None, locales_dir: Path | None = None) -> int:
    """Issue and send every certificate now due; return how many this call queued."""
    queued = 0
    for booking, workshop in _due(db, now):
        user = db.get(LineUser, booking.user_id) if booking.user_id else None
        certificate = _claim(db, booking, workshop, user, now) if user is not None else None
        if user is None or certificate is None:
            continue
        queued += notices.push(db, user, message(certificate, user, base_url, locales_dir))
    return queued


def by_code(db: Session, code: str) -> Certificate | None:
    if not (0 < len(code) <= 16 and code.isalnum()):
        return None
    return db.scalar(select(Certificate).where(Certificate.code == code.upper()))


def withdraw_for_user(db: Session, user_id: int, now: datetime) -> None:
    """Erasure: clear the names printed on the user's certificates and mark them withdrawn."""
    db.execute(
        update(Certificate)
        .where(Certificate.user_id == user_id)
        .values(
            enterprise_name=None,
            contact_name=None,
            user_id=None,
            withdrawn_at=now,
        )
        .execution_options(synchronize_session=False)
    )
