"""Greetings, thanks, the menu, the language switch and everything the bot cannot do.

```mermaid
flowchart LR
    follow([follow]) --> welcome[greet + what I can do + menu]
    greet([greet]) --> welcome
    help([help / เมนู]) --> menu[menu quick replies]
    thanks([thanks]) --> welcome_back[you're welcome + menu]
    oos([out of scope]) --> can_do[what I can do + menu]
    lang([menu:language]) --> toggle[th ⇄ en, saved on LineUser] --> menu
    other([sticker / image / …]) --> text_only[I read text only + menu]
```
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from otopbot.dialogue.menu import main_menu, what_i_can_do, with_menu
from otopbot.dialogue.turn import Turn
from otopbot.i18n import N_, Translator
from otopbot.replies import Reply, Text
from otopbot.services import registrations


def welcome(db: Session, turn: Turn) -> list[Reply]:
    name = turn.user.display_name
    hello = turn.t("Hello {name}! I'm the OTOP technology assistant of DSS and DIP.", name=name) if name else \
        turn.t("Hello! I'm the OTOP technology assistant of DSS and DIP.")
    return [Text(hello), with_menu(turn, what_i_can_do(turn))]


def greet(db: Session, turn: Turn) -> list[Reply]:
    registration = registrations.for_user(db, turn.user)
    if registration is not None and registration.contact_name:
        text = turn.t("Hello {name}! How can I help today?", name=registration.contact_name)
        return [with_menu(turn, text)]
    return welcome(db, turn)


def help_menu(db: Session, turn: Turn) -> list[Reply]:
    return [with_menu(turn, what_i_can_do(turn))]


def thanks(db: Session, turn: Turn) -> list[Reply]:
    return [with_menu(turn, turn.t("You're welcome! Anything else I can help with?"))]


def out_of_scope(db: Session, turn: Turn) -> list[Reply]:
    lead = turn.t("Sorry, I can't help with that.")
    return [with_menu(turn, f"{lead}\n{what_i_can_do(turn)}")]


def switch_language(db: Session, turn: Turn) -> list[Reply]:
    """Toggle Thai ⇄ English and answer in the new language."""
    turn.user.language = "en" if turn.user.language == "th" else "th"
    t = Translator(turn.context.settings.locales_dir, turn.user.language)
    switched = replace(turn, t=t)
    return [Text(t(SWITCHED[turn.user.language]), main_menu(switched))]


SWITCHED = {"en": N_("OK, I'll speak English from now on."), "th": N_("OK, I'll speak Thai from now on.")}


UNSUPPORTED_MESSAGES = {
    "sticker": N_("Thanks for the sticker! 😊 I can only read text, though."),
    "image": N_("Thanks for the picture. I can't look at pictures yet — please describe it in words."),
    "audio": N_("Sorry, I can't listen to voice messages yet — please type your message."),
    "video": N_("Sorry, I can't watch videos yet — please type your message."),
    "location": N_("Thanks for the location. To find workshops near you, type your province, e.g. “เวิร์กช็อปที่เชียงใหม่”."),
    "file": N_("Sorry, I can't open files yet — please type your message."),
}


def unsupported(db: Session, turn: Turn, kind: str) -> list[Reply]:
    message = UNSUPPORTED_MESSAGES.get(kind, N_("Sorry, I can only read text messages — please type your message."))
    return [with_menu(turn, turn.t(message))]
