"""Turn a question into search terms: the NLU's normalised Thai tokens, cleaned, plus synonym tokens.

Search and NLU must cut Thai the same way, so this starts from `otopbot.nlu.normalize` and
`otopbot.nlu.tokens`. On top it drops politeness particles and punctuation (they say nothing about
the topic) and adds one shared token per synonym group found in the text (``~mpc`` for both มผช and
มาตรฐานผลิตภัณฑ์ชุมชน). Thai synonyms are also found inside longer tokens (``ที่นอนยางพารา``
contains ``ยางพารา``) because the tokeniser keeps some compounds whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from otopbot.knowledge.content import SynonymGroup
from otopbot.nlu.normalize import normalize
from otopbot.nlu.tokens import tokenize

PARTICLES = frozenset(
    "ครับ คับ ครับผม คร้าบ ค่ะ คะ ค่า คา นะ นะคะ นะครับ จ้า จ้ะ จ๊ะ ฮะ ฮับ น้า เหรอ หรอ อ่ะ อะ ด้วย หน่อย "  # noqa: SIM905 - word list kept as editable text
    "จ๊ะ เนอะ อ่ะคะ ค่ะพี่ พี่ หนู ผม ดิฉัน ฉัน เรา ท่าน "
    "the a an is are to of for i my me we our do does in on and or it this that with can please".split()
)
# Words that shape a question but not its topic; they count little when judging whether the best
# entry explains a question ("ขอใบขับขี่ต้องทำอะไรบ้าง" shares only these with our entries).
FUNCTION_WORDS = frozenset(
    "อะไร ยังไง อย่างไร ไง ไหม มั้ย ไม๊ หรือเปล่า เปล่า หรือไม่ ที่ไหน ไหน เท่าไร เท่าไหร่ กี่ ทำไม ใคร บ้าง "  # noqa: SIM905 - word list kept as editable text
    "ต้อง ทำ ได้ มี เป็น คือ จะ ไป มา ให้ ที่ ของ ใน กับ และ แล้ว นี้ นี่ มัน ดี ขอ อยาก ไม่ หรือ แบบ "
    "เอา ใช้ ตอน เมื่อไร เมื่อไหร่ แค่ไหน ยัง ก็ ถ้า เพื่อ จาก ว่า บน อยู่ หา เรื่อง "
    "ไร อะไรบ้าง ยังไงบ้าง ใช่ ใช่ไหม ใช่มั้ย ตรงไหน เลย กัน เอง อีก ดู รู้ อยากรู้ อยากได้ อยากทราบ ทราบ "
    "หมายถึง หมายความว่า แปลว่า ความหมาย ไม่ต้อง ต้องการ คะบ้าง ครับบ้าง ค่ะบ้าง เหรอคะ มั๊ย ป่าว รึเปล่า "
    "ช่วย บอก แนะนำ สอบถาม ถาม ตอบ ทุก คน ตัว อัน นั้น นั่น ซึ่ง แต่ แค่ ถึง มั่ง มั้ง "
    "เฟส เฟสบุ๊ค เฟสบุ๊ก เฟซบุ๊ก บุ๊ค บุ๊ก บุ้ค facebook fb ออนไลน์ online "  # where one sells does not change what it needs
    "what how where who which why when much many need must should get have has be there "
    "any about know tell mean meaning anything something will would could ~what-is".split()
)
# Verbs and nouns that appear around every topic ("จดทะเบียน", "ขอ", "ยื่น", "ต้องมี", "สินค้า"): they
# say a user wants *something* done but not *what*, so they count less than topic words. A
# question whose only known words are these ("จดทะเบียนเครื่องหมายการค้าที่ไหน") is then explained
# mostly by its unknown topic word and is refused instead of matching community-enterprise.
GENERIC_WORDS = frozenset(
    "จด จดทะเบียน ทะเบียน ขึ้นทะเบียน ลงทะเบียน ยื่น ยื่นขอ ขออนุญาต ใบอนุญาต สมัคร ติดต่อ เริ่ม "  # noqa: SIM905 - word list kept as editable text
    "ขาย ขายของ ส่ง ผลิต ผู้ผลิต การผลิต สินค้า ผลิตภัณฑ์ ของ กลุ่ม ชุมชน ใบ เอกสาร หน่วยงาน "
    "ได้รับ รับ เสีย จ่าย เงิน ใหม่ ปี วัน ครั้ง รอบ เรา เขา ทาง ผ่าน ใส่ ออนไลน์ ทำมือ ไทย "
    "เพจ เฟส เฟสบุ๊ค เฟซบุ๊ก ตลาดนัด หน้าบ้าน หมู่บ้าน แถวบ้าน ละแวก ตำบล อำเภอ ร้านค้า อาทิตย์ สัปดาห์ เดือน ชั่วโมง ทำเป็น ของที่ระลึก "
    "register registration apply application product products sell selling business license licence facebook "
    "certificate document documents group community office".split()
)
_STRIP = ".,!?;:()[]{}\"'“”‘’/\\-–—…•*+="
_THAI = re.compile(r"[\u0E00-\u0E7F]")
TERMS_CACHED = 4096
MIN_SUBSTRING_CHARS = 4  # shorter Thai phrases (ยาง, ดาว) only match whole tokens: อย is inside อย่าง
_POLITE_END = re.compile(r"(?:\s*(?:นะ)?(?:ครับผม|ครับ|คับ|ค่ะ|คะ|ค่า|จ้า|จ้ะ|ฮะ))+[\s?!.]*$")
# A polite ending glued to a question word in mid-message ("ถึงเดือนไหนคะปีนี้") is cut off the same way.
_POLITE_INSIDE = re.compile(r"(ไหน|ไหม|มั้ย|อะไร|ยังไง|อย่างไร|เท่าไหร่|เท่าไร)(?:นะ)?(?:ครับ|คับ|ค่ะ|คะ|จ้า)(?=\S)")
_DOTTED = re.compile(r"(?<![\u0E00-\u0E7F])((?:[\u0E01-\u0E2E]\.\s?){2,}[\u0E01-\u0E2E]?\.?)")


def _undot(text: str) -> str:
    """Join dotted Thai abbreviations (``ม.ผ.ช.`` → ``มผช``) so they match the plain spelling."""
    return _DOTTED.sub(lambda m: re.sub(r"[.\s]", "", m.group(1)), text)


def base_tokens(text: str) -> list[str]:
    """Normalise and tokenise like the NLU, then drop particles and punctuation.

    A polite ending is cut before tokenising: glued to the last word it splits it wrongly
    ("ไหนคะ" → "ไห" + "นคะ").
    """
    cut = _POLITE_INSIDE.sub(r"\1 ", _POLITE_END.sub("", _undot(normalize(text))))
    tokens = (t.strip(_STRIP) for t in tokenize(cut))
    return [t for t in tokens if t and t not in PARTICLES]


@dataclass(frozen=True, slots=True)
class _Group:
    token: str
    sequences: tuple[tuple[str, ...], ...]  # each phrase as base tokens
    substrings: tuple[str, ...]  # long Thai phrases, spaces removed


class Analyzer:
    """Base tokens plus one ``~group`` token per synonym group present."""

    def __init__(self, groups: Sequence[SynonymGroup] = ()) -> None:
        self._groups = tuple(self._compile(g) for g in groups)
        self._members = frozenset(seq[0] for g in self._groups for seq in g.sequences if len(seq) == 1)
        self._by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        self._by_prefix: dict[str, list[tuple[int, str]]] = {}  # long spellings by their first letters
        for g, group in enumerate(self._groups):
            for seq in group.sequences:
                self._by_first.setdefault(seq[0], []).append((g, seq))
            for substring in group.substrings:
                self._by_prefix.setdefault(substring[:MIN_SUBSTRING_CHARS], []).append((g, substring))
        self._terms: dict[str, list[str]] = {}

    def in_group(self, term: str) -> bool:
        """True for a one-word spelling of a synonym group (มผช): its ``~group`` token carries the meaning."""
        return term in self._members

    def in_phrase(self, term: str) -> bool:
        """True when `term` is a spelling of, or part of a long spelling of, a synonym group
        (ราคา, ตำบล in หนึ่งตำบลหนึ่งผลิตภัณฑ์): a word the knowledge base knows the meaning of."""
        return term in self._members or any(term in s for g in self._groups for s in g.substrings)

    def holds_phrase(self, term: str) -> bool:
        """True when a long spelling of a synonym group is inside `term` (สารตะกั่ว holds ตะกั่ว): the
        ``~group`` token already counts the concept, so the compound is just another spelling."""
        return any(s in term for g in self._groups for s in g.substrings)

    @staticmethod
    def _compile(group: SynonymGroup) -> _Group:
        sequences = tuple(seq for seq in (tuple(base_tokens(p)) for p in group.phrases) if seq)
        substrings = tuple(
            squeezed
            for squeezed in (normalize(p).replace(" ", "").strip(_STRIP) for p in group.phrases)
            if _THAI.search(squeezed) and len(squeezed) >= MIN_SUBSTRING_CHARS
        )
        return _Group("~" + group.name, sequences, substrings)

    def terms(self, text: str) -> list[str]:
        """Cached per text: a follow-up reads each of its words, and a question is read more than once."""
        known = self._terms.get(text)
        if known is None:
            if len(self._terms) >= TERMS_CACHED:
                self._terms.clear()
            known = self._terms[text] = self._read(text)
        return list(known)

    def _read(self, text: str) -> list[str]:
        tokens = base_tokens(text)
        squeezed = _undot(normalize(text)).replace(" ", "")
        found: set[int] = set()
        for i, token in enumerate(tokens):  # one pass: only sequences starting with this token
            for g, seq in self._by_first.get(token, ()):
                if g not in found and tuple(tokens[i : i + len(seq)]) == seq:
                    found.add(g)
        for i in range(len(squeezed) - MIN_SUBSTRING_CHARS + 1):  # long spellings starting here only
            for g, substring in self._by_prefix.get(squeezed[i : i + MIN_SUBSTRING_CHARS], ()):
                if g not in found and squeezed.startswith(substring, i):
                    found.add(g)
        return tokens + [self._groups[g].token for g in sorted(found)]
