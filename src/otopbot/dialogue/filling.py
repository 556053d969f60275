"""Answering a form: what each typed message or tap inside a form does to the `ConversationState`.

A typed message is read for what it does before it is used as an answer (see `reading`): a
correction of an earlier field changes that field and the pending question is asked again; at the
consent question only an unambiguous yes consents and a question is answered (what is kept, who
sees it, for how long); a question elsewhere is never an answer (the router answers it and asks
again); extra details in an answer (a phone number at the name question, "อ.สันกำแพง") are kept
and mentioned. Leaving a form is the router's: it sees stop phrases before the form does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from otopbot.dialogue import corrections, parsers, reading
from otopbot.dialogue import state as states
from otopbot.dialogue.forms import (
    CONFIRM,
    DONE,
    EDIT,
    PICK,
    SKIP,
    SUMMARY,
    Form,
    Slot,
    applies,
    ask,
    form_named,
    next_step,
    pick,
    prompt,
    show,
    summary,
)
from otopbot.dialogue.turn import Turn
from otopbot.i18n import N_
from otopbot.models import ConversationState
from otopbot.nlu.normalize import normalize
from otopbot.replies import Reply, Text


@dataclass(slots=True)
class Progress:
    """What a turn inside a form produced: replies, or the finished values."""

    replies: list[Reply] = field(default_factory=list)
    done: dict[str, Any] | None = None
    context: states.Context = field(default_factory=states.Context)  # the context the form ended with
    rejected: bool = False  # the text did not answer the pending question (the router may detour)


# --- moving on --------------------------------------------------------------------------------


def _finish(turn: Turn, state: ConversationState, values: dict[str, Any]) -> Progress:
    ended = states.context(state)
    states.clear(state, turn.now)
    return Progress(done=dict(values), context=ended)


def _advance(
    turn: Turn, state: ConversationState, form: Form, values: dict[str, Any], lead: str | None = None
) -> Progress:
    step = next_step(form, values, turn)
    if step is None:
        progress = _finish(turn, state, values)
        progress.replies = [Text(lead)] if lead else []
        return progress
    state.slots = values
    state.step = step
    state.updated_at = turn.now
    states.update(state, chosen=())
    return Progress(prompt(turn, state, lead))


def _noted(turn: Turn, form: Form, extras: dict[str, Any], answer: dict[str, Any] | None = None) -> str | None:
    """What was taken from a message that held more than the answer: "Noted: name สมชาย, phone 08…".

    `answer` is the pending question's own value when words around it were left out; `extras` are
    details for other questions ("Also noted: phone 0812345678" when the answer itself was plain).
    """
    taken = {**(answer or {}), **extras}
    items = [f"{turn.t(s.label)} {show(turn, s, taken[s.name])}" for s in form.slots if s.name in taken and s.label]
    if not items:
        return None
    if answer:
        return turn.t("Noted: {items}.", items=", ".join(items))
    return turn.t("Also noted: {items}.", items=", ".join(items))


def _store(
    turn: Turn,
    state: ConversationState,
    form: Form,
    slot: Slot,
    value: Any,
    extras: dict[str, Any] | None = None,
    trimmed: bool = False,
    note: str | None = None,
) -> Progress:
    values = dict(state.slots or {})
    if slot.gate and value is False:
        states.clear(state, turn.now)
        return Progress([Text(turn.t(form.declined))])
    if slot.effect:
        parsers.EFFECTS[slot.effect](value, turn)
    values.update(extras or {})
    values[slot.name] = value
    answer = {slot.name: value} if trimmed or extras else None
    denied = {s.name for s in form.slots if s.denied_by}
    shown = {k: v for k, v in (extras or {}).items() if not (v is None and k in denied)}
    lead = " ".join(filter(None, (_noted(turn, form, shown, answer), note)))
    return _advance(turn, state, form, values, lead or None)


def _reject(turn: Turn, state: ConversationState, slot: Slot, lead: str | None = None) -> Progress:
    text = lead or (
        turn.t(slot.reprompt) if slot.reprompt else turn.t("Sorry, I didn't catch that.") + " " + turn.t(slot.prompt)
    )
    return Progress(ask(turn, slot, state, text), rejected=True)


# --- typed answers ----------------------------------------------------------------------------


def _extras(
    turn: Turn, form: Form, slot: Slot, values: dict[str, Any], text: str, strict: bool = True
) -> dict[str, Any]:
    """Details for other, unanswered slots found in this answer (a phone number, a district)."""
    found: dict[str, Any] = {}
    for other in form.slots:
        if strict and other.finder not in parsers.STRICT_FINDERS:
            continue
        if other is not slot and other.finder and other.name not in values and applies(other, values, turn):
            value = parsers.FINDERS[other.finder](text)
            if value:
                found[other.name] = value
    return found


def _without(text: str, extras: dict[str, Any]) -> str:
    if "phone" in extras:
        text = parsers.without_phone(text)
    if "district" in extras:
        text = parsers.without_district(text)
    return text


def _add_choices(
    turn: Turn, state: ConversationState, form: Form, slot: Slot, picked: list[str], finished: bool
) -> Progress:
    chosen = tuple(dict.fromkeys([*states.context(state).chosen, *picked]))
    if finished and chosen:
        return _store(turn, state, form, slot, list(chosen))
    if finished:
        return _reject(turn, state, slot)
    states.update(state, chosen=chosen)
    state.updated_at = turn.now
    return Progress(ask(turn, slot, state))


def led_details(turn: Turn, form: Form, values: dict[str, Any], chunks: list[str]) -> dict[str, Any]:
    """Details led by their own word, chunk by chunk: "ทำข้าวแต๋น" (products), "อยู่ลำปาง" (province).

    A product also answers the question it belongs to when that one is still open (ข้าวแต๋น → food).
    """
    found: dict[str, Any] = {}
    for chunk in _detail_pieces(form, chunks):
        tokens = reading.raw_tokens(chunk)
        lead = normalize(tokens[0]) if tokens else ""
        if not lead or reading.read(chunk).question:  # "ทำยังไงคะ" names no product
            continue
        for other in form.slots:
            if other.name in values or other.name in found or lead not in other.detail_words:
                continue
            if not applies(other, values, turn):
                continue
            value = parsers.PARSERS[other.parser](chunk, other, turn)
            if not isinstance(value, parsers.Reject) and _names_something(turn, form, other, value):
                found[other.name] = value
                break
    for other in form.slots:
        for source in other.also_from:
            owner = form.slot(source)
            if other.name in found and owner is not None and source not in values and source not in found:
                value = parsers.PARSERS[owner.parser](str(found[other.name]), owner, turn)
                if not isinstance(value, parsers.Reject):
                    found[source] = value
    return found


def _detail_pieces(form: Form, chunks: list[str]) -> list[str]:
    """Chunks cut before every detail word: "ทำน้ำพริกอยู่" → "ทำน้ำพริก", "อยู่"."""
    leads = {word for slot in form.slots for word in slot.detail_words}
    pieces: list[str] = []
    for chunk in chunks:
        current = ""
        for token in reading.raw_tokens(chunk):
            if current and normalize(token) in leads:
                pieces.append(current)
                current = ""
            current += token
        if current:
            pieces.append(current)
    return pieces


def _names_something(turn: Turn, form: Form, slot: Slot, value: Any) -> bool:
    """Free text led by "ทำ" is a product only when it names one we know (a category's product)."""
    if slot.parser != "text" or not slot.also_from:
        return True
    owners = [form.slot(name) for name in slot.also_from]
    return any(o is not None and _beyond_choice_names(turn, o, str(value)) is not None for o in owners)


def _without_led(turn: Turn, form: Form, slot: Slot, values: dict[str, Any], text: str) -> tuple[str, dict[str, Any]]:
    """A free-text answer with other details after it ("กลุ่มแม่บ้านหนองแก ทำข้าวแต๋น อยู่ลำปาง"):
    the answer is the first chunks, the led details go to their own questions."""
    chunks = text.split()
    if slot.parser != "text" or slot.verbatim or len(chunks) < 2:
        return text, {}
    kept, found = [chunks[0]], dict[str, Any]()
    for chunk in chunks[1:]:
        more = led_details(turn, form, {**values, **found, slot.name: ""}, [chunk])
        if more:
            found.update(more)
        else:
            kept.append(chunk)
    return " ".join(kept), found


def _denied(turn: Turn, form: Form, values: dict[str, Any], text: str) -> tuple[dict[str, Any], str | None]:
    """Optional details the message says the owner lacks ("ยังไม่ได้จดทะเบียน"): skipped, with their note."""
    found = reading.read(text)
    open_ones = [s for s in form.slots if s.denied_by and s.optional and s.name not in values]
    skipped = [s for s in open_ones if applies(s, values, turn) and found.denies(*s.denied_by)]
    notes = " ".join(turn.t(s.denied_note) for s in skipped if s.denied_note)
    return {s.name: None for s in skipped}, notes or None


def _answer_slot(turn: Turn, state: ConversationState, form: Form, slot: Slot, text: str) -> Progress:
    if slot.optional and (parsers.is_skip(text) or slot.denied_by and reading.read(text).denies(*slot.denied_by)):
        note = turn.t(slot.denied_note) if slot.denied_note and not parsers.is_skip(text) else None
        return _store(turn, state, form, slot, None, note=note)
    values = dict(state.slots or {})
    text, led = _without_led(turn, form, slot, values, text)
    extras = {} if slot.verbatim else {**_extras(turn, form, slot, values, text), **led}
    answer = _without(text, extras) if slot.parser == "text" else text
    value = parsers.PARSERS[slot.parser](answer, slot, turn)
    if value is parsers.OUT_OF_RANGE:  # clearly meant for this question: re-ask rather than detour
        return Progress(_reject(turn, state, slot).replies)
    if value is parsers.REJECT:  # not the answer, but maybe other details: "0812345678" at the name question
        extras = {} if slot.verbatim else _extras(turn, form, slot, values, text, strict=False)
    if value is parsers.REJECT and extras:  # keep them, and ask the question again
        state.slots = {**values, **extras}
        return Progress(prompt(turn, state, _noted(turn, form, extras)))
    if value is parsers.REJECT and slot.parser == "phone" and not parsers.has_digit(text):
        return _reject(turn, state, slot, turn.t(slot.prompt))  # no number at all: not "that number is wrong"
    if value is parsers.REJECT:
        return _reject(turn, state, slot)
    if slot.multi:
        return _add_choices(turn, state, form, slot, list(value), parsers.is_done(text))
    plain = reading.strip_particles(" ".join(text.split()))
    trimmed = slot.parser == "text" and len(reading.words(str(value))) < len(reading.words(plain))
    extras = {**extras, **_taken_along(turn, form, slot, values, text, value)}
    skipped, note = _denied(turn, form, {**values, **extras, slot.name: value}, text)
    return _store(turn, state, form, slot, value, {**extras, **skipped}, trimmed, note)


def _beyond_choice_names(turn: Turn, slot: Slot, text: str) -> str | None:
    """The text without the names of the slot's choices ("อาหารแปรรูป พวกกล้วยฉาบ" → "พวกกล้วยฉาบ"), if
    anything is left that still answers the slot, i.e. names something more specific than a choice."""
    if not slot.choices:
        return None
    names = [n for o in slot.choices for n in (o.value, o.label, turn.t(o.label), *o.words)]
    rest = reading.without_phrases(text, names)
    if not reading.read(rest).content or isinstance(parsers.PARSERS[slot.parser](rest, slot, turn), parsers.Reject):
        return None
    return rest


def _taken_along(turn: Turn, form: Form, slot: Slot, values: dict[str, Any], text: str, value: Any) -> dict[str, Any]:
    """Answers to later questions held in this one: "ทำน้ำพริกกับแคบหมู" at the category question.

    Once the choice's own names (อาหาร, แก้ว …) are taken out, what is left still points to the same
    choice only when it names something more specific: the products, kept for a slot declaring
    `also_from` this one (so the owner is not asked for them again).
    """
    rest = _beyond_choice_names(turn, slot, text)
    if rest is None or parsers.PARSERS[slot.parser](rest, slot, turn) != value:
        return {}
    taken: dict[str, Any] = {}
    for other in form.slots:
        if slot.name in other.also_from and other.name not in values and applies(other, values, turn):
            found = parsers.PARSERS[other.parser](rest, other, turn)
            if not isinstance(found, parsers.Reject):
                taken[other.name] = found
    return taken


LETS_FINISH = N_("Let's finish this first, then ask me anything — or type “พอก่อน” to stop now.")


def known_answer(turn: Turn, form: Form, found: reading.Reading) -> str | None:
    """The form's own answer to a question asked in the middle of it (cost, time, what is kept)."""
    if not (found.question or found.asks_which):
        return None
    for question in form.questions:
        if question.needs and not found.has(*question.needs):
            continue
        if any(found.has(word) for word in question.words) and not any(found.has(w) for w in question.unless):
            return turn.t(question.answer)
    return None


def _gate_text(turn: Turn, state: ConversationState, form: Form, slot: Slot, text: str) -> Progress:
    """Consent: only an unambiguous yes consents; a question gets its answer and the question again.

    A question the form cannot answer is rejected, so that the router can answer it as it would
    outside the form (workshops, standards) before asking for consent again.
    """
    found = reading.read(text)
    if reading.is_consent(found):
        return _store(turn, state, form, slot, True)
    if reading.is_decline(found):
        return _store(turn, state, form, slot, False)
    if (known := known_answer(turn, form, found)) is not None:
        return Progress(ask(turn, slot, state, known))
    if found.question:
        return Progress(ask(turn, slot, state, turn.t(LETS_FINISH)), rejected=True)
    return _reject(turn, state, slot)


def _edit(turn: Turn, state: ConversationState, form: Form, name: str, lead: str | None = None) -> Progress:
    slot = form.slot(name)
    if slot is None or not slot.asked:
        return Progress(pick(turn, form, state.slots or {}), rejected=True)
    state.slots = {k: v for k, v in (state.slots or {}).items() if k != name}
    state.step = name
    state.updated_at = turn.now
    states.update(state, chosen=())
    return Progress(([Text(lead)] if lead else []) + ask(turn, slot, state))


def change_note(turn: Turn, slot: Slot, value: Any) -> str:
    """ "แก้เบอร์โทรเป็น 081… แล้วค่ะ": what was changed, in the owner's language."""
    field_name = turn.t(slot.label)
    field_name += " " if field_name[-1:].isascii() and turn.t.lang == "th" else ""  # "หมวด OTOP เป็น"
    return turn.t("Changed {field} to {value}.", field=field_name, value=show(turn, slot, value))


def _correct(turn: Turn, state: ConversationState, form: Form, fix: corrections.Correction) -> Progress:
    """Change one earlier answer and return to where the owner was (the same question or the summary)."""
    if fix.value is None:
        return _edit(turn, state, form, fix.slot.name)
    values = {k: v for k, v in (state.slots or {}).items() if k not in fix.slot.clears}
    values[fix.slot.name] = fix.value
    lead = change_note(turn, fix.slot, fix.value)
    if state.step in (SUMMARY, PICK):
        state.step = SUMMARY
    pending = state.step
    state.slots = values
    state.updated_at = turn.now
    if pending == SUMMARY or next_step(form, values, turn) != pending:
        return _advance(turn, state, form, values, lead)
    return Progress(prompt(turn, state, lead))


def _named_field(turn: Turn, form: Form, text: str) -> Slot | None:
    found = reading.read(text)
    for slot in form.slots:
        if slot.asked and slot.label and (found.has(turn.t(slot.label)) or any(found.has(n) for n in slot.names)):
            return slot
    return None


def changes_a_field(turn: Turn, state: ConversationState, text: str) -> bool:
    """The message names one of the form's fields with a word of changing (แก้, เปลี่ยน, ผิด …)."""
    found = reading.read(text)
    if state.form is None or not any(found.has(marker) for marker in corrections.MARKERS):
        return False
    return _named_field(turn, form_named(turn, state.form), text) is not None


def _summary_text(turn: Turn, state: ConversationState, form: Form, text: str) -> Progress:
    found = reading.read(text)
    if reading.is_yes(found, ("ยืนยัน", "ส่ง", "บันทึก", "ถูกต้อง")):
        return _finish(turn, state, dict(state.slots or {}))
    if (slot := _named_field(turn, form, text)) is not None and not found.question:
        return _edit(turn, state, form, slot.name)
    if not found.question and (reading.is_no(found) or found.has("แก้", "แก้ไข", "เปลี่ยน", "edit", "change")):
        state.step = PICK
        return Progress(pick(turn, form, state.slots or {}))
    return Progress(summary(turn, form, state.slots or {}), rejected=True)


def answer_text(turn: Turn, state: ConversationState, text: str) -> Progress:
    """Use a typed message inside a form: a correction, the answer, or (rejected) something else."""
    form = form_named(turn, state.form or "")
    slot = form.slot(state.step or "")
    if slot is not None and slot.verbatim:
        return _answer_slot(turn, state, form, slot, text)
    pending = None if state.step in (SUMMARY, PICK) else state.step
    fix = corrections.find(turn, form, dict(state.slots or {}), text, pending=pending)
    if fix is not None:
        return _correct(turn, state, form, fix)
    found = reading.read(text)
    # the gate answers its questions with the yes/no again
    if (slot is None or not slot.gate) and (known := known_answer(turn, form, found)) is not None:
        return Progress(prompt(turn, state, known))
    if state.step == SUMMARY:
        return _summary_text(turn, state, form, text)
    if state.step == PICK:
        named = _named_field(turn, form, text)
        return _edit(turn, state, form, named.name if named else "")
    if slot is None:
        return Progress(rejected=True)
    if slot.gate:
        return _gate_text(turn, state, form, slot, text)
    if found.question or (slot.choices and found.asks_which):  # never an answer; the router answers it or says so
        return _reject(turn, state, slot, turn.t(LETS_FINISH) + " " + turn.t(slot.prompt))
    return _answer_slot(turn, state, form, slot, text)


# --- taps ---------------------------------------------------------------------------------------


def _choose_value(turn: Turn, state: ConversationState, form: Form, slot: Slot, value: str) -> Progress:
    if slot.gate:
        return _store(turn, state, form, slot, value == "yes")
    if value == SKIP and slot.optional:
        return _store(turn, state, form, slot, None)
    known = {o.value for o in slot.choices}
    if slot.multi and (value in known or value == DONE):
        return _add_choices(turn, state, form, slot, [value] if value != DONE else [], value == DONE)
    if not slot.multi and value in known:
        return _store(turn, state, form, slot, value)
    return _reject(turn, state, slot)


def answer_choice(turn: Turn, state: ConversationState, value: str) -> Progress:
    """Use a tapped `form:<value>` as the answer to the pending step."""
    form = form_named(turn, state.form or "")
    if value == CONFIRM and state.step == SUMMARY:
        return _finish(turn, state, dict(state.slots or {}))
    if value == EDIT and state.step in (SUMMARY, PICK):
        state.step = PICK
        return Progress(pick(turn, form, state.slots or {}))
    if value.startswith(EDIT + ":") and state.step in (SUMMARY, PICK):
        return _edit(turn, state, form, value.split(":", 1)[1])
    slot = form.slot(state.step or "")
    if slot is None:
        return Progress(prompt(turn, state), rejected=True)
    return _choose_value(turn, state, form, slot, value)


def _prefill(turn: Turn, form: Form, values: dict[str, Any]) -> dict[str, Any]:
    """Slot values from the entities (and finders) of the message that started the form."""
    filled = dict(values)
    entities = turn.understanding.entities if turn.understanding else None
    for slot in form.slots:
        found = getattr(entities, slot.entity, None) if (entities and slot.entity) else None
        if found is None and slot.finder and turn.text:
            found = parsers.FINDERS[slot.finder](turn.text)
        if found is not None and slot.name not in filled and parsers.plausible(slot, found):
            filled[slot.name] = found
    return {**led_details(turn, form, filled, (turn.text or "").split()), **filled}


def start(
    turn: Turn,
    state: ConversationState,
    name: str,
    *,
    values: dict[str, Any] | None = None,
    context: states.Context | None = None,
    at_summary: bool = False,
) -> Progress:
    """Begin a form, prefilled from given values and from the entities of the first message."""
    form = form_named(turn, name)
    filled = _prefill(turn, form, values or {})
    states.begin(state, name, filled, context or states.Context(), turn.now)
    if at_summary and form.summary and next_step(form, filled, turn) == SUMMARY:
        state.step = SUMMARY
        return Progress(summary(turn, form, filled))
    return _advance(turn, state, form, filled)


def pause(turn: Turn, state: ConversationState, quits: bool) -> bool:
    """Leave the form; a resumable one keeps its answers so far unless the owner gave it up. True when kept.

    Nothing is kept before the owner has consented, nor a bare consent: there would be nothing to go on from.
    """
    form = form_named(turn, state.form or "")
    values = {k: v for k, v in (state.slots or {}).items() if not getattr(form.slot(k), "gate", False)}
    if quits or not form.resumable or turn.user.consent_at is None or not values:
        states.clear(state, turn.now)
        return False
    states.pause(state, turn.now, values)
    return True


def takes_any_text(turn: Turn, state: ConversationState) -> bool:
    """True when the pending question accepts free text (so parsing cannot tell an interruption apart)."""
    if state.form is None or state.step in (SUMMARY, PICK):
        return False
    slot = form_named(turn, state.form).slot(state.step or "")
    return slot is not None and slot.parser in ("text", "verbatim")
