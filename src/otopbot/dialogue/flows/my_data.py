"""“ข้อมูลของฉัน”: what we keep about the user, changing it, and erasing it (PDPA).

```mermaid
flowchart LR
    show([ข้อมูลของฉัน / mydata:show]) --> card[what we keep + Change / Delete]
    card -- Change --> edit[registration summary → pick a field]
    del([delete_my_data / erase:ask]) --> confirm{Confirm}
    card -- Delete --> confirm
    confirm -- yes --> erase[null personal fields, cancel future bookings,<br/>waiting list promoted,
    anonymous ErasureRecord] --> done[done + how to come back]
    confirm -- no --> kept[nothing deleted]
```
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from otopbot.clock import day
from otopbot.dialogue import state as states
from otopbot.dialogue.flows import registration
from otopbot.dialogue.forms import form_named, summary_lines
from otopbot.dialogue.menu import choice, with_menu
from otopbot.dialogue.turn import Turn
from otopbot.postbacks import Erase, EraseStep, MyData, MyDataStep
from otopbot.replies import Card, Choice, Confirm, Reply
from otopbot.services import my_data as service
from otopbot.services import registrations

SHOWN_CERTIFICATES = 2  # more than this are counted, not listed: the card must fit a phone screen


def _nothing_kept(turn: Turn) -> Card:
    """After erasing (or before registering) there is nothing to delete: say so and offer registration."""
    title = turn.t("What we keep about you")
    text = turn.t("Nothing: we keep no personal data about you — not registered, no bookings, no messages to staff.")
    return Card(title, (text,), (choice(turn, "Register", "menu:register"),), alt_text=title)


def _certificate_lines(turn: Turn, stored: service.StoredData) -> tuple[str, ...]:
    """The newest certificates with their verification codes (what /verify shows); older ones counted."""
    shown = stored.certificates[:SHOWN_CERTIFICATES]
    lines = tuple(
        turn.t(
            "Certificate {code}: {title} ({date})",
            code=c.code,
            title=c.workshop_title,
            date=day(c.workshop_date, turn.t.lang),
        )
        for c in shown
    )
    hidden = len(stored.certificates) - len(shown)
    return lines + ((turn.t("Older certificates: {n}", n=hidden),) if hidden else ())


def _kept_lines(turn: Turn, stored: service.StoredData) -> tuple[str, ...]:
    """One line per kind of data, counts rather than lists, only what exists (besides consent and registration)."""
    user, asked, rated = stored.user, stored.asked, stored.surveys
    consent = day(user.consent_at, turn.t.lang) if user.consent_at else turn.t("not given")
    status = (
        registration.status_label(turn, stored.registration.status) if stored.registration else turn.t("not registered")
    )
    lines = [turn.t("Privacy consent: {when}", when=consent), turn.t("Registration: {status}", status=status)]
    if stored.upcoming or stored.past_bookings:
        lines.append(
            turn.t(
                "Bookings: {upcoming} upcoming, {past} past", upcoming=len(stored.upcoming), past=stored.past_bookings
            )
        )
    lines += _certificate_lines(turn, stored)
    if rated.ratings or rated.comments:
        lines.append(
            turn.t("Workshop ratings: {n}, your comments: {comments}", n=rated.ratings, comments=rated.comments)
        )
    if asked.total:
        lines.append(
            turn.t("Questions to staff: {n} (awaiting an answer: {waiting})", n=asked.total, waiting=asked.waiting)
        )
    if asked.phone and (stored.registration is None or asked.phone != stored.registration.phone):
        lines.append(turn.t("Call-back number: {phone}", phone=asked.phone))
    lines.append(
        turn.t("What you type in this chat is deleted after {days} days.", days=turn.context.settings.retention_days)
    )
    return tuple(lines)


def _about(turn: Turn, stored: service.StoredData) -> Card:
    if not stored.holds_anything:
        return _nothing_kept(turn)
    actions: tuple[Choice, ...] = (
        (choice(turn, "Change details", MyData(MyDataStep.EDIT).data),) if stored.registration else ()
    )
    actions += (choice(turn, "Delete my data", Erase(EraseStep.ASK).data, destructive=True),)
    title = turn.t("What we keep about you")
    return Card(title, _kept_lines(turn, stored), actions, alt_text=title)


def _started(turn: Turn, values: dict[str, Any]) -> Card:
    """A registration paused half-way ("พอก่อน"): its answers are kept too, so they are shown with a way on."""
    title = turn.t("Registration you started (not sent yet)")
    lines = summary_lines(turn, form_named(turn, registration.FORM), values)
    actions = (
        choice(turn, "Go on registering", "menu:register"),
        choice(turn, "Delete my data", Erase(EraseStep.ASK).data, destructive=True),
    )
    return Card(title, lines, actions, alt_text=title)


def show(db: Session, turn: Turn) -> list[Reply]:
    """Everything stored about the user: the account, then the registration's details (or its draft)."""
    stored = service.stored_for(db, turn.user, turn.now)
    started = states.draft(states.load(db, turn.user, turn.now), registration.FORM, turn.now)
    if started and stored.registration is None:
        kept: list[Reply] = [_started(turn, started)]
        return kept + [_about(turn, stored)] if stored.holds_anything else kept
    replies: list[Reply] = [_about(turn, stored)]
    if stored.registration is not None:
        values = registrations.form_values(stored.registration)
        lines = summary_lines(turn, form_named(turn, registration.FORM), values)
        if stored.registration.reference:
            lines = (turn.t("Reference no.: {reference}", reference=stored.registration.reference), *lines)
        replies.insert(0, Card(turn.t("Your registration"), lines, alt_text=turn.t("Your registration")))
    return replies


def ask_erase(db: Session, turn: Turn) -> list[Reply]:
    """Intent delete_my_data: confirm first — erasure cannot be undone."""
    text = turn.t(
        "This deletes your registration, contact details, questions and survey comments, withdraws "
        "your certificates and cancels your upcoming bookings. It cannot be undone. Delete your data?"
    )
    return [
        Confirm(
            text,
            choice(turn, "Yes, delete", Erase(EraseStep.YES).data),
            choice(turn, "No, keep it", Erase(EraseStep.NO).data),
        )
    ]


def erase(db: Session, turn: Turn) -> list[Reply]:
    service.erase(db, turn.user, turn.now, locales_dir=turn.context.settings.locales_dir)
    return [
        with_menu(
            turn,
            turn.t(
                "Done. Your personal data has been deleted and your upcoming bookings cancelled. You can still chat "
                "with me; to register again, type “register”."
            ),
        )
    ]


def keep(db: Session, turn: Turn) -> list[Reply]:
    return [with_menu(turn, turn.t("OK, nothing was deleted."))]
