"""The dialogue's entry points: decide what to answer to a message, a postback, a follow or a sticker.

Dispatch is declared in tables: intents → handlers, typed postbacks (`otopbot.postbacks`) → handlers;
data the bot never sent parses to `Unknown` and gets the help menu. Global escapes come first: a
stop phrase anywhere in a message (ไม่เอาแล้ว, ยกเลิกก่อน, พอก่อน …) leaves a form — only with no form
active is "ยกเลิก" a booking cancellation —, เมนู/menu shows the menu, ข้อมูลของฉัน shows the user's
data. Inside a form, a question or a message that clearly means something else is answered and the
pending question asked again; a *passive* route is one after which the form resumes. A yes/no
prompt left open can be answered by typing, read from whole words ("ค่ะ ลบเลย" confirms, a question
asks again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from otopbot.dialogue import filling, forms, reading
from otopbot.dialogue import state as states
from otopbot.dialogue.flows import (
    bookings,
    handoff,
    my_data,
    questions,
    registration,
    smalltalk,
    survey,
    workshops,
)
from otopbot.dialogue.menu import fit, main_menu, with_menu
from otopbot.dialogue.turn import Turn
from otopbot.i18n import N_, Translator
from otopbot.models import ConversationState
from otopbot.nlu import entities
from otopbot.nlu.normalize import normalize
from otopbot.nlu.types import Intent, Understanding
from otopbot.postbacks import (
    Book,
    CancelBooking,
    ChangeSeats,
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
    SurveyAnswer,
    Topic,
    TopicFacet,
    TopicMore,
    Unknown,
)
from otopbot.postbacks import parse as parse_postback
from otopbot.replies import Choice, Confirm, Reply, Text
from otopbot.services import registrations, surveys

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
    return [
        Text(
            turn.t(
                "Ask me anything about product standards and certification, for example: “ขอ มผช. "
                "น้ำพริกต้องทำยังไง”, “อย. กับ มผช. ต่างกันยังไง” or “เซรามิกต้องตรวจสารตะกั่วไหม”."
            )
        )
    ]


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
    Intent.MY_DATA: Route(my_data.show),
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
    ChangeSeats: ParamRoute(bookings.on_change_seats),
    Topic: ParamRoute(questions.show_topic),
    SurveyAnswer: ParamRoute(survey.on_postback),
    TopicMore: ParamRoute(questions.show_more),
    TopicFacet: ParamRoute(questions.show_facet),
}

# typed words that work anywhere, compared after normalisation
TEXT_COMMANDS: dict[str, Route] = {
    **dict.fromkeys(("เมนู", "menu", "เมนูหลัก", "main menu"), Route(smalltalk.help_menu, passive=False)),
    **dict.fromkeys(("ข้อมูลของฉัน", "ข้อมูลฉัน", "ดูข้อมูลของฉัน", "my data", "my details"), Route(my_data.show)),
}

# what to do with a completed form's values (and its context), and where to go next
COMPLETIONS: dict[str, Callable[[Session, Turn, dict[str, Any], states.Context], list[Reply]]] = {
    registration.FORM: registration.complete,
    bookings.SEATS_FORM: bookings.complete_seats,
    handoff.FORM: handoff.complete,
}

INTERRUPT_CONFIDENCE = 0.6  # the answer did not parse and the NLU is fairly sure of another goal
FREE_TEXT_INTERRUPT_CONFIDENCE = 0.85  # the question takes any text: be surer before treating it as a detour
GATE_INTERRUPT_CONFIDENCE = 0.85  # at the consent question only a clear other request is a detour
STOPPED = N_("OK, I've stopped. Nothing more was saved. What would you like to do?")
PAUSED = N_(
    "OK, let's stop here. I've kept your answers so far for {days} days: type “ลงทะเบียน” to go on from where you "
    "stopped, or “ลบข้อมูลของฉัน” to delete them."
)
# A message read as "out of scope", or as anything else with little confidence, may be a standards
# question the NLU has no phrasing for ("หมอนยางกลิ่นแอมโมเนียแรง" read as registering): the knowledge
# base answers it when it is confident (it never is about menus, bookings or small talk). Requests
# about the owner's own data always go where the NLU says.
KNOWLEDGE_FIRST_ALWAYS = frozenset({Intent.OUT_OF_SCOPE})
NEVER_KNOWLEDGE_FIRST = frozenset({Intent.ASK_STANDARD, Intent.DELETE_MY_DATA, Intent.MY_DATA})
KNOWLEDGE_FIRST_CONFIDENCE = 0.7
WORKSHOP_REQUESTS = frozenset({Intent.LIST_WORKSHOPS, Intent.BOOK_WORKSHOP, Intent.MY_BOOKINGS, Intent.CANCEL_BOOKING})
# Requests a fragment after a standards answer never stands for ("สมัครยังไงคะ" is registering).
REQUESTS = frozenset(
    {
        Intent.REGISTER_INTEREST,
        Intent.BOOK_WORKSHOP,
        Intent.MY_BOOKINGS,
        Intent.CANCEL_BOOKING,
        Intent.CONTACT_STAFF,
        Intent.DELETE_MY_DATA,
        Intent.MY_DATA,
    }
)
# right after a workshop search, an unsure reading of a message that only names a filter is a follow-up
LOOSE_AFTER_SEARCH = frozenset(
    {Intent.CONTACT_STAFF, Intent.HELP, Intent.OUT_OF_SCOPE, Intent.GREET, Intent.MY_BOOKINGS}
)
LOOSE_CONFIDENCE = 0.75
QUESTION_MARKERS = ("?", "ไหม", "มั้ย", "หรือเปล่า", "ยังไง", "อย่างไร", "เท่าไหร่", "เท่าไร", "อะไร", "ที่ไหน", "เมื่อไหร่")


# --- entry points -----------------------------------------------------------------------------


def respond(db: Session, turn: Turn) -> list[Reply]:
    """Answer a text message or a postback (at most five replies)."""
    state = states.load(db, turn.user, turn.now)
    turn = _in_the_language_written(turn, state)
    pending = _pending_confirm(turn, state)
    if pending is not None and turn.postback is None and turn.text:
        typed = _typed_confirmation(turn, pending)
        if isinstance(typed, list):  # a question under the prompt: answered, then the prompt again
            return fit(typed)
        if typed is not None:  # "ค่ะ ลบเลย" typed under a yes/no prompt works like tapping the button
            turn = replace(turn, postback=typed)
    replies = _postback(db, turn, state) if turn.postback is not None else _text(db, turn, state)
    _remember_confirmation(state, replies, turn.now)
    return fit(replies)


def _in_the_language_written(turn: Turn, state: ConversationState) -> Turn:
    """An owner who writes a sentence in English is answered in English from then on, and one who writes
    Thai in Thai (many Thai phones are set to English). Never inside a form: "Baan Suan Farm" is a name."""
    if turn.postback is not None or not turn.text or states.active(state):
        return turn
    written = smalltalk.language_written(turn.text)
    if written is None or written == turn.t.lang:
        return turn
    turn.user.language = written
    return replace(turn, t=Translator(turn.context.settings.locales_dir, written))


# --- a yes/no prompt answered by typing --------------------------------------------------------

CONFIRM_LIFE = timedelta(hours=1)
# the action's own verb confirms it ("ลบเลย" under the delete prompt, "ยกเลิกเลย" under a cancellation)
CONFIRM_VERBS: dict[str, tuple[str, ...]] = {
    "erase": ("ลบ", "delete"),
    "cancelok": ("ยกเลิก", "cancel"),
    "seats": ("เปลี่ยน", "change"),
    "wait": ("รอ", "ต่อคิว", "เข้าคิว"),
}


def _pending_confirm(turn: Turn, state: ConversationState) -> states.PendingConfirm | None:
    pending = states.context(state).confirm if not states.active(state) else None
    if pending is None or turn.now - pending.asked_at > CONFIRM_LIFE:
        return None
    return pending


def _typed_confirmation(turn: Turn, pending: states.PendingConfirm) -> str | list[Reply] | None:
    """The postback a typed yes or no stands for; a question about it gets the prompt again.

    A message that clearly asks for something else ("มีอบรมอะไรบ้าง") is just a message: the owner
    moved on, and the prompt no longer stands.
    """
    found = reading.read(turn.text or "")
    if reading.is_yes(found, CONFIRM_VERBS.get(pending.yes.partition(":")[0], ())):
        return pending.yes
    if reading.is_no(found) or found.stop and not found.question:  # "ยกเลิก" under the delete prompt: never mind
        return pending.no
    verbs = CONFIRM_VERBS.get(pending.yes.partition(":")[0], ())
    if found.question and any(found.has(verb) for verb in verbs):  # "ถ้าลบแล้วการจองจะหายไหม": the prompt says
        return [
            Confirm(
                pending.text,
                Choice(pending.yes_label, pending.yes, display_text=pending.yes_label),
                Choice(pending.no_label, pending.no, display_text=pending.no_label),
            )
        ]
    elsewhere = _detour(turn, INTERRUPT_CONFIDENCE)
    if (
        not found.question
        or elsewhere is not None
        and _intent_of(turn.understanding)
        not in (Intent.DELETE_MY_DATA, Intent.CANCEL_BOOKING, Intent.GREET, Intent.THANKS)
    ):
        return None
    return [
        Confirm(
            pending.text,
            Choice(pending.yes_label, pending.yes, display_text=pending.yes_label),
            Choice(pending.no_label, pending.no, display_text=pending.no_label),
        )
    ]


def _remember_confirmation(state: ConversationState, replies: list[Reply], now: datetime) -> None:
    """Remember the buttons of a closing yes/no prompt, so that a typed answer can stand for a tap."""
    if states.active(state):
        return
    last = replies[-1] if replies else None
    if isinstance(last, Confirm) and last.yes.postback and last.no.postback:
        states.update(
            state,
            confirm=states.PendingConfirm(
                last.yes.postback, last.no.postback, last.text, last.yes.label, last.no.label, now
            ),
        )
    elif states.context(state).confirm is not None:
        states.update(state, confirm=None)


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
    if states.active(state) and _leaves(turn, state):
        return _stop(db, turn, state, reading.read(turn.text or "").quits)
    if (command := TEXT_COMMANDS.get(words)) is not None:
        return _run(db, turn, state, command)
    if (language := smalltalk.language_asked(turn.text or "")) is not None:
        return _speak(db, turn, state, language)
    if states.active(state):
        return _in_form(db, turn, state, turn.text or "")
    if (pending := surveys.pending_for(db, turn.user, turn.now)) is not None:
        return survey.answer_text(db, turn, pending, lambda: _by_intent(db, turn))
    if _intent_of(turn.understanding) not in ELSEWHERE and (changed := registration.change_from_text(db, turn)):
        return changed
    return _by_intent(db, turn)


def _speak(db: Session, turn: Turn, state: ConversationState, language: str) -> list[Reply]:
    """The language asked for from now on; a form in progress goes on, asked again in that language."""
    replies = smalltalk.speak(db, turn, language)
    if not states.active(state):
        return replies
    switched = replace(turn, t=Translator(turn.context.settings.locales_dir, language))
    return [*replies, *forms.prompt(switched, state, again=True)]


def _leaves(turn: Turn, state: ConversationState) -> bool:
    """A stop phrase anywhere leaves a form; under a request typed for staff, only a message that is one.

    At the consent question a question is always answered, even one about withdrawing or deleting
    later ("ถ้ายินยอมแล้วถอนทีหลังได้ไหมคะ"): it is neither a no nor a stop.
    """
    found = reading.read(turn.text or "")
    if not found.stop:
        return False
    slot = forms.pending_slot(turn, state)
    if slot is not None and slot.gate and found.question:
        return False
    if slot is None or not slot.verbatim:
        return True
    stop_words = {w for phrase in reading.STOP_PHRASES for w in reading.words(phrase)} | {"ก่อน", "แล้ว", "ดีกว่า"}
    return set(found.content) <= stop_words


def _stop(db: Session, turn: Turn, state: ConversationState, quits: bool) -> list[Reply]:
    """Leave the form: a pause keeps a registration's answers so far (and says so), giving up keeps nothing;
    so does stopping a change of details already saved (they stay as they were)."""
    editing = state.form == registration.FORM and registrations.for_user(db, turn.user) is not None
    kept = filling.pause(turn, state, quits or editing)
    text = turn.t(PAUSED, days=states.DRAFT_LIFE.days) if kept else turn.t(STOPPED)
    return [with_menu(turn, text)]


def _intent_of(understanding: Understanding | None) -> str:
    return understanding.intent if understanding else Intent.OUT_OF_SCOPE


def _by_intent(db: Session, turn: Turn) -> list[Reply]:
    if change := bookings.seat_change_request(db, turn):  # "เปลี่ยนใจ ขอ 3 ที่" after booking
        return change
    understanding = turn.understanding
    if (
        understanding is not None
        and understanding.intent in LOOSE_AFTER_SEARCH
        and understanding.confidence < LOOSE_CONFIDENCE
        and workshops.refines_last_search(db, turn)
    ):
        return workshops.list_workshops(db, turn)  # "มีเรื่องยางไหมคะ" right after a search is about it
    if _intent_of(understanding) in WORKSHOP_REQUESTS and workshops.asks_online_workshop(turn):
        return workshops.list_workshops(db, turn)  # "อบรมผ่านซูมได้ไหม": none online, said before the list
    if not _clear_request(understanding) and (continued := questions.answer_follow_up(db, turn)):
        return continued  # "อ่านเพิ่ม", "แล้วค่าใช้จ่ายล่ะ" after a standards answer
    if understanding is not None and _knowledge_first(understanding):
        known = questions.answer_if_confident(db, turn)  # "น้ำมันทอดใช้ซ้ำได้กี่ครั้ง" read as "help"
        if known:
            return known
    if understanding is not None and understanding.intent == Intent.CONTACT_STAFF:
        known = questions.answer_agency_contact(db, turn)  # "ขอเบอร์กรมวิทย์": DSS's phone, not our staff
        if known:
            return known
    route = INTENTS.get(_intent_of(understanding), INTENTS[Intent.OUT_OF_SCOPE])
    return route.handle(db, turn)


def _clear_request(understanding: Understanding | None) -> bool:
    return (
        understanding is not None
        and understanding.intent in REQUESTS
        and understanding.confidence >= KNOWLEDGE_FIRST_CONFIDENCE
    )


def _knowledge_first(understanding: Understanding) -> bool:
    """Whether a confident knowledge answer may come before the NLU's intent.

    A workshop or booking request that names a time, a place or a number of seats ("เดือนหน้ามีอะไรบ้าง",
    "ที่ลำปางมีไหม") is about workshops however unsure the NLU is: standards questions do not carry those.
    """
    if understanding.intent in NEVER_KNOWLEDGE_FIRST:
        return False
    said = understanding.entities
    if understanding.intent in WORKSHOP_REQUESTS and (said.date or said.province or said.region or said.count):
        return False
    return understanding.intent in KNOWLEDGE_FIRST_ALWAYS or understanding.confidence < KNOWLEDGE_FIRST_CONFIDENCE


def _detour(turn: Turn, needed: float) -> Route | None:
    """The passive route a mid-form message clearly asks for, if any."""
    understanding = turn.understanding
    route = INTENTS.get(_intent_of(understanding))
    if understanding is None or route is None or not route.passive:
        return None
    if understanding.intent == Intent.OUT_OF_SCOPE:
        return None
    return route if understanding.confidence >= needed else None


def _in_form(db: Session, turn: Turn, state: ConversationState, text: str) -> list[Reply]:
    form_name = state.form or ""
    slot = forms.pending_slot(turn, state)
    if slot is not None and slot.verbatim:  # a request for staff is kept as typed, never answered here
        return _finish(db, turn, form_name, filling.answer_text(turn, state, text))
    if (waiting := _booking_waits(db, turn, state)) is not None:
        return [waiting, *forms.prompt(turn, state, again=True)]
    if (switch := _switch(turn, state, text)) is not None:  # "ขอคุยกับเจ้าหน้าที่" in the middle of registering
        states.clear(state, turn.now)
        return switch.handle(db, turn)
    question = reading.read(text).question
    free_text = filling.takes_any_text(turn, state) and not question
    if free_text and _intent_of(turn.understanding) in WORKSHOP_REQUESTS and not workshops.names_workshops(turn):
        free_text = False  # "ป้าบุญมี" at the name question is a name, however sure the NLU is of workshops
    if free_text and (detoured := _detour_replies(db, turn, state, FREE_TEXT_INTERRUPT_CONFIDENCE, question)):
        return detoured
    progress = filling.answer_text(turn, state, text)
    gate = slot is not None and slot.gate
    needed = GATE_INTERRUPT_CONFIDENCE if gate and not question else INTERRUPT_CONFIDENCE
    if progress.rejected and (detoured := _detour_replies(db, turn, state, needed, question)):
        return detoured
    if progress.rejected and question and (known := questions.answer_if_confident(db, turn)):
        return known[:3] + forms.prompt(turn, state, again=True)  # a standards question mid-form
    return _finish(db, turn, form_name, progress)


def _booking_waits(db: Session, turn: Turn, state: ConversationState) -> Reply | None:
    """A booking asked for again in the registration that leads to one: noted, not a new search."""
    understanding = turn.understanding
    if state.form != registration.FORM or understanding is None:
        return None
    if not _says_seats(turn) and (
        not workshops.names_workshops(turn)
        or understanding.intent != Intent.BOOK_WORKSHOP
        or understanding.confidence < INTERRUPT_CONFIDENCE
    ):
        return None
    return bookings.waiting_while_registering(db, turn, state)


# words around a bare number of seats ("๒ ที่ค่ะ", "มากัน 3 คน", "ขอสองที่นั่ง")
SEAT_WORDS = frozenset({"ที่", "ที่นั่ง", "คน", "ท่าน", "ขอ", "จอง", "เอา", "มา", "กัน", "รวม", "seat", "seats", "people"})


def _says_seats(turn: Turn) -> bool:
    """The message is only a number of seats: no registration question takes that as its answer."""
    if turn.understanding is None or turn.understanding.entities.count is None:
        return False
    found = reading.read(turn.text or "")
    content = found.content
    return (
        not found.question
        and bool(content)
        and all(t in SEAT_WORDS or entities.is_number(t) for t in content)
        and any(entities.is_number(t) for t in content)
    )


def _detour_replies(db: Session, turn: Turn, state: ConversationState, needed: float, question: bool) -> list[Reply]:
    """The answer of a detour as sure as `needed`, and the form question again; [] to read the message
    as an answer instead.

    A statement that merely sounds like a standards topic ("การตลาด กับ มาตรฐาน") is answered only when
    the knowledge base knows it: it is never passed to staff as an unanswered question mid-form.
    """
    route = _detour(turn, needed)
    if route is None:
        return []
    if _intent_of(turn.understanding) != Intent.ASK_STANDARD or question:
        return _run(db, turn, state, route)
    known = questions.answer_if_confident(db, turn)
    return known[:3] + forms.prompt(turn, state, again=True) if known else []


# requests about workshops and bookings: "เปลี่ยนจังหวัดเป็นเชียงใหม่" there is a search, not a change of details
ELSEWHERE = frozenset({Intent.LIST_WORKSHOPS, Intent.BOOK_WORKSHOP, Intent.CANCEL_BOOKING, Intent.MY_BOOKINGS})


# requests that start another form: asked for clearly inside a form, they leave it for the other one
SWITCHES: dict[str, str] = {Intent.CONTACT_STAFF: handoff.FORM, Intent.REGISTER_INTEREST: registration.FORM}


# requests that end any form: "อยากลบข้อมูลทั้งหมด" while editing one's details makes the deletion
# question the only one open, so its yes or no is not read as an answer to the form
ENDS_FORMS = frozenset({Intent.DELETE_MY_DATA})


def _switch(turn: Turn, state: ConversationState, text: str) -> Route | None:
    """Another form (or a deletion) asked for clearly; never a change of one of this form's fields
    ("ขอแก้ชื่อผู้ติดต่อ") nor a question about it ("ถ้ายินยอมแล้วลบทีหลังได้ไหม")."""
    understanding = turn.understanding
    intent = _intent_of(understanding)
    target = SWITCHES.get(intent)
    if understanding is None or state.form == handoff.FORM:
        return None
    if intent in ENDS_FORMS and not reading.read(text).question:
        target = ""
    if target is None or target == state.form:
        return None
    if filling.changes_a_field(turn, state, text):
        return None
    return INTENTS[understanding.intent] if understanding.confidence >= FREE_TEXT_INTERRUPT_CONFIDENCE else None


def _finish(db: Session, turn: Turn, form_name: str, progress: filling.Progress) -> list[Reply]:
    replies = list(progress.replies)
    if progress.done is None:
        return replies
    replies += COMPLETIONS[form_name](db, turn, progress.done, progress.context)
    if progress.context.after is not None:
        replies += bookings.resume_booking(db, turn, progress.context.after)
    return replies


def _run(db: Session, turn: Turn, state: ConversationState, route: Route) -> list[Reply]:
    """Run a route; after a passive one, ask the pending form question again."""
    replies = route.handle(db, turn)
    if route.passive and states.active(state):
        again = forms.prompt(turn, state, again=True)
        replies = replies[: 5 - len(again)] + again
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
        again = forms.prompt(turn, state, again=True)
        replies = replies[: 5 - len(again)] + again
    return replies


def _form_choice(db: Session, turn: Turn, state: ConversationState, value: str) -> list[Reply]:
    if not states.active(state):
        return [Text(turn.t("That question has expired. What would you like to do?"), main_menu(turn))]
    if value == forms.CANCEL:
        return _stop(db, turn, state, quits=False)
    form_name = state.form or ""
    return _finish(db, turn, form_name, filling.answer_choice(turn, state, value))
