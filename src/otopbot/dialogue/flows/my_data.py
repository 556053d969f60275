"""“ข้อมูลของฉัน”: what we keep about the user, changing it, and erasing it (PDPA).

```mermaid
flowchart LR
    show([ข้อมูลของฉัน / mydata:show]) --> card[what we keep + Change / Delete]
    card -- Change --> edit[registration summary → pick a field]
    del([delete_my_data / erase:ask]) --> confirm{Confirm}
    card -- Delete --> confirm
    confirm -- yes --> erase[null personal fields, cancel future bookings,<br/>waiting list promoted, anonymous ErasureRecord] --> done[done + how to come back]
    confirm -- no --> kept[nothing deleted]
```
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from otopbot.clock import day
from otopbot.dialogue.flows import registration
from otopbot.dialogue.forms import form_named, summary_lines
from otopbot.dialogue.menu import choice, with_menu
from otopbot.dialogue.turn import Turn
from otopbot.replies import Card, Choice, Confirm, Reply
from otopbot.services import my_data as service
from otopbot.services import registrations


def _about(turn: Turn, stored: service.StoredData) -> Card:
    user = stored.user
    lang = turn.t.lang
    consent = day(user.consent_at, lang) if user.consent_at else turn.t("not given")
    lines = (
        *((turn.t("LINE name: {name}", name=user.display_name),) if user.display_name else ()),
        turn.t("Privacy consent: {when}", when=consent),
        turn.t("Registration: {status}", status=registration.status_label(turn, stored.registration.status)
               if stored.registration else turn.t("not registered")),
        turn.t("Upcoming bookings: {n}", n=len(stored.upcoming)),
        turn.t("Messages to staff: {n}", n=stored.questions),
    )
    actions: tuple[Choice, ...] = (
        (choice(turn, "Change details", "mydata:edit"),) if stored.registration else ()
    )
    actions += (choice(turn, "Delete my data", "erase:ask"),)
    return Card(turn.t("What we keep about you"), lines, actions, alt_text=turn.t("What we keep about you"))


def show(db: Session, turn: Turn) -> list[Reply]:
    """Everything stored about the user: the account, then the registration's details."""
    stored = service.stored_for(db, turn.user, turn.now)
    replies: list[Reply] = [_about(turn, stored)]
    if stored.registration is not None:
        values = registrations.form_values(stored.registration)
        lines = summary_lines(turn, form_named(turn, registration.FORM), values)
        replies.insert(0, Card(turn.t("Your registration"), lines, alt_text=turn.t("Your registration")))
    return replies


def ask_erase(db: Session, turn: Turn) -> list[Reply]:
    """Intent delete_my_data: confirm first — erasure cannot be undone."""
    text = turn.t("This deletes your registration and contact details and cancels your upcoming bookings. "
                  "It cannot be undone. Delete your data?")
    return [Confirm(text, choice(turn, "Yes, delete", "erase:yes"), choice(turn, "No, keep it", "erase:no"))]


def erase(db: Session, turn: Turn) -> list[Reply]:
    service.erase(db, turn.user, turn.now, locales_dir=turn.context.settings.locales_dir)
    return [with_menu(turn, turn.t(
        "Done. Your personal data has been deleted and your upcoming bookings cancelled. You can still chat "
        "with me; to register again, type “register”."))]


def keep(db: Session, turn: Turn) -> list[Reply]:
    return [with_menu(turn, turn.t("OK, nothing was deleted."))]


ERASE_ANSWERS = {"ask": ask_erase, "yes": erase, "no": keep}
MY_DATA_ACTIONS = {"show": show, "edit": registration.edit}


def on_erase(db: Session, turn: Turn, rest: str) -> list[Reply]:
    """Postbacks `erase:ask|yes|no`."""
    return ERASE_ANSWERS.get(rest, ask_erase)(db, turn)


def on_my_data(db: Session, turn: Turn, rest: str) -> list[Reply]:
    """Postbacks `mydata:show|edit`."""
    return MY_DATA_ACTIONS.get(rest, show)(db, turn)
