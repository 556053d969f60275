"""Greetings, thanks, the menu, the language switch and everything the bot cannot do.

```mermaid
flowchart LR
    follow([follow]) --> welcome[greet + what I can do + menu]
    greet([greet]) -- first today --> welcome
    greet -- again the same day --> hello[short hello + menu]
    help([help / เมนู]) --> menu[menu quick replies]
    thanks([thanks]) --> welcome_back[you're welcome + menu]
    oos([out of scope]) --> can_do[what I can do + menu]
    scheme([another government scheme]) --> pointer[not here: this LINE serves the DSS–DIP programme + menu]
    lang([menu:language]) --> toggle[th ⇄ en, saved on LineUser] --> menu
    other([sticker / image / …]) --> text_only[I read text only + menu]
```
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlalchemy.orm import Session

from otopbot.dialogue import memory, reading
from otopbot.dialogue.menu import main_menu, what_i_can_do, with_menu
from otopbot.dialogue.turn import Turn
from otopbot.i18n import N_, Translator
from otopbot.replies import Reply, Text
from otopbot.services import registrations


def welcome(db: Session, turn: Turn) -> list[Reply]:
    """The full welcome: who the bot is and what it can do (on follow, and the first hello of a day)."""
    memory.remember_greeting(db, turn.user, turn.now)
    name = turn.display_name  # from the follow event's profile, never stored
    hello = (
        turn.t("Hello {name}! I'm the OTOP technology assistant of DSS and DIP.", name=name)
        if name
        else turn.t("Hello! I'm the OTOP technology assistant of DSS and DIP.")
    )
    return [Text(hello), with_menu(turn, what_i_can_do(turn))]


def greet(db: Session, turn: Turn) -> list[Reply]:
    """A hello: the welcome once a day, then a short hello with the menu (owners greet before each request)."""
    registration = registrations.for_user(db, turn.user)
    name = registration.contact_name if registration is not None else None
    if memory.greeted_today(db, turn.user, turn.now):
        text = (
            turn.t("Hello again, {name}! What would you like to do?", name=name)
            if name
            else turn.t("Hello again! What would you like to do?")
        )
        return [with_menu(turn, text)]
    if name:
        memory.remember_greeting(db, turn.user, turn.now)
        return [with_menu(turn, turn.t("Hello {name}! How can I help today?", name=name))]
    return welcome(db, turn)


def help_menu(db: Session, turn: Turn) -> list[Reply]:
    return [with_menu(turn, what_i_can_do(turn))]


def thanks(db: Session, turn: Turn) -> list[Reply]:
    return [with_menu(turn, turn.t("You're welcome! Anything else I can help with?"))]


def out_of_scope(db: Session, turn: Turn) -> list[Reply]:
    scheme = turn.understanding.entities.scheme if turn.understanding else None
    if scheme:  # คนละครึ่ง, บัตรสวัสดิการแห่งรัฐ, ธ.ก.ส. loans…: say where this LINE's limits are
        return [
            with_menu(
                turn,
                turn.t(
                    "This LINE does not handle {scheme}: please contact the agency that runs it. Here we serve the "
                    "DSS–DIP technology-transfer programme for OTOP enterprises — workshops, standards and "
                    "registration for the programme.",
                    scheme=scheme,
                ),
            )
        ]
    lead = turn.t("Sorry, I can't help with that.")
    return [with_menu(turn, f"{lead}\n{what_i_can_do(turn)}")]


def switch_language(db: Session, turn: Turn) -> list[Reply]:
    """Toggle Thai ⇄ English and answer in the new language."""
    turn.user.language = "en" if turn.user.language == "th" else "th"
    t = Translator(turn.context.settings.locales_dir, turn.user.language)
    switched = replace(turn, t=t)
    return [Text(t(SWITCHED[turn.user.language]), main_menu(switched))]


SWITCHED = {"en": N_("OK, I'll speak English from now on."), "th": N_("OK, I'll speak Thai from now on.")}

# "English please", "ขอเป็นภาษาอังกฤษได้ไหมคะ", "speak thai": a language asked for in a message made only of
# a language's name and words of asking; "มีคู่มือภาษาอังกฤษไหม" names other things and is not such a request
LANGUAGE_NAMES = {"en": ("english", "eng", "อังกฤษ", "ภาษาอังกฤษ"), "th": ("thai", "ไทย", "ภาษาไทย")}
ASKING_WORDS = frozenset(
    {
        *("please", "pls", "can", "could", "you", "speak", "talk", "reply", "answer", "in", "change", "switch"),
        *("to", "use", "language", "do", "ขอ", "เป็น", "ใช้", "พูด", "คุย", "ตอบ", "เปลี่ยน", "ได้", "ไหม", "มั้ย"),
        *("ป่าว", "หน่อย", "ภาษา", "นะ", "จ้า", "จ้ะ"),
    }
)


def language_asked(text: str) -> str | None:
    """The language a message asks the bot to speak ("en", "th"), or None."""
    found = reading.read(text)
    names = {lang for lang, words in LANGUAGE_NAMES.items() if found.has(*words)}
    if len(names) != 1:
        return None
    named = {w for words in LANGUAGE_NAMES.values() for w in words}
    return names.pop() if set(found.content) <= named | ASKING_WORDS else None


# chat words every Thai owner types in Latin letters ("OK thank you", "GMP ค่ะ"): no sign of a language
LATIN_CHAT = frozenset(
    "ok okay oke thank thanks thx you u very much yes no hi hello bye please sorry gmp otop sme line tcps tis fda "  # noqa: SIM905 - word list kept as editable text
    "ty tq na ka krub krap kha".split()
)
_LATIN_WORD = re.compile(r"[a-z]{2,}")
_THAI_LETTER = re.compile(r"[ก-๛]")
_LATIN_LETTER = re.compile(r"[a-z]")


def language_written(text: str) -> str | None:
    """The language a message is written in, when that is clear: "en" for a sentence of English words
    ("how much does it cost?"), "th" for a message mostly in Thai letters; None otherwise ("OK",
    "GMP", a number)."""
    lowered = text.lower()
    thai, latin = len(_THAI_LETTER.findall(lowered)), len(_LATIN_LETTER.findall(lowered))
    if thai >= 2 and thai >= latin:
        return "th"
    if thai:
        return None
    words = _LATIN_WORD.findall(lowered)
    telling = [w for w in words if w not in LATIN_CHAT]
    return "en" if len(words) >= 3 and len(telling) >= 2 else None


def speak(db: Session, turn: Turn, language: str) -> list[Reply]:
    """Speak the language asked for from now on (typed; the menu's button toggles)."""
    turn.user.language = language
    t = Translator(turn.context.settings.locales_dir, language)
    return [Text(t(SWITCHED[language]), main_menu(replace(turn, t=t)))]


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
