"""Entities in a chat message: category, province, region, date (or period), phone, seat count.

Plain functions (``category(text)``, ``province(text)``…) take raw text: the dialogue's form
validators call them on one-slot answers. ``extract`` works on already-normalised text and
resolves overlaps once: the province is masked before categories (สระแก้ว is not "glass"), and
digits that belong to a date or a phone number are never read as a seat count.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from pythainlp.util import thaiword_to_num

from otopbot.nlu import cues
from otopbot.nlu.content import content_dir
from otopbot.nlu.dates import find_date
from otopbot.nlu.gazetteer import FormIndex, find_province, find_region
from otopbot.nlu.normalize import normalize
from otopbot.nlu.tokens import tokenize
from otopbot.nlu.types import Entities

MAX_SEATS = 99
_PHONE = re.compile(r"(?<![\d+])(?:\+\s?66|0066|66|0)(?:[\s.-]?\d){8,9}(?!\d)")
_THAI_NUMBER = "หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด"
_UNIT = r"(?:ที่นั่ง|ที่|คน|ท่าน|ราย|seats?|people|persons?|pax)"
_COUNT_DIGITS = re.compile(rf"(?<![\d/.:-])(?P<n>\d{{1,3}})\s*{_UNIT}")
_COUNT_WORDS = re.compile(rf"(?P<w>(?:{_THAI_NUMBER})+)\s*{_UNIT}")
_COUNT_ALONE = re.compile(
    rf"^(?:จอง|เอา|ขอ)?\s*(?P<v>\d{{1,3}}|(?:{_THAI_NUMBER})+)\s*{_UNIT}?\s*"
    r"(?:ครับ|คับ|ค่ะ|คะ|ค่า|จ้า|นะคะ|นะครับ)?$"
)
_ALONE_ONE = re.compile(r"คนเดียว|ไปคนเดียว|1 คนเดียว|just me|only me")
_EN_NUMBERS = {
    w: i
    for i, w in enumerate(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"], start=1
    )
}
_COUNT_EN = re.compile(rf"(?<![a-z])(?P<e>{'|'.join(_EN_NUMBERS)})\s+(?:seats?|people|persons?|pax|places?)")
# "สมาชิก 15 คน อยากจอง 3 ที่": the seats asked for follow the booking verb, the group size does not.
_SEAT_VERB = re.compile(r"(?:จอง|ขอ|เอา|ยกเลิก|ลด|เพิ่ม|book|reserve|cancel)[^\d]{0,12}$")


@lru_cache(maxsize=4)
def _categories(root: Path) -> tuple[FormIndex, FormIndex, dict[str, str]]:
    data = yaml.safe_load((root / "entities" / "categories.yml").read_text(encoding="utf-8"))
    strong: dict[str, str] = {}
    weak: dict[str, str] = {}
    for name, spec in data["categories"].items():
        for word in spec.get("synonyms") or ():
            strong[normalize(str(word))] = name
        for word in spec.get("weak") or ():
            weak[normalize(str(word))] = name
    # FormIndex matches a form with and without its spaces (chili paste / chilipaste): look up both.
    lookup = {
        form: name for words in (weak, strong) for word, name in words.items() for form in (word, word.replace(" ", ""))
    }
    return FormIndex(list(strong)), FormIndex(list(weak)), lookup


def find_category(norm: str) -> str | None:
    """Earliest specific category word; a generic one (อาหาร) only if no specific word appears."""
    strong, weak, lookup = _categories(content_dir())
    hit = strong.search(norm) or weak.search(norm)
    return lookup[hit[0]] if hit else None


def find_phone(norm: str) -> tuple[str, tuple[int, int]] | None:
    """A Thai phone number as digits only (0X…), from 0X-XXXX-XXXX, +66 X XXXX XXXX and so on."""
    for m in _PHONE.finditer(norm):
        digits = re.sub(r"\D", "", m.group(0))
        if digits.startswith("0066"):
            digits = "0" + digits[4:]
        elif digits.startswith("66"):
            digits = "0" + digits[2:]
        digits = re.sub(r"^00", "0", digits)
        if len(digits) in (9, 10) and digits[1] != "0":
            return digits, m.span()
    return None


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if token in _EN_NUMBERS:
        return _EN_NUMBERS[token]
    try:
        return int(thaiword_to_num(token))
    except ValueError:
        return None


def is_number(token: str) -> bool:
    """A number as digits or words ("2", "สอง", "two")."""
    return _number(token) is not None


def find_count(norm: str, taken: tuple[tuple[int, int], ...] = ()) -> int | None:
    """Seats asked for: "2 ที่", "สามคน", "4 ท่าน", "three seats", or a bare number as a whole answer.

    With several counts in one message, the one right after a booking verb (จอง, ขอ, book…)
    wins; otherwise the first.
    """
    if m := _COUNT_ALONE.match(norm):
        value = _number(m.group("v"))
        return value if value and 0 < value <= MAX_SEATS else None
    if _ALONE_ONE.search(norm):
        return 1
    found: list[tuple[int, int]] = []
    for pattern, group in ((_COUNT_DIGITS, "n"), (_COUNT_WORDS, "w"), (_COUNT_EN, "e")):
        for m in pattern.finditer(norm):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value = _number(m.group(group))
            if value and 0 < value <= MAX_SEATS:
                found.append((m.start(), value))
    if not found:
        return None
    found.sort()
    after_verb = [value for start, value in found if _SEAT_VERB.search(norm, 0, start)]
    return after_verb[0] if after_verb else found[0][1]


def extract(norm: str, today: date, tokens: list[str] | None = None) -> Entities:
    """All entities of one normalised message (`tokens`: its words, when the caller has them)."""
    province_hit = find_province(norm)
    masked = norm
    if province_hit:
        s, e = province_hit[1]
        masked = norm[:s] + " " * (e - s) + norm[e:]
    phone_hit = find_phone(norm)
    taken = [phone_hit[1]] if phone_hit else []
    masked_phone = masked
    for s, e in taken:
        masked_phone = masked_phone[:s] + " " * (e - s) + masked_phone[e:]
    date_hit = find_date(masked_phone, today)
    if date_hit:
        taken.append((date_hit.start, date_hit.end))
    tokens = tokenize(norm) if tokens is None else tokens
    return Entities(
        category=find_category(masked),
        province=province_hit[0] if province_hit else None,
        date=date_hit.value if date_hit else None,
        phone=phone_hit[0] if phone_hit else None,
        count=find_count(norm, tuple(taken)) if not _is_phone_only(norm, phone_hit) else None,
        date_end=date_hit.until if date_hit else None,
        region=find_region(masked),
        widen=cues.widens(tokens),
        follow_up=cues.follows_up(tokens),
        scheme=cues.find_scheme(norm),
    )


def _is_phone_only(norm: str, phone_hit: tuple[str, tuple[int, int]] | None) -> bool:
    return phone_hit is not None and phone_hit[1] == (0, len(norm))


def category(text: str) -> str | None:
    """The OTOP category (food, ceramics, glass, rubber, paper) a message names, if any."""
    norm = normalize(text)
    hit = find_province(norm)
    if hit:
        s, e = hit[1]
        norm = norm[:s] + " " * (e - s) + norm[e:]
    return find_category(norm)


def province(text: str) -> str | None:
    """The official Thai name of the province a message names (aliases such as โคราช, กทม.)."""
    hit = find_province(normalize(text))
    return hit[0] if hit else None


def phone(text: str) -> str | None:
    """A Thai phone number as digits only."""
    hit = find_phone(normalize(text))
    return hit[0] if hit else None


def count(text: str) -> int | None:
    """Number of seats asked for (digits, Thai digits or Thai number words)."""
    return extract(normalize(text), date.today()).count


def date_in(text: str, today: date) -> date | None:
    """The date a message names, relative to `today`."""
    hit = find_date(normalize(text), today)
    return hit.value if hit else None
