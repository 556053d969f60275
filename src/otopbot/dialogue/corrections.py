"""Corrections typed inside a form: "จังหวัดผิด จริงๆอยู่ลำพูน", "แก้จังหวัดเป็นน่าน", "เบอร์ผิด ขอแก้เป็น 08…".

A correction changes one earlier answer and leaves the pending question where it was, so no later
answer shifts. The field is named by one of its words (bot/forms `names`: จังหวัด, เบอร์, ชื่อ, หมวด…)
or recognised by the kind of the new value (a phone number, a province, a category); the new
value is what follows the last marker word (เป็น, จริงๆ, ผิด, แก้ …), parsed by the field's parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from otopbot.dialogue import parsers, reading
from otopbot.dialogue.forms import Form, Slot, applies
from otopbot.dialogue.turn import Turn
from otopbot.nlu import entities
from otopbot.nlu.normalize import normalize

MARKERS = ("ผิด", "แก้", "แก้ไข", "เปลี่ยน", "ไม่ใช่", "พิมพ์ผิด", "ขอแก้", "ไม่ถูก", "correct", "change", "wrong")
VALUE_MARKERS = frozenset(
    {
        "เป็น",
        "คือ",
        "ว่า",
        "จริงๆ",
        "จริง",
        "ผิด",
        "แก้",
        "แก้ไข",
        "เปลี่ยน",
        "ใหม่",
        "to",
        "is",
        "ไม่ใช่",
        "ที่ถูก",
        "ถูก",
        "ต้อง",
        "ไม่ถูก",
    }
)
VALUE_LEADS = frozenset({"อยู่", "ที่", "เป็น", "คือ", "ชื่อ", "ว่า", "ใหม่", "จังหวัด", "ขอ", "เบอร์", "ค่ะ", "ครับ"})
# parsers whose values an entity extractor recognises in any message
_BY_VALUE = (("phone", parsers.find_phone), ("province", entities.province), ("category", entities.category))


@dataclass(frozen=True, slots=True)
class Correction:
    slot: Slot
    value: Any  # the parsed new value, or None when only the field was named ("จังหวัดผิดค่ะ")


def _named(form: Form, found: reading.Reading, values: dict[str, Any], turn: Turn) -> tuple[Slot, str] | None:
    """The field a word of the message names (the longest name wins: ชื่อกลุ่ม before ชื่อ)."""
    hits = [
        (len(reading.words(name)), slot, name)
        for slot in form.slots
        for name in slot.names
        if applies(slot, values, turn) and found.has(name)
    ]
    if not hits:
        return None
    _, slot, name = max(hits, key=lambda hit: hit[0])
    return slot, name


def _by_value(form: Form, text: str, values: dict[str, Any], turn: Turn) -> Slot | None:
    for parser, finder in _BY_VALUE:
        if finder(text):
            slot = next((s for s in form.slots if s.parser == parser and applies(s, values, turn)), None)
            if slot is not None:
                return slot
    # "ไม่ใช่ SME ค่ะ เป็นวิสาหกิจชุมชน": an answered single choice whose other option is affirmed
    for slot in form.slots:
        if slot.parser == "choice" and slot.name in values and applies(slot, values, turn):
            affirmed = [o.value for o in slot.choices if parsers.option_matches(o, text, turn)]
            if affirmed and values[slot.name] not in affirmed:
                return slot
    return None


def _tail(text: str, name: str | None) -> str:
    """The raw text after the last marker word or the last mention of the field's name."""
    pieces: list[tuple[str, bool]] = []
    for chunk in text.split():
        pieces += [(token, i == 0) for i, token in enumerate(reading.raw_tokens(chunk))]
    tokens = tuple(normalize(token) for token, _ in pieces)
    ends = [i + 1 for i, token in enumerate(tokens) if token in VALUE_MARKERS]
    if name:
        ends += [start + len(reading.words(name)) for start in reading.phrase_at(tokens, name)]
    out = ""
    for token, starts_chunk in pieces[max(ends, default=0) :]:
        out += (" " if starts_chunk and out else "") + token
    return out


def _value(slot: Slot, text: str, name: str | None, turn: Turn) -> Any:
    rest = reading.strip_particles(_tail(text, name), VALUE_LEADS | frozenset(slot.lead_words))
    if not rest:
        return None
    # "ไม่ใช่เชียงใหม่ เชียงรายค่ะ": for a recognised kind of value the last one said is the new one
    tries = [rest] if slot.parser in ("text", "verbatim") else [rest.split()[-1], rest]
    for attempt in tries:
        value = parsers.PARSERS[slot.parser](attempt, slot, turn)
        if not isinstance(value, parsers.Reject):
            return value
    return None


def find(turn: Turn, form: Form, values: dict[str, Any], text: str, *, pending: str | None) -> Correction | None:
    """The correction a message makes to an answered field other than the pending one, if it is one.

    At the summary (`pending` None) naming a field is enough; at a question a marker word
    (ผิด, แก้, เปลี่ยน, ไม่ใช่ …) must say that an earlier answer is wrong.
    """
    found = reading.read(text)
    if found.question or found.stop:
        return None
    marked = any(found.has(marker) for marker in MARKERS)
    if pending is not None and not marked:
        return None
    named = _named(form, found, values, turn)
    slot = named[0] if named else (_by_value(form, text, values, turn) if marked else None)
    if slot is None or slot.name == pending or slot.gate or slot.multi:
        return None
    if pending is not None and slot.name not in values:
        return None
    return Correction(slot, _value(slot, text, named[1] if named else None, turn))
