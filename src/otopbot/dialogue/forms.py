"""Declared forms: load and check bot/forms/*.yml, ask a slot, show the summary.

Forms are data in bot/forms/*.yml (slots, prompt msgids, choices, parser/condition/effect names);
this module loads them into frozen objects and checks every name exists — at start-up
(`otopbot.content.check_content`, run by the app, the worker and `otopbot seed`).
Answering lives in `filling` (typed answers, corrections, taps); the engine knows no flow.

Steps: a slot name while asking it; `__summary` while the user checks the answers; `__pick` while
they choose a field to change. Postback values arrive as `form:<value>`; `__skip`, `__done`,
`__confirm`, `__edit`, `__edit:<slot>` and `__cancel` are the engine's own.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    finder: str | None = None  # prefill from any message by parsers.FINDERS[<finder>]
    effect: str | None = None
    names: tuple[str, ...] = ()  # words an owner uses to name the field in a correction (จังหวัด, เบอร์)
    lead_words: tuple[str, ...] = ()  # words before the answer that are not part of it (ชื่อ, ทำ)
    verbatim: bool = False  # the answer is kept as typed: never read as a question, detour or correction
    person: bool = False  # a person's name: never a bare OTOP category or province ("อาหาร" typed late)
    asked: bool = True  # False: only filled when the owner mentions it (a district)
    clears: tuple[str, ...] = ()  # answers that no longer hold when this one changes (province → district)
    also_from: tuple[str, ...] = ()  # questions whose answer may hold this one too (products at the category)
    detail_words: tuple[str, ...] = ()  # words that lead this detail in any message ("ทำ" น้ำพริก, "อยู่" ลำปาง)
    # an optional detail the owner says they lack ("ยังไม่ได้จดทะเบียน"): skipped, never asked
    denied_by: tuple[str, ...] = ()
    denied_note: str = ""  # msgid said when it is skipped that way


@dataclass(frozen=True, slots=True)
class FormQuestion:
    """A question owners ask in the middle of a form (does it cost anything?), answered from the
    form's own facts before the pending question is asked again. Matched on whole words."""

    words: tuple[str, ...]
    answer: str  # msgid
    unless: tuple[str, ...] = ()  # words that make it another question ("อบรมนานไหม" is not about the form)
    needs: tuple[str, ...] = ()  # one of these must be said too ("ต่างกันยังไง" is about the types only with one)


@dataclass(frozen=True, slots=True)
class Form:
    name: str
    slots: tuple[Slot, ...]
    summary: bool = False
    summary_title: str = ""
    declined: str = ""
    questions: tuple[FormQuestion, ...] = ()
    resumable: bool = False  # a pause ("พอก่อน") keeps the answers, and starting again goes on from them

    def slot(self, name: str) -> Slot | None:
        return next((s for s in self.slots if s.name == name), None)


# --- declarations -----------------------------------------------------------------------------

_FLAGS = ("optional", "multi", "gate", "verbatim", "person")


def _slot(data: dict[str, Any], where: str) -> Slot:
    choices = tuple(Option(o["value"], o["label"], tuple(o.get("words", ()))) for o in data.get("choices", ()))
    slot = Slot(
        name=data["name"],
        prompt=data.get("prompt", ""),
        parser=data.get("parser", "text"),
        label=data.get("label", ""),
        reprompt=data.get("reprompt", ""),
        choices=choices,
        question=data.get("question", ""),
        when=data.get("when"),
        entity=data.get("entity"),
        finder=data.get("finder"),
        effect=data.get("effect"),
        names=tuple(data.get("names", ())),
        lead_words=tuple(data.get("lead_words", ())),
        asked=bool(data.get("asked", True)),
        clears=tuple(data.get("clears", ())),
        also_from=tuple(data.get("also_from", ())),
        detail_words=tuple(data.get("detail_words", ())),
        denied_by=tuple(data.get("denied_by", ())),
        denied_note=data.get("denied_note", ""),
        **{flag: bool(data.get(flag)) for flag in _FLAGS},
    )
    for kind, name, table in (
        ("parser", slot.parser, parsers.PARSERS),
        ("when", slot.when, parsers.CONDITIONS),
        ("effect", slot.effect, parsers.EFFECTS),
        ("finder", slot.finder, parsers.FINDERS),
    ):
        if name is not None and name not in table:
            raise ContentError(f"{where}: slot {slot.name!r} names unknown {kind} {name!r}")
    if slot.asked and not slot.prompt:
        raise ContentError(f"{where}: slot {slot.name!r} is asked but has no prompt")
    return slot


def load_form(path: Path) -> Form:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        slots = tuple(_slot(s, str(path)) for s in data["slots"])
        names = {slot.name for slot in slots}
        for slot in slots:
            if unknown := [n for n in slot.also_from if n not in names]:
                raise ContentError(f"{path}: slot {slot.name!r} is also_from unknown slots {unknown}")
        questions = tuple(
            FormQuestion(tuple(q["words"]), q["answer"], tuple(q.get("unless", ())), tuple(q.get("needs", ())))
            for q in data.get("questions", ())
        )
        return Form(
            data["name"],
            slots,
            bool(data.get("summary")),
            data.get("summary_title", ""),
            data.get("declined", ""),
            questions,
            bool(data.get("resumable")),
        )
    except (KeyError, TypeError) as missing:
        raise ContentError(f"{path}: missing or malformed key {missing}") from None


@lru_cache(maxsize=4)
def load_forms(content_dir: Path) -> dict[str, Form]:
    """Every form in bot/forms/, by name."""
    return {form.name: form for form in map(load_form, sorted((content_dir / "forms").glob("*.yml")))}


def form_named(turn: Turn, name: str) -> Form:
    return load_forms(turn.context.settings.content_dir)[name]


# --- asking -----------------------------------------------------------------------------------


def applies(slot: Slot, values: dict[str, Any], turn: Turn) -> bool:
    return slot.when is None or parsers.CONDITIONS[slot.when](values, turn)


def next_step(form: Form, values: dict[str, Any], turn: Turn) -> str | None:
    """The first slot still unanswered, else the summary (or None when the form is complete)."""
    for slot in form.slots:
        if slot.asked and slot.name not in values and applies(slot, values, turn):
            return slot.name
    return SUMMARY if form.summary else None


def choice(turn: Turn, label: str, value: str) -> Choice:
    text = turn.t(label)
    return Choice(label=text[:20], postback=FormAnswer(value).data, display_text=text)


def _quick(turn: Turn, slot: Slot, chosen: tuple[str, ...]) -> tuple[Choice, ...]:
    options = [choice(turn, o.label, o.value) for o in slot.choices if o.value not in chosen]
    if slot.multi:
        options.append(choice(turn, "Done", DONE))
    if slot.optional:
        options.append(choice(turn, "Skip", SKIP))
    options.append(choice(turn, "Cancel", CANCEL))
    return tuple(options[:13])


def ask(turn: Turn, slot: Slot, state: ConversationState, lead: str | None = None) -> list[Reply]:
    """The slot's question (after `lead`, e.g. a re-prompt or what was just changed)."""
    if slot.gate:
        yes, no = choice(turn, "Yes, I agree", "yes"), choice(turn, "No, thanks", "no")
        return [Text(lead or turn.t(slot.prompt)), Confirm(turn.t(slot.question), yes, no)]
    chosen = states.context(state).chosen
    text = lead or turn.t(slot.prompt)
    if chosen and slot.multi:
        picked = ", ".join(turn.t(o.label) for o in slot.choices if o.value in chosen)
        text = turn.t("Chosen so far: {picked}. Anything else? Tap “Done” when finished.", picked=picked)
    return [Text(text, _quick(turn, slot, chosen))]


def show(turn: Turn, slot: Slot, value: Any) -> str:
    """A slot value as the owner reads it: choice labels; a phone as its digits, the way owners type it."""
    if value is None or value == []:
        return "–"
    labels = {o.value: turn.t(o.label) for o in slot.choices}
    if isinstance(value, list):
        items: list[str] = value
        return ", ".join(labels.get(v, v) for v in items)
    return labels.get(str(value), str(value))


def summary_lines(turn: Turn, form: Form, values: dict[str, Any]) -> tuple[str, ...]:
    """`Label: value` for each answered slot that applies, in the user's language."""
    shown = [
        s
        for s in form.slots
        if s.label and s.name in values and applies(s, values, turn) and (s.asked or values[s.name])
    ]
    return tuple(f"{turn.t(s.label)}: {show(turn, s, values[s.name])}" for s in shown)


def summary(turn: Turn, form: Form, values: dict[str, Any], lead: str | None = None) -> list[Reply]:
    """The answers to check, with Confirm and Change on the card only (Cancel as a quick reply)."""
    lines = summary_lines(turn, form, values)
    actions = (choice(turn, "Confirm", CONFIRM), choice(turn, "Change something", EDIT))
    card = Card(
        turn.t(form.summary_title),
        lines,
        actions,
        alt_text=turn.t(form.summary_title),
        quick_replies=(choice(turn, "Cancel", CANCEL),),
    )
    return [Text(lead), card] if lead else [card]


def pick(turn: Turn, form: Form, values: dict[str, Any]) -> list[Reply]:
    fields = [
        choice(turn, s.label, f"{EDIT}:{s.name}")
        for s in form.slots
        if s.label and s.asked and applies(s, values, turn)
    ]
    return [Text(turn.t("Which detail would you like to change?"), tuple(fields[:12]))]


def prompt(turn: Turn, state: ConversationState, lead: str | None = None, again: bool = False) -> list[Reply]:
    """Ask the pending question again (after an interruption, a correction, or when the form resumes).

    `again`: the owner has just read the question (a detour answered something else), so a consent
    question comes back as its short yes/no, not the whole privacy notice a second time.
    """
    form = form_named(turn, state.form or "")
    values = dict(state.slots or {})
    if state.step == SUMMARY:
        return summary(turn, form, values, lead)
    if state.step == PICK:
        return ([Text(lead)] if lead else []) + pick(turn, form, values)
    slot = form.slot(state.step or "")
    if slot is None:
        return []
    if lead and not slot.gate:
        return [Text(lead), *ask(turn, slot, state)]
    if again and slot.gate and not lead:
        return ask(turn, slot, state)[-1:]
    return ask(turn, slot, state, lead)


def pending_slot(turn: Turn, state: ConversationState) -> Slot | None:
    """The slot being asked, if the form is at a question (not the summary)."""
    if state.form is None or state.step in (SUMMARY, PICK, None):
        return None
    return form_named(turn, state.form).slot(state.step or "")
