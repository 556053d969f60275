"""Small cues that change what a message asks for, read from its words (PyThaiNLP tokens).

- *widen*: ที่อื่น, จังหวัดอื่น, ทุกจังหวัด, มีรอบอื่นไหม, elsewhere — drop the place filter and
  show other sessions;
- *follow-up*: "แล้ว…ล่ะ", "…ล่ะคะ", "what about …" — the message refines the previous request;
- *see* and *erase* words, which tell "show me my data" from "delete my data";
- *schemes*: other government schemes and lenders (bot/entities/schemes.yml), out of our scope.

Cues are whole tokens or token sequences, never substrings of the raw text: "ลบ" must not be
found inside another word, and "ดู" not inside "ดูแล".
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from otopbot.nlu.content import content_dir
from otopbot.nlu.gazetteer import FormIndex
from otopbot.nlu.normalize import normalize

# other places or sessions than those shown ("other"), or everywhere ("all")
_WIDEN_OTHER = (
    ("ที่อื่น",),
    ("ที่", "อื่น"),
    ("จังหวัด", "อื่น"),
    ("รอบ", "อื่น"),
    ("อื่น", "อีก"),
    ("ที่ไหน", "อีก"),
    ("ภาค", "อื่น"),
    ("แห่ง", "อื่น"),
    ("วัน", "อื่น"),
    ("elsewhere",),
    ("other", "provinces"),
    ("other", "places"),
    ("other", "sessions"),
    ("other", "dates"),
    ("other", "province"),
)
_WIDEN_ALL = (
    ("ทุก", "จังหวัด"),
    ("ทุก", "ที่"),
    ("ทุกที่",),
    ("ทั่วประเทศ",),
    ("ทุก", "ภาค"),
    ("anywhere",),
    ("all", "provinces"),
    ("every", "province"),
    ("all", "over"),
)
# "แล้ว…", "ส่วน…", and the narrowing "เอาแค่ยางพารา", "เฉพาะที่ขอนแก่น", "only rubber"
_FOLLOW_OPENERS = frozenset(
    {"แล้ว", "และ", "ส่วน", "แล้วก็", "งั้น", "what", "how", "and", "เอา", "แค่", "เฉพาะ", "เฉพาะที่", "only", "just"}
)
_FOLLOW_PARTICLES = frozenset({"ล่ะ", "หล่ะ", "ละ", "อ่ะ", "ล่า"})
_EN_FOLLOW = (("what", "about"), ("how", "about"), ("and", "in"))
_POLITE = frozenset({"คะ", "ค่ะ", "ครับ", "คับ", "ค่า", "จ้า", "จ้ะ", "นะ", "นะคะ", "นะครับ", "ฮะ", "?"})
_SEE = frozenset(
    {
        "ดู",
        "ขอดู",
        "เช็ค",
        "เช็ก",
        "ตรวจสอบ",
        "แสดง",
        "เปิด",
        "อะไร",
        "บ้าง",
        "ไหน",
        "show",
        "see",
        "view",
        "check",
        "what",
        "which",
        "เก็บ",
        "มี",
    }
)
_ERASE = frozenset(
    {
        "ลบ",
        "ลบทิ้ง",
        "ทิ้ง",
        "ลบออก",
        "เพิกถอน",
        "ถอน",
        "ทำลาย",
        "ล้าง",
        "เคลียร์",
        "erase",
        "delete",
        "remove",
        "forget",
        "withdraw",
    }
)
# refusing to be kept: "ไม่ต้องการให้เก็บ", "ห้ามเก็บ", "ยกเลิกการเก็บข้อมูล", "don't keep"
_REFUSE = frozenset({"ห้าม", "ยกเลิก", "เลิก", "ปิด", "stop", "don't", "dont", "not", "no"})
_KEEP = frozenset({"เก็บ", "ใช้", "keep", "use", "store"})


def _has_sequence(tokens: list[str], sequences: tuple[tuple[str, ...], ...]) -> bool:
    for seq in sequences:
        n = len(seq)
        if any(tuple(tokens[i : i + n]) == seq for i in range(len(tokens) - n + 1)):
            return True
    return False


def widens(tokens: list[str]) -> str | None:
    """ "other" when the owner asks beyond the places or sessions shown, "all" for every province."""
    if _has_sequence(tokens, _WIDEN_OTHER):
        return "other"
    return "all" if _has_sequence(tokens, _WIDEN_ALL) else None


def follows_up(tokens: list[str]) -> bool:
    """ "แล้วที่ขอนแก่นล่ะคะ", "เดือนหน้าล่ะ", "what about songkhla": a refinement, not a new request."""
    core = [t for t in tokens if t not in _POLITE]
    if not core:
        return False
    return (
        (core[0] in _FOLLOW_OPENERS and len(core) > 1)
        or core[-1] in _FOLLOW_PARTICLES
        or _has_sequence(core, _EN_FOLLOW)
    )


def _refuses(tokens: list[str]) -> bool:
    return any(t in _REFUSE or t.startswith("ไม่") for t in tokens)


def asks_to_see(tokens: list[str]) -> bool:
    """Words of looking (ดู, มีอะไรบ้าง, show) and none of erasing or refusing (ลบ, ไม่ให้เก็บ)."""
    return bool(_SEE.intersection(tokens)) and not erases(tokens) and not _refuses(tokens)


def erases(tokens: list[str]) -> bool:
    """An erase word (ลบ, ถอนความยินยอม, delete), or refusing to be kept (ไม่ต้องการให้เก็บ)."""
    return bool(_ERASE.intersection(tokens)) or (_refuses(tokens) and bool(_KEEP.intersection(tokens)))


def _index(groups: dict[str, list[str]]) -> tuple[FormIndex, dict[str, str]]:
    lookup: dict[str, str] = {}
    for name, forms in groups.items():
        for form in forms:
            norm = normalize(str(form))
            lookup[norm] = lookup[norm.replace(" ", "")] = str(name)
    return FormIndex(list(lookup)), lookup


@lru_cache(maxsize=4)
def _schemes(root: Path) -> tuple[tuple[FormIndex, dict[str, str]], ...]:
    data = yaml.safe_load((root / "entities" / "schemes.yml").read_text(encoding="utf-8"))
    return _index(data["schemes"]), _index(data.get("generic") or {})


def find_scheme(norm: str) -> str | None:
    """The other government scheme or lender a message names (คนละครึ่ง, ธ.ก.ส. …), if any."""
    for index, lookup in _schemes(content_dir()):
        if hit := index.search(norm):
            return lookup[hit[0]]
    return None
