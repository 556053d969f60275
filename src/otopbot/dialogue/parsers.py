"""The named parsers, conditions and effects that form declarations (bot/forms/*.yml) refer to.

A parser turns what the user typed into a slot value, or returns `REJECT` so the form re-prompts.
Tapped choices never reach a parser: the engine checks them against the slot's declared choices.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from otopbot.dialogue import reading
from otopbot.nlu import entities
from otopbot.nlu.normalize import normalize
from otopbot.services.bookings import MAX_SEATS

if TYPE_CHECKING:
    from otopbot.dialogue.forms import Option, Slot
    from otopbot.dialogue.turn import Turn


class Reject:
    """Marker: the text is not an answer to the slot."""


REJECT = Reject()
OUT_OF_RANGE = Reject()  # an answer to this slot, but not an acceptable one: re-ask, never a detour
Parser = Callable[[str, "Slot", "Turn"], Any]

DONE_WORDS = ("เสร็จ", "พอแล้ว", "แค่นี้", "ครบแล้ว", "เท่านี้", "done", "finish", "that's all")
SKIP_WORDS = (
    "ข้าม",
    "ไม่มี",
    "ยังไม่มี",
    "ไม่ทราบ",
    "ไม่รู้",
    "ไม่ให้",
    "ไม่สะดวก",
    "ไม่ต้อง",
    "ทางไลน์",
    "ใน line",
    "ทาง line",
    "ในไลน์",
    "skip",
    "none",
)
MIN_TEXT, MAX_TEXT = 2, 200
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT_RUN = re.compile(r"[+\d๐-๙][\d๐-๙\s.\-]{6,}[\d๐-๙]")


def is_yes(text: str) -> bool:
    return reading.is_yes(reading.read(text))


def is_no(text: str) -> bool:
    return reading.is_no(reading.read(text))


def is_done(text: str) -> bool:
    found = reading.read(text)
    return any(found.has(word) for word in DONE_WORDS)


def is_skip(text: str) -> bool:
    found = reading.read(text)
    return normalize(text) == "-" or (not found.question and any(found.has(word) for word in SKIP_WORDS))


def clean_answer(text: str, slot: Slot) -> str:
    """Free text as stored: one space between words, no particles, fillers or the slot's lead words."""
    cleaned = reading.strip_particles(" ".join(text.split()), frozenset(slot.lead_words))
    return cleaned.strip(" ,") if _LETTER.search(cleaned) else cleaned  # "Somchai," once "phone 08…" is taken


# words that on their own answer a yes/no prompt, not a question asking for a name or products
_BARE_ANSWERS = reading.STRONG_YES | reading.WEAK_YES | reading.SOFTENERS | reading.NEGATIONS | {"ไม่ใช่"}


def free_text(text: str, slot: Slot, turn: Turn) -> Any:
    """A name or products: cleaned of particles; never only digits, never a phone number, never a bare
    yes or no ("ยืนยัน" typed at the name question is a tap on a button that is not there, not a name);
    a person's name is never a bare category or province."""
    cleaned = clean_answer(text, slot)
    if not _LETTER.search(cleaned) or entities.phone(cleaned) and len(_DIGIT_RUN.sub("", cleaned).strip()) < 2:
        return REJECT
    content = reading.read(cleaned).content
    if all(t in _BARE_ANSWERS for t in content):
        return REJECT
    if slot.person and len(content) <= 2 and (entities.category(cleaned) or entities.province(cleaned)):
        return REJECT  # "อาหาร", typed late for the category question, is not the person to call
    return cleaned if MIN_TEXT <= len(cleaned) <= MAX_TEXT else REJECT


def verbatim(text: str, slot: Slot, turn: Turn) -> Any:
    """A request for staff: exactly what was typed, without the surrounding whitespace."""
    kept = text.strip()
    return kept if MIN_TEXT <= len(kept) <= 2000 else REJECT


def without_phone(text: str) -> str:
    """The text with a phone number (and the word เบอร์/โทร before it) taken out."""
    return " ".join(re.sub(r"(?:เบอร์โทร|เบอร์|โทร|tel|phone)?\s*:?\s*" + _DIGIT_RUN.pattern, " ", text).split())


def yes_no(text: str, slot: Slot, turn: Turn) -> Any:
    found = reading.read(text)
    if reading.is_consent(found):
        return True
    return False if reading.is_decline(found) else REJECT


def option_matches(option: Option, text: str, turn: Turn) -> bool:
    """The option's label, value or one of its words appears as whole words ("อย" is not in "อยาก")."""
    found = reading.read(text)
    names = {option.value.replace("_", " "), normalize(option.label), normalize(turn.t(option.label))}
    return any(name and found.affirms(name) for name in names | set(option.words))


def choice(text: str, slot: Slot, turn: Turn) -> Any:
    matched = [o.value for o in slot.choices if option_matches(o, text, turn)]
    return matched[0] if len(matched) == 1 else REJECT


def many(text: str, slot: Slot, turn: Turn) -> Any:
    """Several choices in one message (`บรรจุภัณฑ์ กับ มาตรฐาน`); a list, possibly empty when only 'done'."""
    matched = [o.value for o in slot.choices if option_matches(o, text, turn)]
    return matched if matched or is_done(text) else REJECT


def category(text: str, slot: Slot, turn: Turn) -> Any:
    """The category a product or a category word names; one said after a negation ("ไม่ใช่กระดาษ เป็นยาง")
    gives way to the one affirmed."""
    found = entities.category(text)
    affirmed = [o.value for o in slot.choices if option_matches(o, text, turn)]
    if found and (not affirmed or found in affirmed):
        return found
    return affirmed[0] if len(affirmed) == 1 else found or REJECT


def province(text: str, slot: Slot, turn: Turn) -> Any:
    return entities.province(text) or REJECT


def has_digit(text: str) -> bool:
    """Any digit, Thai (๐–๙) or Arabic."""
    return any(ch.isdigit() for ch in text)


def valid_phone(digits: str | None) -> bool:
    """A Thai mobile (06/08/09 + 8 digits) or landline (02–05, 07 + 7 digits)."""
    if not digits:
        return False
    if len(digits) == 10:
        return digits[:2] in ("06", "08", "09")
    return len(digits) == 9 and digits[:2] in ("02", "03", "04", "05", "07")


def phone(text: str, slot: Slot, turn: Turn) -> Any:
    found = entities.phone(text)
    return found if valid_phone(found) else REJECT


def seats(text: str, slot: Slot, turn: Turn) -> Any:
    found = entities.count(text)
    if found is None and normalize(text).isdecimal():
        found = int(normalize(text))
    if found is None:
        return REJECT
    return found if 1 <= found <= MAX_SEATS else OUT_OF_RANGE


def ce_number(text: str, slot: Slot, turn: Turn) -> Any:
    """A community-enterprise registration number such as `5-10-01-04/1-0012` (digits, dashes, slashes)."""
    cleaned = normalize(text).replace(" ", "")
    ok = 5 <= len(cleaned) <= 40 and re.fullmatch(r"[0-9a-z/\-.]+", cleaned) and re.search(r"\d{3}", cleaned)
    return cleaned if ok else REJECT


_DISTRICT = re.compile(r"(?:(?<![ก-๙])อ\.|อำเภอ|เขต)\s*([ก-๙]{2,30})")


def district(text: str, slot: Slot, turn: Turn) -> Any:
    return find_district(text) or REJECT


def find_district(text: str) -> str | None:
    """The district (อำเภอ) named after "อ."/"อำเภอ"/"เขต": "อ.สันกำแพง เชียงใหม่" → สันกำแพง."""
    match = _DISTRICT.search(normalize(text))
    if match is None:
        return None
    name = match.group(1)
    province_hit = entities.province(name)
    if province_hit and name.endswith(province_hit) and len(name) > len(province_hit):
        name = name[: -len(province_hit)]
    for particle in reading.PARTICLES:
        if name.endswith(particle) and len(name) > len(particle) + 1:
            name = name[: -len(particle)]
    return name if len(name) >= 2 else None


def without_district(text: str) -> str:
    return " ".join(re.sub(r"(?:(?<![ก-๙])อ\.|อำเภอ|เขต)\s*[ก-๙]{2,30}", " ", text).split())


def plausible(slot: Slot, value: Any) -> bool:
    """A value found in a message is worth keeping for this slot (a phone must be a valid Thai number)."""
    return valid_phone(str(value)) if slot.parser == "phone" else True


def find_phone(text: str) -> str | None:
    found = entities.phone(text)
    return found if valid_phone(found) else None


FINDERS: dict[str, Callable[[str], Any]] = {
    "district": find_district,
    "phone": find_phone,
    "province": entities.province,
    "category": entities.category,
}
# finders whose patterns are explicit enough to read in any answer; the others only in a message
# that did not answer the question (a place name inside an enterprise's name is not its province)
STRICT_FINDERS = frozenset({"district", "phone"})

PARSERS: dict[str, Parser] = {
    "text": free_text,
    "verbatim": verbatim,
    "district": district,
    "yes_no": yes_no,
    "choice": choice,
    "many": many,
    "category": category,
    "province": province,
    "phone": phone,
    "seats": seats,
    "ce_number": ce_number,
}


def needs_consent(values: dict[str, Any], turn: Turn) -> bool:
    return turn.user.consent_at is None


def is_community_enterprise(values: dict[str, Any], turn: Turn) -> bool:
    return values.get("enterprise_type") == "community_enterprise"


CONDITIONS: dict[str, Callable[[dict[str, Any], Turn], bool]] = {
    "needs_consent": needs_consent,
    "is_community_enterprise": is_community_enterprise,
}


def record_consent(value: Any, turn: Turn) -> None:
    """PDPA: the moment the user accepted the privacy notice."""
    if value is True:
        turn.user.consent_at = turn.now


EFFECTS: dict[str, Callable[[Any, Turn], None]] = {"record_consent": record_consent}
