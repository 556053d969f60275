"""Contacting staff: take the question (and a call-back number), queue it for the console.

```mermaid
flowchart LR
    ask([contact_staff / menu:contact]) --> msg{message in the request?}
    msg -- no --> what[what would you like to ask?]
    msg -- yes --> phone
    what --> phone{phone known?<br/>message or registration}
    phone -- no --> number[phone number? Skip allowed]
    phone -- yes --> open
    number --> open[Question kind=contact] --> when[staff answer within 1 working day]
```
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from otopbot.dialogue import filling
from otopbot.dialogue import state as states
from otopbot.dialogue.menu import with_menu
from otopbot.dialogue.turn import Turn
from otopbot.replies import Reply, Text
from otopbot.services import handoff as service
from otopbot.services import registrations

FORM = "contact"
SELF_CONTAINED_LENGTH = 30  # a request this long usually says what it is about


def begin(db: Session, turn: Turn) -> list[Reply]:
    """Intent contact_staff, or the Contact staff menu button."""
    values: dict[str, Any] = {}
    text = (turn.text or "").strip()
    if turn.understanding is not None and len(text) >= SELF_CONTAINED_LENGTH:
        values["message"] = text
    registration = registrations.for_user(db, turn.user)
    said_phone = turn.understanding.entities.phone if turn.understanding else None
    if registration is not None and registration.phone and not said_phone:
        values["phone"] = registration.phone
    state = states.load(db, turn.user, turn.now)
    progress = filling.start(turn, state, FORM, values=values)
    if progress.done is not None:
        return complete(db, turn, progress.done, progress.context)
    lead = Text(turn.t("Sure — I'll pass your message to our staff."))
    return [lead, *progress.replies]


def complete(db: Session, turn: Turn, values: dict[str, Any], context: states.Context) -> list[Reply]:
    """Queue the request for staff, exactly as typed, with the call-back number if one was given."""
    phone = values.get("phone")
    service.open_contact(db, turn.user, values.get("message"), phone, turn.now)
    if phone:
        text = turn.t("Thank you. Our staff will get back to you within 1 working day, here in LINE or by "
                      "phone on {phone}.", phone=str(phone))
    else:
        text = turn.t("Thank you. Our staff will answer you here in LINE within 1 working day.")
    return [with_menu(turn, text)]
