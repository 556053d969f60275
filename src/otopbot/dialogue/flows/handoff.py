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

from otopbot.dialogue import filling, reading
from otopbot.dialogue import state as states
from otopbot.dialogue.menu import with_menu
from otopbot.dialogue.turn import Turn
from otopbot.replies import Reply, Text
from otopbot.services import handoff as service
from otopbot.services import registrations

FORM = "contact"
SELF_CONTAINED_LENGTH = 30  # a request this long usually says what it is about
# words of a question about how to reach staff ("เบอร์อะไร", "ติดต่อทางไหน"), not a message for them
CHANNEL_WORDS = ("เบอร์", "โทร", "เบอร์โทร", "ที่อยู่", "อีเมล", "อีเมล์", "email", "phone", "number", "address")


def asks_for_channel(text: str) -> bool:
    """ "ขอเบอร์เจ้าหน้าที่หน่อย", "โทรหาใครได้บ้าง": the owner wants our contact details, not to leave a message."""
    words = reading.read(text)
    return words.has(*CHANNEL_WORDS) and (words.question or words.has("ขอ")) and not words.has("โทรกลับ", "โทรมา")


def begin(db: Session, turn: Turn) -> list[Reply]:
    """Intent contact_staff, or the Contact staff menu button.

    Asked for a phone number or an address, the bot gives DSS's verified number first and still offers
    to pass a message on; the question itself is not the message.
    """
    values: dict[str, Any] = {}
    text = (turn.text or "").strip()
    channel = turn.understanding is not None and asks_for_channel(text)
    if turn.understanding is not None and len(text) >= SELF_CONTAINED_LENGTH and not channel:
        values["message"] = text
    registration = registrations.for_user(db, turn.user)
    said_phone = turn.understanding.entities.phone if turn.understanding else None
    if registration is not None and registration.phone and not said_phone:
        values["phone"] = registration.phone
    state = states.load(db, turn.user, turn.now)
    progress = filling.start(turn, state, FORM, values=values)
    if progress.done is not None:
        return complete(db, turn, progress.done, progress.context)
    if channel:
        lead = Text(
            turn.t(
                "You can call the Department of Science Service (DSS) on 02 201 7000 during office "
                "hours. Or leave your question here and our staff will answer within 1 working day."
            )
        )
    else:
        lead = Text(turn.t("Sure — I'll pass your message to our staff."))
    return [lead, *progress.replies]


def complete(db: Session, turn: Turn, values: dict[str, Any], context: states.Context) -> list[Reply]:
    """Queue the request for staff, exactly as typed, with the call-back number if one was given."""
    phone = values.get("phone")
    service.open_contact(db, turn.user, values.get("message"), phone, turn.now)
    if phone:
        text = turn.t(
            "Thank you. Our staff will get back to you within 1 working day, here in LINE or by phone on {phone}.",
            phone=str(phone),
        )
    else:
        text = turn.t("Thank you. Our staff will answer you here in LINE within 1 working day.")
    return [with_menu(turn, text)]
