"""Make chat text comparable: one spelling for what LINE users type in many ways.

Owners stretch letters (``ครับบบบ``), type Thai digits (``๐๘๑``), mix case (``OTOP``/``otop``) and
leave odd spacing. Both the classifier and the entity extractors see this normalised form, so a
rule or a training phrase written once covers all of those variants.
"""

from __future__ import annotations

import re
from functools import lru_cache

from otopbot.nlu.thai_spelling import thai_spelling

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_THAI_DIGIT = re.compile("[๐-๙]")  # str.translate walks every character even when no digit is there
_REPEATS = re.compile(r"(อ)\1{3,}|([^\dอ])\2{2,}")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Lower-case, fix Thai encoding variants, Thai digits → Arabic, squeeze 3+ repeats, tidy spaces.

    Repeats of three or more letters become one (a Thai word never repeats a letter three
    times), except อ, which needs four: ชื่อ+ออก is ``ชื่อออก``. Digits are left alone:
    ``02-201-7000`` is a phone number. Runs in about 20 µs; the NLU, the reading of a message and the
    knowledge search each normalise the same texts again, so results are kept (a pure function of
    the text; 4096 short strings are a few MB at most).
    """
    once = _normalize_once(text)
    for _ in range(3):  # PyThaiNLP's fixes are not idempotent on runs like "ๅๅ" ("าๅ", then "า")
        again = _normalize_once(once)
        if again == once:
            break
        once = again
    return once


def _normalize_once(text: str) -> str:
    text = thai_spelling(text.lower())
    if _THAI_DIGIT.search(text):
        text = text.translate(_THAI_DIGITS)
    text = _REPEATS.sub(lambda m: m.group(1) or m.group(2), text)
    return _SPACES.sub(" ", text).strip()
