"""Messages the bot sends on its own (a seat opened, a reminder), worded in each recipient's language.

Domain services return facts — the bookings promoted, the reminders claimed — and the caller hands
them here, in the same transaction, so the words live in one layer and services take no catalogs.
Services run outside a conversation (worker, staff console), so the recipient's translator is
built here instead of coming from a `Turn`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from otopbot.cards import workshop_title
from otopbot.clock import span
from otopbot.i18n import Translator
from otopbot.models import Booking, LineUser, Workshop
from otopbot.replies import Reply, Text
from otopbot.services import outbox
from otopbot.settings import PROJECT_ROOT

DEFAULT_LOCALES_DIR = PROJECT_ROOT / "locales"


def translator_for(user: LineUser, locales_dir: Path | None = None) -> Translator:
    """The user's own language, from the given catalogs (or the checkout's locales/)."""
    return Translator(locales_dir or DEFAULT_LOCALES_DIR, user.language)


def push(db: Session, user: LineUser, replies: Sequence[Reply]) -> bool:
    """Queue replies for one user in the caller's transaction; False if they no longer follow us."""
    return outbox.push(db, user, replies) is not None


def seats_opened(db: Session, promoted: Iterable[Booking], locales_dir: Path | None = None) -> int:
    """Tell each user promoted from the waiting list that their booking is confirmed; return how many."""
    told = 0
    for booking in promoted:
        user = db.get(LineUser, booking.user_id) if booking.user_id else None
        workshop = db.get(Workshop, booking.workshop_id)
        if user is None or workshop is None:
            continue
        t = translator_for(user, locales_dir)
        text = t(
            "Good news! A seat has opened up on “{title}” ({when}). Your booking {code} for {seats} seat(s) is now "
            "confirmed. Tap “My bookings” in the menu to see it.",
            title=workshop_title(workshop, user.language),
            when=span(workshop.starts_at, workshop.ends_at, t.lang),
            code=booking.code,
            seats=booking.seats,
        )
        told += push(db, user, [Text(text)])
    return told


def remind(db: Session, due: Iterable[tuple[LineUser, Booking, Workshop]], locales_dir: Path | None = None) -> int:
    """Remind each user of their workshop tomorrow; return how many reminders were queued."""
    queued = 0
    for user, booking, workshop in due:
        t = translator_for(user, locales_dir)
        text = t(
            "Reminder: “{title}” is tomorrow, {when}, at {venue}. Your booking code is {code} ({seats} seat(s)). "
            "If you can no longer come, please cancel in “My bookings” so someone on the waiting list can go.",
            title=workshop_title(workshop, user.language),
            when=span(workshop.starts_at, workshop.ends_at, t.lang),
            venue=workshop.venue,
            code=booking.code,
            seats=booking.seats,
        )
        queued += push(db, user, [Text(text)])
    return queued
