"""Registering an enterprise's interest: privacy consent first, then the declared registration form.

```mermaid
flowchart TD
    start([register / menu:register / book while unregistered]) --> known{already registered?}
    known -- yes --> details[show details + edit button]
    known -- no --> consent{consent given before?}
    consent -- no --> notice[privacy notice + Confirm]
    notice -- no --> nothing[nothing stored; how to come back]
    notice -- yes --> slots
    consent -- yes --> slots[name → type → CE no. → province → category → products → contact → phone → help]
    slots --> summary[summary card]
    summary -- change --> pick[pick a field] --> slots
    summary -- confirm --> saved[registration pending] --> resume{resume?}
    resume -- book --> booking[back to the booking]
```
Entities in the first message (ทำเซรามิกที่ลำปาง) pre-fill their slots.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from otopbot.dialogue import corrections, filling, forms, reading
from otopbot.dialogue import state as states
from otopbot.dialogue.menu import choice, with_menu
from otopbot.dialogue.turn import Turn
from otopbot.i18n import N_
from otopbot.postbacks import MenuAction, MenuItem, MyData, MyDataStep
from otopbot.replies import Reply, Text
from otopbot.services import registrations

FORM = "registration"

STATUS_LABELS = {
    "pending": N_("waiting for DIP's selection"),
    "selected": N_("selected for the programme"),
    "declined": N_("not selected this round"),
}


def begin(db: Session, turn: Turn) -> list[Reply]:
    """Intent register_interest, or the Register menu button."""
    if (asked := about_registering(turn)) is not None:
        return asked
    if registrations.for_user(db, turn.user) is not None:
        text = turn.t("You're already registered. You can check or change your details here.")
        return [
            Text(
                text,
                (
                    choice(turn, "My data", MyData(MyDataStep.SHOW).data),
                    choice(turn, "Change details", MyData(MyDataStep.EDIT).data),
                ),
            )
        ]
    return start(db, turn)


def about_registering(turn: Turn) -> list[Reply] | None:
    """A typed question about taking part ("โครงการนี้เสียเงินไหม", "ใครสมัครได้บ้าง") answered from the
    form's own facts, with a button to register: asking about it is not yet wanting to start the form."""
    if turn.postback is not None or not turn.text:
        return None
    known = filling.known_answer(turn, forms.form_named(turn, FORM), reading.read(turn.text))
    if known is None:
        return None
    return [Text(known, (choice(turn, "Register", MenuAction(MenuItem.REGISTER).data),))]


def start(db: Session, turn: Turn, after: states.BookAfter | None = None) -> list[Reply]:
    """Start (or continue) the registration form; `after` is the booking to go back to once it is done."""
    state = states.load(db, turn.user, turn.now)
    if state.form == FORM:  # a workshop card tapped mid-registration: say it is kept, then go on
        if after is None:
            return forms.prompt(turn, state)
        states.update(state, after=after)
        kept = turn.t("Noted — once your registration is done I'll take you straight back to that booking.")
        return [Text(kept), *forms.prompt(turn, state)]
    draft = states.draft(state, FORM, turn.now)
    if draft:
        intro = turn.t("Welcome back — I kept the answers you gave before, so let's go on from there.")
    elif after:
        intro = turn.t("First, a quick registration (about 2 minutes) — then I'll take you back to your booking.")
    else:
        intro = turn.t(
            "Great, let's register your interest. It takes about 2 minutes; type “ยกเลิก” at any time to stop."
        )
    progress = filling.start(turn, state, FORM, values=draft, context=states.Context(after=after))
    return [Text(intro), *progress.replies]


def edit(db: Session, turn: Turn) -> list[Reply]:
    """Show the user's registration as the form's summary, ready to correct."""
    registration = registrations.for_user(db, turn.user)
    if registration is None:
        return begin(db, turn)
    state = states.load(db, turn.user, turn.now)
    return filling.start(turn, state, FORM, values=registrations.form_values(registration), at_summary=True).replies


def change_from_text(db: Session, turn: Turn) -> list[Reply] | None:
    """A registered owner changing one detail in a sentence ("ขอเปลี่ยนเบอร์เป็น 08…"): the details to
    check, with the change made; None when the message does not change a registered detail."""
    text = turn.text or ""
    found = reading.read(text)
    if not any(found.has(marker) for marker in corrections.MARKERS):
        return None
    registration = registrations.for_user(db, turn.user)
    if registration is None:
        return None
    values = registrations.form_values(registration)
    fix = corrections.find(turn, forms.form_named(turn, FORM), values, text, pending=None)
    if fix is None or fix.value is None:
        return edit(db, turn) if fix is not None else None
    if not fix.slot.clears:  # saved at once: the owner said what to change, and is told it is done
        registrations.submit(db, turn.user, {**values, fix.slot.name: fix.value}, turn.now)
        saved = turn.t("Your details have been updated. Thank you!")
        return [with_menu(turn, f"{filling.change_note(turn, fix.slot, fix.value)}\n{saved}")]
    state = states.load(db, turn.user, turn.now)
    filling.start(turn, state, FORM, values=values, at_summary=True)
    return filling.answer_text(turn, state, text).replies


def complete(db: Session, turn: Turn, values: dict[str, Any], context: states.Context) -> list[Reply]:
    """Save the registration (pending DIP's selection) and thank the user."""
    submitted = registrations.submit(db, turn.user, values, turn.now)
    if not submitted.created:
        return [with_menu(turn, turn.t("Your details have been updated. Thank you!"))]
    return [
        with_menu(
            turn,
            turn.t(
                "Thank you! Your registration has been received and is waiting for DIP's selection. Your reference "
                "number is {reference}; quote it when you contact staff. We'll let you know here in LINE. Meanwhile "
                "you can book workshops and ask about standards.",
                reference=submitted.registration.reference or "–",
            ),
        )
    ]


def status_label(turn: Turn, status: str) -> str:
    return turn.t(STATUS_LABELS.get(status, status))
