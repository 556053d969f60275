"""The named parsers, conditions and effects that form declarations (bot/forms/*.yml) refer to.

A parser turns what the user typed into a slot value, or returns `REJECT` so the form re-prompts.
Tapped choices never reach a parser: the engine checks them against the slot's declared choices.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from otopbot.nlu import entities
from otopbot.nlu.normalize import normalize
from otopbot.services.bookings import MAX_SEATS

if TYPE_CHECKING:
    from otopbot.dialogue.forms import Option, Slot
    from otopbot.dialogue.turn import Turn


class _Reject:
    """Marker: the text is not an answer to the slot."""


REJECT = _Reject()
OUT_OF_RANGE = _Reject()  # an answer to this slot, but not an acceptable one: re-ask, never a detour
Parser = Callable[[str, "Slot", "Turn"], Any]

YES_WORDS = ("ใช่", "ตกลง", "ยินยอม", "ยอมรับ", "ยืนยัน", "ถูกต้อง", "โอเค", "เอา", "ได้", "yes", "ok", "okay",
             "agree", "accept", "confirm", "sure", "y")
NO_WORDS = ("ไม่", "ปฏิเสธ", "no", "decline", "disagree", "nope", "n")
DONE_WORDS = ("เสร็จ", "พอแล้ว", "แค่นี้", "ครบแล้ว", "เท่านี้", "done", "finish", "that's all")
SKIP_WORDS = ("ข้าม", "ไม่มี", "ยังไม่มี", "ไม่ทราบ", "skip", "none", "-")
MIN_TEXT, MAX_TEXT = 2, 200


def _has_word(text: str, words: tuple[str, ...]) -> bool:
    """True if a word is the whole text or (for longer Thai words) inside it; short Latin words must stand alone."""
    tokens = set(re.split(r"[\s,.!?]+", text))
    return any(w == text or w in tokens or (len(w) > 2 and not w.isascii() and w in text) for w in words)


def is_yes(text: str) -> bool:
    norm = normalize(text)
    return not _has_word(norm, NO_WORDS) and _has_word(norm, YES_WORDS)


def is_no(text: str) -> bool:
    return _has_word(normalize(text), NO_WORDS)


def is_done(text: str) -> bool:
    return _has_word(normalize(text), DONE_WORDS)


def is_skip(text: str) -> bool:
    norm = normalize(text)
    return norm in SKIP_WORDS or _has_word(norm, SKIP_WORDS[:4])


def free_text(text: str, slot: Slot, turn: Turn) -> Any:
    cleaned = " ".join(text.split())
    return cleaned if MIN_TEXT <= len(cleaned) <= MAX_TEXT else REJECT


def yes_no(text: str, slot: Slot, turn: Turn) -> Any:
    if is_no(text):
        return False
    return True if is_yes(text) else REJECT


def option_matches(option: Option, text: str, turn: Turn) -> bool:
    norm = normalize(text)
    names = {option.value.replace("_", " "), normalize(option.label), normalize(turn.t(option.label))}
    return any(name and name in norm for name in names | set(option.words))


def choice(text: str, slot: Slot, turn: Turn) -> Any:
    matched = [o.value for o in slot.choices if option_matches(o, text, turn)]
    return matched[0] if len(matched) == 1 else REJECT


def many(text: str, slot: Slot, turn: Turn) -> Any:
    """Several choices in one message (`บรรจุภัณฑ์ กับ มาตรฐาน`); a list, possibly empty when only 'done'."""
    matched = [o.value for o in slot.choices if option_matches(o, text, turn)]
    return matched if matched or is_done(text) else REJECT


def category(text: str, slot: Slot, turn: Turn) -> Any:
    found = entities.category(text)
    return found if found else choice(text, slot, turn)


def province(text: str, slot: Slot, turn: Turn) -> Any:
    return entities.province(text) or REJECT


def phone(text: str, slot: Slot, turn: Turn) -> Any:
    return entities.phone(text) or REJECT


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


PARSERS: dict[str, Parser] = {
    "text": free_text, "yes_no": yes_no, "choice": choice, "many": many, "category": category,
    "province": province, "phone": phone, "seats": seats, "ce_number": ce_number,
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


def show_phone(digits: str) -> str:
    """`0812345678` → `081-234-5678`; landlines `021234567` → `02-123-4567`."""
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) == 9:
        return f"{digits[:2]}-{digits[2:5]}-{digits[5:]}"
    return digits
