"""The dialogue's entry points: decide what to answer to a message, a postback, a follow or a sticker.

Dispatch is declared in tables: intents → handlers, typed postbacks (`otopbot.postbacks`) → handlers;
data the bot never sent parses to `Unknown` and gets the help menu. Global escapes come first:
ยกเลิก/cancel leaves a form, เมนู/menu shows the menu, ข้อมูลของฉัน shows the user's data. Inside a
form, a message that clearly means something else (a standards question, "my bookings" …) is
answered and the pending question asked again; a *passive* route is one after which the form resumes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from otopbot.dialogue import forms, parsers
from otopbot.dialogue import state as states
from otopbot.dialogue.flows import (
    bookings,
    handoff,
    my_data,
    questions,
    registration,
    smalltalk,
    workshops,
)
from otopbot.dialogue.menu import fit, main_menu, with_menu
from otopbot.dialogue.turn import Turn
from otopbot.models import ConversationState
from otopbot.nlu.normalize import normalize
from otopbot.nlu.types import Intent, Understanding
from otopbot.postbacks import (
    Book,
    CancelBooking,
    ConfirmCancel,
    Erase,
    EraseStep,
    FormAnswer,
    JoinWaitlist,
    KeepBooking,
    MenuAction,
    MenuItem,
    MyData,
    MyDataStep,
    Postback,
    Topic,
    TopicFacet,
    TopicMore,
    Unknown,
)
from otopbot.postbacks import parse as parse_postback
from otopbot.replies import Confirm, Reply, Text

log = logging.getLogger(__name__)

Handler = Callable[[Session, Turn], list[Reply]]
ParamHandler = Callable[[Session, Turn, Any], list[Reply]]  # takes the postback of its type


@dataclass(frozen=True, slots=True)
class Route:
    handle: Handler
    passive: bool = True  # starts no form, so a pending form question is asked again afterwards


@dataclass(frozen=True, slots=True)
class ParamRoute:
    handle: ParamHandler
    passive: bool = True


def standards_intro(db: Session, turn: Turn) -> list[Reply]:
    return [Text(turn.t("Ask me anything about product standards and certification, for example: “ขอ มผช. "
                        "น้ำพริกต้องทำยังไง”, “อย. กับ มผช. ต่างกันยังไง” or “เซรามิกต้องตรวจสารตะกั่วไหม”."))]


INTENTS: dict[str, Route] = {
    Intent.GREET: Route(smalltalk.greet),
    Intent.HELP: Route(smalltalk.help_menu),
    Intent.THANKS: Route(smalltalk.thanks),
    Intent.OUT_OF_SCOPE: Route(smalltalk.out_of_scope),
    Intent.REGISTER_INTEREST: Route(registration.begin, passive=False),
    Intent.LIST_WORKSHOPS: Route(workshops.list_workshops),
    Intent.BOOK_WORKSHOP: Route(bookings.book_from_text),
    Intent.MY_BOOKINGS: Route(bookings.my_bookings),
    Intent.CANCEL_BOOKING: Route(bookings.cancel_from_text),
    Intent.ASK_STANDARD: Route(questions.answer_question),
    Intent.CONTACT_STAFF: Route(handoff.begin, passive=False),
    Intent.DELETE_MY_DATA: Route(my_data.ask_erase),
}

# postbacks without parameters (rich menu, quick replies, Confirm buttons)
ACTIONS: dict[Postback, Route] = {
    MenuAction(MenuItem.REGISTER): Route(registration.begin, passive=False),
    MenuAction(MenuItem.WORKSHOPS): Route(workshops.list_workshops),
    MenuAction(MenuItem.MY_BOOKINGS): Route(bookings.my_bookings),
    MenuAction(MenuItem.STANDARDS): Route(standards_intro),
    MenuAction(MenuItem.CONTACT): Route(handoff.begin, passive=False),
    MenuAction(MenuItem.LANGUAGE): Route(smalltalk.switch_language),
    MenuAction(MenuItem.HELP): Route(smalltalk.help_menu, passive=False),
    MyData(MyDataStep.SHOW): Route(my_data.show),
    MyData(MyDataStep.EDIT): Route(registration.edit, passive=False),
    Erase(EraseStep.ASK): Route(my_data.ask_erase),
    Erase(EraseStep.YES): Route(my_data.erase, passive=False),
    Erase(EraseStep.NO): Route(my_data.keep),
}

# postbacks with parameters, by type; the handler gets the typed postback
PARAMETRISED: dict[type, ParamRoute] = {
    Book: ParamRoute(bookings.on_book, passive=False),
    JoinWaitlist: ParamRoute(bookings.on_wait),
    CancelBooking: ParamRoute(bookings.on_cancel),
    ConfirmCancel: ParamRoute(bookings.on_cancel_confirmed),
    KeepBooking: ParamRoute(bookings.on_keep),
    Topic: ParamRoute(questions.show_topic),
    TopicMore: ParamRoute(questions.show_more),
    TopicFacet: ParamRoute(questions.show_facet),
}

# typed words that work anywhere, compared after normalisation
TEXT_COMMANDS: dict[str, Route] = {
    **dict.fromkeys(("เมนู", "menu", "เมนูหลัก", "main menu"), Route(smalltalk.help_menu, passive=False)),
    **dict.fromkeys(("ข้อมูลของฉัน", "ข้อมูลฉัน", "ดูข้อมูลของฉัน", "my data", "my details"), Route(my_data.show)),
}
CANCEL_WORDS = frozenset({"ยกเลิก", "cancel", "เลิก", "หยุด", "stop", "ไม่เอาแล้ว", "ยกเลิกค่ะ", "ยกเลิกครับ"})

# what to do with a completed form's values, and where to go next (ConversationState.resume["action"])
COMPLETIONS: dict[str, Callable[[Session, Turn, dict[str, Any]], list[Reply]]] = {
    registration.FORM: registration.complete,
    bookings.SEATS_FORM: bookings.complete_seats,
    handoff.FORM: handoff.complete,
}
RESUMES: dict[str, Callable[[Session, Turn, dict[str, Any]], list[Reply]]] = {"book": bookings.resume_booking}

INTERRUPT_CONFIDENCE = 0.6  # the answer did not parse and the NLU is fairly sure of another goal
FREE_TEXT_INTERRUPT_CONFIDENCE = 0.85  # the question takes any text: be surer before treating it as a detour
# An unsure "help" or "out of scope" may be a standards question the NLU has no phrasing for: the
# knowledge base answers it when it is confident (it never is about menus or small talk).
KNOWLEDGE_FIRST = frozenset({Intent.HELP, Intent.OUT_OF_SCOPE})
KNOWLEDGE_FIRST_CONFIDENCE = 0.7
QUESTION_MARKERS = ("?", "ไหม", "มั้ย", "หรือเปล่า", "ยังไง", "อย่างไร", "เท่าไหร่", "เท่าไร", "อะไร", "ที่ไหน", "เมื่อไหร่")


# --- entry points -----------------------------------------------------------------------------


def respond(db: Session, turn: Turn) -> list[Reply]:
    """Answer a text message or a postback (at most five replies)."""
    state = states.load(db, turn.user, turn.now)
    typed = _typed_confirmation(turn, state)
    if typed is not None:  # "ใช่" typed under a yes/no prompt works like tapping the button
        turn = replace(turn, postback=typed)
    replies = _postback(db, turn, state) if turn.postback is not None else _text(db, turn, state)
    _remember_confirmation(state, replies, turn.now)
    return fit(replies)


# --- a yes/no prompt answered by typing --------------------------------------------------------

PENDING_CONFIRM = "__confirm"  # kept in ConversationState.slots while no form is active
CONFIRM_LIFE = timedelta(hours=1)
MAX_TYPED_ANSWER = 20  # longer messages are read as messages, not as a yes or a no


def _typed_confirmation(turn: Turn, state: ConversationState) -> str | None:
    pending = (state.slots or {}).get(PENDING_CONFIRM) if not states.active(state) else None
    text = (turn.text or "").strip()
    if not pending or turn.postback is not None or not text or len(text) > MAX_TYPED_ANSWER:
        return None
    if turn.now - datetime.fromisoformat(pending["at"]) > CONFIRM_LIFE:
        return None
    if parsers.is_no(text):
        return str(pending["no"])
    return str(pending["yes"]) if parsers.is_yes(text) else None


def _remember_confirmation(state: ConversationState, replies: list[Reply], now: datetime) -> None:
    """Remember the buttons of a closing yes/no prompt, so that a typed answer can stand for a tap."""
    if states.active(state):
        return
    last = replies[-1] if replies else None
    if isinstance(last, Confirm) and last.yes.postback and last.no.postback:
        state.slots = {PENDING_CONFIRM: {"yes": last.yes.postback, "no": last.no.postback, "at": now.isoformat()}}
    elif PENDING_CONFIRM in (state.slots or {}):
        state.slots = {}


def welcome(db: Session, turn: Turn) -> list[Reply]:
    """A new (or returning) follower: greet and say what the bot can do."""
    return fit(smalltalk.welcome(db, turn))


def unsupported(db: Session, turn: Turn, kind: str) -> list[Reply]:
    """Stickers, images, locations, audio, video, files: a short polite reply (the form resumes)."""
    state = states.load(db, turn.user, turn.now)
    replies = smalltalk.unsupported(db, turn, kind)
    return fit(replies + forms.prompt(turn, state) if states.active(state) else replies)


# --- text -------------------------------------------------------------------------------------


def _text(db: Session, turn: Turn, state: ConversationState) -> list[Reply]:
    words = normalize(turn.text or "")
    if words in CANCEL_WORDS and states.active(state):
        states.clear(state, turn.now)
        return [with_menu(turn, turn.t("OK, I've stopped. Nothing more was saved. What would you like to do?"))]
    if (command := TEXT_COMMANDS.get(words)) is not None:
        return _run(db, turn, state, command)
    if states.active(state):
        return _in_form(db, turn, state, turn.text or "")
    return _by_intent(db, turn)


def _intent_of(understanding: Understanding | None) -> str:
    return understanding.intent if understanding else Intent.OUT_OF_SCOPE


def _by_intent(db: Session, turn: Turn) -> list[Reply]:
    understanding = turn.understanding
    if (understanding is not None and understanding.intent in KNOWLEDGE_FIRST
            and understanding.confidence < KNOWLEDGE_FIRST_CONFIDENCE):
        known = questions.answer_if_confident(db, turn)  # "น้ำมันทอดใช้ซ้ำได้กี่ครั้ง" read as "help"
        if known:
            return known
    route = INTENTS.get(_intent_of(understanding), INTENTS[Intent.OUT_OF_SCOPE])
    return route.handle(db, turn)


def _looks_like_question(text: str) -> bool:
    return any(marker in text for marker in QUESTION_MARKERS)


def _detour(turn: Turn, text: str, free_text: bool) -> Route | None:
    """The passive route a mid-form message clearly asks for, if any."""
    understanding = turn.understanding
    route = INTENTS.get(_intent_of(understanding))
    if understanding is None or route is None or not route.passive:
        return None
    if understanding.intent == Intent.OUT_OF_SCOPE:
        return None
    needed = FREE_TEXT_INTERRUPT_CONFIDENCE if free_text and not _looks_like_question(text) else INTERRUPT_CONFIDENCE
    return route if understanding.confidence >= needed else None


def _in_form(db: Session, turn: Turn, state: ConversationState, text: str) -> list[Reply]:
    form_name = state.form or ""
    free_text = forms.takes_any_text(turn, state)
    if free_text and (route := _detour(turn, text, True)) is not None:
        return _run(db, turn, state, route)
    progress = forms.answer_text(turn, state, text)
    if progress.rejected and (route := _detour(turn, text, False)) is not None:
        return _run(db, turn, state, route)
    return _finish(db, turn, form_name, progress)


def _finish(db: Session, turn: Turn, form_name: str, progress: forms.Progress) -> list[Reply]:
    replies = list(progress.replies)
    if progress.done is None:
        return replies
    replies += COMPLETIONS[form_name](db, turn, progress.done)
    follow_up = RESUMES.get(str(progress.resume.get("action")))
    if follow_up is not None:
        replies += follow_up(db, turn, progress.resume)
    return replies


def _run(db: Session, turn: Turn, state: ConversationState, route: Route) -> list[Reply]:
    """Run a route; after a passive one, ask the pending form question again."""
    replies = route.handle(db, turn)
    if route.passive and states.active(state):
        replies = replies[:4] + forms.prompt(turn, state)
    return replies


# --- postbacks --------------------------------------------------------------------------------


def _postback(db: Session, turn: Turn, state: ConversationState) -> list[Reply]:
    postback = parse_postback(turn.postback)
    if (route := ACTIONS.get(postback)) is not None:
        return _run(db, turn, state, route)
    if isinstance(postback, FormAnswer):
        return _form_choice(db, turn, state, postback.value)
    param_route = PARAMETRISED.get(type(postback))
    if param_route is None:  # Unknown: forged, stale or cut data
        reason = postback.reason if isinstance(postback, Unknown) else "no route"
        log.info("unknown postback reason=%s", reason)
        return smalltalk.help_menu(db, turn)
    replies = param_route.handle(db, turn, postback)
    if param_route.passive and states.active(state):
        replies = replies[:4] + forms.prompt(turn, state)
    return replies


def _form_choice(db: Session, turn: Turn, state: ConversationState, value: str) -> list[Reply]:
    if not states.active(state):
        return [Text(turn.t("That question has expired. What would you like to do?"), main_menu(turn))]
    if value == forms.CANCEL:
        states.clear(state, turn.now)
        return [with_menu(turn, turn.t("OK, I've stopped. Nothing more was saved. What would you like to do?"))]
    form_name = state.form or ""
    return _finish(db, turn, form_name, forms.answer_choice(turn, state, value))
