"""The declared form engine: ask each slot, parse or re-prompt, summarise, let the user correct.

Forms are data in bot/forms/*.yml (slots, prompt msgids, choices, parser/condition/effect names);
this module loads them into frozen objects, checks every name exists, and runs them over the
`ConversationState` row. Completing a form hands its values back to the caller (the router),
which looks up what to do with them — the engine knows no flow.

Steps: a slot name while asking it; `__summary` while the user checks the answers; `__pick` while
they choose a field to change. Postback values arrive as `form:<value>`; `__skip`, `__done`,
`__confirm`, `__edit`, `__edit:<slot>` and `__cancel` are the engine's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from otopbot.dialogue import parsers
from otopbot.dialogue import state as states
from otopbot.dialogue.turn import Turn
from otopbot.errors import ContentError
from otopbot.models import ConversationState
from otopbot.postbacks import FormAnswer
from otopbot.replies import Card, Choice, Confirm, Reply, Text

SUMMARY, PICK = "__summary", "__pick"
SKIP, DONE, CONFIRM, EDIT, CANCEL = "__skip", "__done", "__confirm", "__edit", "__cancel"
CHOSEN = "__chosen"  # work-in-progress list of a multi-choice slot


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str  # msgid, ≤20 characters in every language (a quick-reply label)
    words: tuple[str, ...] = ()  # other ways users type it


@dataclass(frozen=True, slots=True)
class Slot:
    name: str
    prompt: str
    parser: str
    label: str = ""  # msgid used in the summary
    reprompt: str = ""
    choices: tuple[Option, ...] = ()
    optional: bool = False
    multi: bool = False
    gate: bool = False  # a yes/no question; "no" abandons the form
    question: str = ""  # the short Confirm text of a gate
    when: str | None = None
    entity: str | None = None  # prefill from Understanding.entities.<entity>
    effect: str | None = None


@dataclass(frozen=True, slots=True)
class Form:
    name: str
    slots: tuple[Slot, ...]
    summary: bool = False
    summary_title: str = ""
    declined: str = ""

    def slot(self, name: str) -> Slot | None:
        return next((s for s in self.slots if s.name == name), None)


@dataclass(slots=True)
class Progress:
    """What a turn inside a form produced: replies, or the finished values."""

    replies: list[Reply] = field(default_factory=list)
    done: dict[str, Any] | None = None
    resume: dict[str, Any] = field(default_factory=dict)
    rejected: bool = False  # the text did not answer the pending question


# --- declarations -----------------------------------------------------------------------------


def _slot(data: dict[str, Any], where: str) -> Slot:
    choices = tuple(Option(o["value"], o["label"], tuple(o.get("words", ()))) for o in data.get("choices", ()))
    slot = Slot(
        name=data["name"], prompt=data["prompt"], parser=data.get("parser", "text"), label=data.get("label", ""),
        reprompt=data.get("reprompt", ""), choices=choices, optional=bool(data.get("optional")),
        multi=bool(data.get("multi")), gate=bool(data.get("gate")), question=data.get("question", ""),
        when=data.get("when"), entity=data.get("entity"), effect=data.get("effect"),
    )
    for kind, name, table in (("parser", slot.parser, parsers.PARSERS), ("when", slot.when, parsers.CONDITIONS),
                              ("effect", slot.effect, parsers.EFFECTS)):
        if name is not None and name not in table:
            raise ContentError(f"{where}: slot {slot.name!r} names unknown {kind} {name!r}")
    return slot


def load_form(path: Path) -> Form:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        slots = tuple(_slot(s, str(path)) for s in data["slots"])
        return Form(data["name"], slots, bool(data.get("summary")), data.get("summary_title", ""),
                    data.get("declined", ""))
    except KeyError as missing:
        raise ContentError(f"{path}: missing key {missing}") from None


@lru_cache(maxsize=4)
def load_forms(content_dir: Path) -> dict[str, Form]:
    """Every form in bot/forms/, by name."""
    return {form.name: form for form in map(load_form, sorted((content_dir / "forms").glob("*.yml")))}


def form_named(turn: Turn, name: str) -> Form:
    return load_forms(turn.context.settings.content_dir)[name]


# --- asking -----------------------------------------------------------------------------------


def _applies(slot: Slot, values: dict[str, Any], turn: Turn) -> bool:
    return slot.when is None or parsers.CONDITIONS[slot.when](values, turn)


def next_step(form: Form, values: dict[str, Any], turn: Turn) -> str | None:
    """The first slot still unanswered, else the summary (or None when the form is complete)."""
    for slot in form.slots:
        if slot.name not in values and _applies(slot, values, turn):
            return slot.name
    return SUMMARY if form.summary else None


def _choice(turn: Turn, label: str, value: str) -> Choice:
    text = turn.t(label)
    return Choice(label=text[:20], postback=FormAnswer(value).data, display_text=text)


def _quick(turn: Turn, slot: Slot, chosen: list[str]) -> tuple[Choice, ...]:
    options = [_choice(turn, o.label, o.value) for o in slot.choices if o.value not in chosen]
    if slot.multi:
        options.append(_choice(turn, "Done", DONE))
    if slot.optional:
        options.append(_choice(turn, "Skip", SKIP))
    options.append(_choice(turn, "Cancel", CANCEL))
    return tuple(options[:13])


def _ask(turn: Turn, slot: Slot, values: dict[str, Any], lead: str | None = None) -> list[Reply]:
    if slot.gate:
        yes, no = _choice(turn, "Yes, I agree", "yes"), _choice(turn, "No, thanks", "no")
        return [Text(lead or turn.t(slot.prompt)), Confirm(turn.t(slot.question), yes, no)]
    chosen = list(values.get(CHOSEN, []))
    text = lead or turn.t(slot.prompt)
    if chosen:
        picked = ", ".join(turn.t(o.label) for o in slot.choices if o.value in chosen)
        text = turn.t("Chosen so far: {picked}. Anything else? Tap “Done” when finished.", picked=picked)
    return [Text(text, _quick(turn, slot, chosen))]


def _show(turn: Turn, slot: Slot, value: Any) -> str:
    if value is None or value == []:
        return "–"
    labels = {o.value: turn.t(o.label) for o in slot.choices}
    if isinstance(value, list):
        items: list[str] = value
        return ", ".join(labels.get(v, v) for v in items)
    if slot.parser == "phone":
        return parsers.show_phone(str(value))
    return labels.get(str(value), str(value))


def summary_lines(turn: Turn, form: Form, values: dict[str, Any]) -> tuple[str, ...]:
    """`Label: value` for each answered slot that applies, in the user's language."""
    shown = [s for s in form.slots if s.label and s.name in values and _applies(s, values, turn)]
    return tuple(f"{turn.t(s.label)}: {_show(turn, s, values[s.name])}" for s in shown)


def summary(turn: Turn, form: Form, values: dict[str, Any]) -> list[Reply]:
    lines = summary_lines(turn, form, values)
    actions = (_choice(turn, "Confirm", CONFIRM), _choice(turn, "Change something", EDIT))
    return [Card(turn.t(form.summary_title), lines, actions, alt_text=turn.t(form.summary_title),
                 quick_replies=actions + (_choice(turn, "Cancel", CANCEL),))]


def _pick(turn: Turn, form: Form, values: dict[str, Any]) -> list[Reply]:
    fields = [_choice(turn, s.label, f"{EDIT}:{s.name}") for s in form.slots
              if s.label and _applies(s, values, turn)]
    return [Text(turn.t("Which detail would you like to change?"), tuple(fields[:12]))]


def prompt(turn: Turn, state: ConversationState) -> list[Reply]:
    """Ask the pending question again (after an interruption, or when the form resumes)."""
    form = form_named(turn, state.form or "")
    values = dict(state.slots or {})
    if state.step == SUMMARY:
        return summary(turn, form, values)
    if state.step == PICK:
        return _pick(turn, form, values)
    slot = form.slot(state.step or "")
    return _ask(turn, slot, values) if slot else []


# --- answering --------------------------------------------------------------------------------


def _advance(turn: Turn, state: ConversationState, form: Form, values: dict[str, Any]) -> Progress:
    step = next_step(form, values, turn)
    if step is None:
        resume = dict(state.resume or {})
        states.clear(state, turn.now)
        return Progress(done={k: v for k, v in values.items() if k != CHOSEN}, resume=resume)
    state.slots = values
    state.step = step
    state.updated_at = turn.now
    return Progress(prompt(turn, state))


def _store(turn: Turn, state: ConversationState, form: Form, slot: Slot, value: Any) -> Progress:
    values = {k: v for k, v in (state.slots or {}).items() if k != CHOSEN}
    if slot.gate and value is False:
        states.clear(state, turn.now)
        return Progress([Text(turn.t(form.declined))], done=None)
    if slot.effect:
        parsers.EFFECTS[slot.effect](value, turn)
    values[slot.name] = value
    return _advance(turn, state, form, values)


def _reject(turn: Turn, slot: Slot, values: dict[str, Any]) -> Progress:
    lead = turn.t(slot.reprompt) if slot.reprompt else turn.t("Sorry, I didn't catch that.") + " " + turn.t(slot.prompt)
    return Progress(_ask(turn, slot, values, lead), rejected=True)


def _add_choices(turn: Turn, state: ConversationState, form: Form, slot: Slot, picked: list[str],
                 finished: bool) -> Progress:
    chosen = list(dict.fromkeys([*state.slots.get(CHOSEN, []), *picked]))
    if finished and chosen:
        return _store(turn, state, form, slot, chosen)
    if finished:
        return _reject(turn, slot, state.slots)
    states.put(state, turn.now, step=slot.name, **{CHOSEN: chosen})
    return Progress(_ask(turn, slot, state.slots))


def _answer_slot(turn: Turn, state: ConversationState, form: Form, slot: Slot, text: str) -> Progress:
    if slot.optional and parsers.is_skip(text):
        return _store(turn, state, form, slot, None)
    value = parsers.PARSERS[slot.parser](text, slot, turn)
    if value is parsers.REJECT:
        return _reject(turn, slot, state.slots or {})
    if value is parsers.OUT_OF_RANGE:  # clearly meant for this question: re-ask rather than detour
        return Progress(_reject(turn, slot, state.slots or {}).replies)
    if slot.multi:
        return _add_choices(turn, state, form, slot, list(value), parsers.is_done(text))
    return _store(turn, state, form, slot, value)


def _edit(turn: Turn, state: ConversationState, form: Form, name: str) -> Progress:
    slot = form.slot(name)
    if slot is None:
        return Progress(_pick(turn, form, state.slots), rejected=True)
    values = {k: v for k, v in state.slots.items() if k != name}
    states.put(state, turn.now, step=name)
    state.slots = values
    return Progress(_ask(turn, slot, values))


def _summary_text(turn: Turn, state: ConversationState, form: Form, text: str) -> Progress:
    if parsers.is_yes(text):
        return _advance_done(turn, state)
    for slot in form.slots:
        if slot.label and turn.t(slot.label) in text:
            return _edit(turn, state, form, slot.name)
    if parsers.is_no(text) or any(w in text.lower() for w in ("แก้", "เปลี่ยน", "edit", "change")):
        states.put(state, turn.now, step=PICK)
        return Progress(_pick(turn, form, state.slots))
    return Progress(summary(turn, form, state.slots), rejected=True)


def _advance_done(turn: Turn, state: ConversationState) -> Progress:
    values = {k: v for k, v in (state.slots or {}).items() if k != CHOSEN}
    resume = dict(state.resume or {})
    states.clear(state, turn.now)
    return Progress(done=values, resume=resume)


def answer_text(turn: Turn, state: ConversationState, text: str) -> Progress:
    """Use a typed message as the answer to the pending step."""
    form = form_named(turn, state.form or "")
    if state.step == SUMMARY:
        return _summary_text(turn, state, form, text)
    if state.step == PICK:
        slot = next((s for s in form.slots if s.label and turn.t(s.label) in text), None)
        return _edit(turn, state, form, slot.name if slot else "")
    slot = form.slot(state.step or "")
    if slot is None:
        return Progress(rejected=True)
    return _answer_slot(turn, state, form, slot, text)


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
    return _reject(turn, slot, state.slots or {})


def answer_choice(turn: Turn, state: ConversationState, value: str) -> Progress:
    """Use a tapped `form:<value>` as the answer to the pending step."""
    form = form_named(turn, state.form or "")
    if value == CONFIRM and state.step == SUMMARY:
        return _advance_done(turn, state)
    if value == EDIT and state.step in (SUMMARY, PICK):
        states.put(state, turn.now, step=PICK)
        return Progress(_pick(turn, form, state.slots))
    if value.startswith(EDIT + ":") and state.step in (SUMMARY, PICK):
        return _edit(turn, state, form, value.split(":", 1)[1])
    slot = form.slot(state.step or "")
    if slot is None:
        return Progress(prompt(turn, state), rejected=True)
    return _choose_value(turn, state, form, slot, value)


def start(turn: Turn, state: ConversationState, name: str, *, values: dict[str, Any] | None = None,
          resume: dict[str, Any] | None = None, at_summary: bool = False) -> Progress:
    """Begin a form, prefilled from given values and from the entities of the first message."""
    form = form_named(turn, name)
    filled = dict(values or {})
    entities = turn.understanding.entities if turn.understanding else None
    for slot in form.slots:
        found = getattr(entities, slot.entity, None) if (entities and slot.entity) else None
        if found is not None and slot.name not in filled:
            filled[slot.name] = found
    states.begin(state, name, filled, resume or {}, turn.now)
    if at_summary and form.summary and next_step(form, filled, turn) == SUMMARY:
        state.step = SUMMARY
        return Progress(summary(turn, form, filled))
    return _advance(turn, state, form, filled)


def takes_any_text(turn: Turn, state: ConversationState) -> bool:
    """True when the pending question accepts free text (so parsing cannot tell an interruption apart)."""
    if state.form is None or state.step in (SUMMARY, PICK):
        return False
    slot = form_named(turn, state.form).slot(state.step or "")
    return slot is not None and slot.parser == "text"
