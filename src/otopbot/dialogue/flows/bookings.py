"""Booking seats, the waiting list, seeing and cancelling one's bookings.

```mermaid
flowchart TD
    tap([book:&lt;workshop&gt;]) --> reg{registered?}
    reg -- no --> registration[registration form, resume = book] --> tap
    reg -- yes --> seats{seats known?}
    seats -- no --> ask[how many seats? 1–5]
    seats -- yes --> take[conditional UPDATE]
    ask --> take
    take -- fits --> ok[confirmed: code + QR]
    take -- full --> offer[Confirm: join waiting list as number n?]
    offer -- yes --> wait[waiting list, position n]
    mine([my_bookings]) --> list[cards: confirmed / waiting, Cancel]
    cancel([cancel_booking]) --> which{how many?}
    which -- several --> list
    which -- one --> confirm[Confirm cancel?] -- yes --> freed[seats freed → first on waiting list promoted, pushed]
```
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from otopbot.clock import span
from otopbot.dialogue import filling, memory, reading
from otopbot.dialogue import state as states
from otopbot.dialogue.flows import registration
from otopbot.dialogue.flows.workshops import list_workshops, title_of
from otopbot.dialogue.menu import choice, with_menu
from otopbot.dialogue.turn import Turn
from otopbot.models import Booking, BookingStatus, ConversationState, Workshop
from otopbot.postbacks import (
    Book,
    CancelBooking,
    ChangeSeats,
    ConfirmCancel,
    JoinWaitlist,
    KeepBooking,
    MenuAction,
    MenuItem,
)
from otopbot.replies import Card, Carousel, Confirm, Image, Reply, Text
from otopbot.services import bookings as service
from otopbot.services import notices, registrations, workshops
from otopbot.services.bookings import CODE_ALPHABET, CODE_LENGTH, BookingResult, Outcome

SEATS_FORM = "seats"
CODE_PATTERN = re.compile(rf"\b[{CODE_ALPHABET}]{{{CODE_LENGTH}}}\b")


WORKSHOPS = MenuAction(MenuItem.WORKSHOPS).data
MY_BOOKINGS = MenuAction(MenuItem.MY_BOOKINGS).data


def _closed(turn: Turn) -> list[Reply]:
    return [
        with_menu(turn, turn.t("Sorry, this workshop is no longer taking bookings. Tap “Workshops” to see the others."))
    ]


def offer(db: Session, turn: Turn, workshop_id: int, seats: int | None) -> list[Reply]:
    """Book a workshop the user chose: register first if needed, then ask for seats if not known."""
    workshop = workshops.get(db, workshop_id)
    if workshop is None or not workshops.is_bookable(workshop, turn.now):
        return _closed(turn)
    if registrations.for_user(db, turn.user) is None:
        return registration.start(db, turn, states.BookAfter(workshop_id, seats))
    if (existing := service.active_booking(db, turn.user, workshop_id)) is not None:
        return _result(turn, workshop, BookingResult(Outcome.ALREADY, existing, _position(db, existing)), 1)
    if seats:
        return book(db, turn, workshop, seats)
    state = states.load(db, turn.user, turn.now)
    lead = turn.t(
        "You chose “{title}”, {when}.\n📍 {venue}",
        title=title_of(workshop, turn.t.lang),
        when=span(workshop.starts_at, workshop.ends_at, turn.t.lang),
        venue=workshop.venue,
    )
    started = filling.start(turn, state, SEATS_FORM, context=states.Context(workshop_id=workshop_id))
    return [Text(lead), *started.replies]


def waiting_while_registering(db: Session, turn: Turn, state: ConversationState) -> Text | None:
    """ "จองให้หน่อย ๒ คน" while registering on the way to a booking: that booking already waits for the
    registration to end, so the seats are noted instead of a new list of workshops; None when no
    booking waits or the message asks for other workshops (a place, a kind, a date)."""
    after = states.context(state).after
    said = turn.understanding.entities if turn.understanding else None
    if after is None or said is None or said.province or said.region or said.category or said.date:
        return None
    workshop = workshops.get(db, after.workshop_id)
    if workshop is None:
        return None
    title = title_of(workshop, turn.t.lang)
    if (seats := _seats(said.count)) is not None:
        states.update(state, after=replace(after, seats=seats))
        return Text(
            turn.t(
                "Noted: {seats} seats at “{title}”. Let's finish registering first, then I'll book them straight away.",
                seats=seats,
                title=title,
            )
        )
    return Text(
        turn.t("Your booking of “{title}” is waiting: let's finish registering first, then I'll book it.", title=title)
    )


def _position(db: Session, booking: Booking) -> int | None:
    return service.waitlist_position(db, booking) if booking.status == BookingStatus.WAITLISTED else None


def _seats(asked: int | None) -> int | None:
    return asked if asked is not None and 1 <= asked <= service.MAX_SEATS else None


def on_book(db: Session, turn: Turn, postback: Book) -> list[Reply]:
    """Postback `book:<workshop_id>[:<seats>]` from a workshop card."""
    return offer(db, turn, postback.workshop_id, _seats(postback.seats))


def complete_seats(db: Session, turn: Turn, values: dict[str, Any], context: states.Context) -> list[Reply]:
    workshop = workshops.get(db, context.workshop_id) if context.workshop_id is not None else None
    if workshop is None:
        return _closed(turn)
    return book(db, turn, workshop, int(values["seats"]))


def resume_booking(db: Session, turn: Turn, after: states.BookAfter) -> list[Reply]:
    """Back to the booking the user wanted before registering."""
    return offer(db, turn, after.workshop_id, after.seats)


def book(db: Session, turn: Turn, workshop: Workshop, seats: int, *, waitlist: bool = False) -> list[Reply]:
    result = service.book(db, turn.user, workshop, seats, turn.now, waitlist=waitlist)
    return _result(turn, workshop, result, seats)


def _confirmed(turn: Turn, workshop: Workshop, booking: Booking) -> list[Reply]:
    text = turn.t(
        "Booked! ✅\n{title}\n📅 {when}\n📍 {venue}\nSeats: {seats}\nBooking code: {code}\n"
        "Show this code at check-in. I'll remind you the day before.",
        title=title_of(workshop, turn.t.lang),
        when=span(workshop.starts_at, workshop.ends_at, turn.t.lang),
        venue=workshop.venue,
        seats=booking.seats,
        code=booking.code,
    )
    replies: list[Reply] = [Text(text)]
    base = turn.context.settings.public_base_url
    if base and base.startswith("https://"):  # LINE shows images from https addresses only
        url = f"{base.rstrip('/')}/qr/{booking.code}.png"
        replies.append(Image(url=url, preview_url=url))
    return replies


def _full(turn: Turn, workshop: Workshop, seats: int, position: int) -> list[Reply]:
    text = turn.t(
        "Sorry, “{title}” is full. Would you like to join the waiting list? You would be number {position}.",
        title=title_of(workshop, turn.t.lang),
        position=position,
    )
    yes = choice(turn, "Join waiting list", JoinWaitlist(workshop.id, seats).data)
    no = choice(turn, "Other workshops", WORKSHOPS)
    return [Confirm(text[:240], yes, no)]


def _already(turn: Turn, booking: Booking, position: int | None) -> list[Reply]:
    if position is not None:
        text = turn.t(
            "You're already on the waiting list for this workshop (number {position}, code {code}).",
            position=position,
            code=booking.code,
        )
    else:
        text = turn.t(
            "You've already booked this workshop: {seats} seat(s), booking code {code}. To change the "
            "number of seats, cancel this booking and book again.",
            seats=booking.seats,
            code=booking.code,
        )
    return [Text(text, (choice(turn, "My bookings", MY_BOOKINGS),))]


def _result(turn: Turn, workshop: Workshop, result: BookingResult, seats: int) -> list[Reply]:
    if result.outcome == Outcome.CONFIRMED and result.booking:
        return _confirmed(turn, workshop, result.booking)
    if result.outcome == Outcome.FULL:
        return _full(turn, workshop, seats, result.position or 1)
    if result.outcome == Outcome.WAITLISTED and result.booking:
        return [
            with_menu(
                turn,
                turn.t(
                    "You're on the waiting list, number {position} (code {code}). If a seat opens up I'll book it for "
                    "you and tell you here.",
                    position=result.position,
                    code=result.booking.code,
                ),
            )
        ]
    if result.outcome == Outcome.ALREADY and result.booking:
        return _already(turn, result.booking, result.position)
    return _closed(turn)


def on_wait(db: Session, turn: Turn, postback: JoinWaitlist) -> list[Reply]:
    """Postback `wait:<workshop_id>:<seats>`: join the waiting list (or get a seat freed meanwhile)."""
    workshop = workshops.get(db, postback.workshop_id)
    if workshop is None or registrations.for_user(db, turn.user) is None:
        return _closed(turn)
    return book(db, turn, workshop, _seats(postback.seats) or 1, waitlist=True)


# --- seeing and cancelling ---------------------------------------------------------------------


def _booking_card(db: Session, turn: Turn, booking: Booking) -> Card:
    workshop = db.get(Workshop, booking.workshop_id)
    assert workshop is not None  # a booking always has its workshop (foreign key)
    lang = turn.t.lang
    if booking.status == BookingStatus.WAITLISTED:
        status = turn.t("⏳ Waiting list, number {position}", position=service.waitlist_position(db, booking))
    else:
        status = turn.t("✅ Confirmed, {seats} seat(s)", seats=booking.seats)
    lines = (
        status,
        turn.t("Booking code: {code}", code=booking.code),
        f"📅 {span(workshop.starts_at, workshop.ends_at, lang)}",
        f"📍 {workshop.venue}, {workshop.province}",
    )
    cancel = choice(turn, "Cancel booking", CancelBooking(booking.code).data, destructive=True)
    return Card(title_of(workshop, lang), lines, (cancel,), alt_text=title_of(workshop, lang))


def _bookings_carousel(db: Session, turn: Turn, upcoming: list[Booking]) -> Carousel:
    cards = tuple(_booking_card(db, turn, b) for b in upcoming[:10])
    return Carousel(cards, alt_text=turn.t("Your bookings ({n})", n=len(upcoming)))


def _no_bookings(turn: Turn) -> list[Reply]:
    return [Text(turn.t("You have no upcoming bookings."), (choice(turn, "Workshops", WORKSHOPS),))]


def my_bookings(db: Session, turn: Turn) -> list[Reply]:
    """Upcoming confirmed bookings and waiting-list places."""
    upcoming = service.upcoming_for(db, turn.user, turn.now)
    if not upcoming:
        return _no_bookings(turn)
    return [Text(turn.t("Your upcoming bookings:")), _bookings_carousel(db, turn, upcoming)]


def cancel_from_text(db: Session, turn: Turn) -> list[Reply]:
    """Intent cancel_booking: confirm the one booking (or the one whose code was typed), else ask which."""
    upcoming = service.upcoming_for(db, turn.user, turn.now)
    if not upcoming:
        return _no_bookings(turn)
    typed = set(CODE_PATTERN.findall((turn.text or "").upper()))
    chosen = [b for b in upcoming if b.code in typed] or (upcoming if len(upcoming) == 1 else [])
    if len(chosen) == 1:
        return _confirm_cancel(db, turn, chosen[0])
    return [
        Text(turn.t("Which booking would you like to cancel? Tap “Cancel booking” on it.")),
        _bookings_carousel(db, turn, upcoming),
    ]


def _own_active(db: Session, turn: Turn, code: str) -> Booking | None:
    booking = service.by_code(db, code)
    ok = booking is not None and booking.user_id == turn.user.id and booking.status in service.ACTIVE
    return booking if ok else None


def _confirm_cancel(db: Session, turn: Turn, booking: Booking) -> list[Reply]:
    workshop = db.get(Workshop, booking.workshop_id)
    assert workshop is not None
    text = turn.t(
        "Cancel booking {code} for “{title}”, {when}?",
        code=booking.code,
        title=title_of(workshop, turn.t.lang),
        when=span(workshop.starts_at, workshop.ends_at, turn.t.lang),
    )
    yes = choice(turn, "Yes, cancel it", ConfirmCancel(booking.code).data)
    no = choice(turn, "No, keep it", KeepBooking(booking.code).data)
    return [Confirm(text[:240], yes, no)]


def on_cancel(db: Session, turn: Turn, postback: CancelBooking) -> list[Reply]:
    """Postback `cancel:<code>`: ask to confirm."""
    booking = _own_active(db, turn, postback.code)
    return _confirm_cancel(db, turn, booking) if booking else _no_such(turn)


def _no_such(turn: Turn) -> list[Reply]:
    return [Text(turn.t("That booking is no longer active."), (choice(turn, "My bookings", MY_BOOKINGS),))]


def on_cancel_confirmed(db: Session, turn: Turn, postback: ConfirmCancel) -> list[Reply]:
    """Postback `cancelok:<code>`: cancel, free the seats, promote the waiting list."""
    booking = _own_active(db, turn, postback.code)
    if booking is None:
        return _no_such(turn)
    was_waiting = booking.status == BookingStatus.WAITLISTED
    promoted = service.cancel_booking(db, booking, turn.now)
    notices.seats_opened(db, promoted, turn.context.settings.locales_dir)
    if was_waiting:
        return [with_menu(turn, turn.t("You've left the waiting list ({code}).", code=booking.code))]
    if promoted:  # only then is it true that someone got the seat
        return [
            with_menu(
                turn,
                turn.t(
                    "Your booking {code} is cancelled. Thank you for letting us know — the seat goes to the next "
                    "person on the waiting list.",
                    code=booking.code,
                ),
            )
        ]
    return [
        with_menu(turn, turn.t("Your booking {code} is cancelled. Thank you for letting us know.", code=booking.code))
    ]


def on_keep(db: Session, turn: Turn, postback: KeepBooking) -> list[Reply]:
    return [with_menu(turn, turn.t("OK, your booking {code} stays as it is.", code=postback.code))]


def book_from_text(db: Session, turn: Turn) -> list[Reply]:
    """Intent book_workshop: book the one workshop just shown ("จองอันนี้ 2 ที่"), else show the matching
    workshops with Book buttons (seats carried if said)."""
    said = turn.understanding.entities if turn.understanding else None
    names_another = said is not None and bool(said.category or said.province or said.region or said.date or said.widen)
    last = memory.last_search(db, turn.user, turn.now)
    in_form = states.active(states.load(db, turn.user, turn.now))  # a detour from a form starts no other
    if not names_another and not in_form and last is not None and len(last.shown) == 1:
        return offer(db, turn, last.shown[0], _seats(said.count if said else None))
    return list_workshops(db, turn)


# --- changing the seats of a booking ("เปลี่ยนใจ ขอ 3 ที่", "ขอเพิ่มอีก 1 คน", "ลดเหลือที่เดียว") ---------

CHANGE_WORDS = ("เปลี่ยน", "เปลี่ยนใจ", "แก้", "เพิ่ม", "ลด", "เหลือ", "change", "instead", "add", "reduce")
RECENT_BOOKING = timedelta(hours=1)  # "change it to 3" right after booking means the booking just made


def seat_change_request(db: Session, turn: Turn) -> list[Reply]:
    """A request to change a booking's seats: confirm it for the booking it must mean; [] when it is not one."""
    said = turn.understanding.entities.count if turn.understanding else None
    words = reading.read(turn.text or "")
    if said is None or not words.has(*CHANGE_WORDS):
        return []
    booking = _booking_meant(db, turn)
    if booking is None:
        return []
    seats = booking.seats + said if words.has("อีก") and words.has("เพิ่ม") else said
    if not 1 <= seats <= service.MAX_SEATS:
        return [Text(turn.t("One booking can hold 1 to {most} seats.", most=service.MAX_SEATS))]
    workshop = db.get(Workshop, booking.workshop_id)
    assert workshop is not None
    text = turn.t(
        "Change booking {code} for “{title}” from {old} to {new} seat(s)?",
        code=booking.code,
        title=title_of(workshop, turn.t.lang),
        old=booking.seats,
        new=seats,
    )
    yes = choice(turn, "Yes, change it", ChangeSeats(booking.code, seats).data)
    no = choice(turn, "No, keep it", KeepBooking(booking.code).data)
    return [Confirm(text[:240], yes, no)]


def _booking_meant(db: Session, turn: Turn) -> Booking | None:
    """The booking whose code was typed, the only upcoming one, or the one made within the last hour."""
    upcoming = service.upcoming_for(db, turn.user, turn.now)
    typed = set(CODE_PATTERN.findall((turn.text or "").upper()))
    by_code = [b for b in upcoming if b.code in typed]
    if by_code or len(upcoming) == 1:
        return (by_code or upcoming)[0]
    recent = [b for b in upcoming if turn.now - b.created_at <= RECENT_BOOKING]
    return max(recent, key=lambda b: b.created_at) if recent else None


def on_change_seats(db: Session, turn: Turn, postback: ChangeSeats) -> list[Reply]:
    """Postback `seats:<code>:<n>`: change the seats; freed seats go to the waiting list."""
    booking = _own_active(db, turn, postback.code)
    if booking is None:
        return _no_such(turn)
    old = booking.seats
    outcome, promoted = service.change_seats(db, booking, postback.seats, turn.now)
    notices.seats_opened(db, promoted, turn.context.settings.locales_dir)
    if outcome == service.SeatChange.CHANGED:
        text = turn.t("Done — booking {code} now holds {seats} seat(s).", code=booking.code, seats=booking.seats)
    elif outcome == service.SeatChange.SAME:
        text = turn.t("Booking {code} already holds {seats} seat(s).", code=booking.code, seats=old)
    elif outcome == service.SeatChange.FULL:
        text = turn.t(
            "Sorry, there aren't enough free seats for that. Your booking {code} keeps its {seats} seat(s).",
            code=booking.code,
            seats=old,
        )
    else:
        text = turn.t("This booking can no longer be changed: the workshop has closed its bookings.")
    return [with_menu(turn, text)]
