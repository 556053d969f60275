"""Which facet of an entry answers a question: the question's key concept, its product, its words.

An entry (say the อย. number) answers many questions; an owner asks one of them. The concept of a
question is read from its search terms (tokens and ``~group`` tokens, never raw substrings): "กี่วัน"
asks for a time, "กี่บาท" for a cost, "ที่ไหน" for a place. Some concepts are *strict*: an answer
that does not give that kind of fact does not answer the question at all (a time, a cost, a
validity period, a list of documents, a standard's number). When a strict concept is asked and no
facet of the chosen entry gives it, the search must not be confident: the bot gives what it knows
and names the office that can tell (`FacetChoice.covered` is False).

Soft concepts (what, who, where, steps, need, fix, contact) only favour a facet; the words of the
facet's own questions (BM25) decide the rest. A product the question names (น้ำพริก) — or the owner
registered — favours the facet written for that product.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from otopbot.knowledge.analysis import base_tokens
from otopbot.knowledge.content import Facet
from otopbot.nlu.normalize import normalize


def _w(text: str) -> frozenset[str]:
    """A word list kept as editable text."""
    return frozenset(text.split())


# Strict concepts first: when several are asked, the most specific decides ("ใช้ได้กี่ปี" is validity).
STRICT = ("validity", "time", "cost", "documents", "number")
SOFT = (
    "contact",
    "where",
    "who",
    "fix",
    "steps",
    "what",
    "need",
    "standard",
    "test",
    "penalty",
    "post",
    "free",
    "window",
    "odour",
    "taste",
    "online",
    "tis",
    "mpc",
)
_WORDS: dict[str, frozenset[str]] = {
    "validity": _w("ต่ออายุ อายุ กี่ปี หมดอายุ ถาวร ตลอดไป renew renewal valid validity expire expires ~validity"),
    "time": _w("นาน นานไหม นานมั้ย เวลา ใช้เวลา ระยะเวลา กี่วัน กี่เดือน กี่สัปดาห์ กี่อาทิตย์ long days weeks months"),
    "cost": frozenset(["~cost"]),
    "documents": _w("เอกสาร หลักฐาน documents document paperwork"),
    "number": frozenset(),
    "contact": _w("เบอร์ โทร เบอร์โทร โทรศัพท์ phone call contact"),
    "where": _w("ที่ไหน ตรงไหน where"),
    "who": _w("ใคร who"),
    "fix": _w("แก้ แก้ไข แก้ปัญหา ป้องกัน ปัญหา ขึ้นรา fix prevent problem problems"),
    "steps": _w("ขั้นตอน วิธี วิธีการ ยังไง อย่างไร ทำไง steps step process ~steps"),
    "what": _w("คือ คืออะไร หมายถึง หมายความว่า ความหมาย ย่อมาจาก meaning mean ~what-is"),
    "standard": _w(
        "มาตรฐาน ได้มาตรฐาน มาตรฐานอะไร certification certified certificate standard standards ~standard ~mpc ~tis"
    ),
    "test": _w("~test"),
    "need": _w("ไหม มั้ย หรือเปล่า รึเปล่า ป่าว หรือไม่ จำเป็น บังคับ need must required ~mandatory"),
    # narrower ways of asking, each answered by a facet of that id where an entry has one
    "penalty": _w("ปรับ โดนปรับ ค่าปรับ โทษ บทลงโทษ จำคุก ผิดกฎหมาย penalty penalties fine fined illegal"),
    "post": _w("ไปรษณีย์ ทางไปรษณีย์ ส่งไปรษณีย์ พัสดุ post posted mail courier"),
    "free": _w("ฟรี ไม่เสียเงิน ไม่เสียค่า free"),
    "window": _w("รับสมัคร เปิดรับ ปิดรับ หมดเขต deadline window"),
    "odour": _w("กลิ่น เหม็น ฉุน ~ammonia smell smells odour odor"),
    "taste": _w("รสชาติ รส เปรี้ยว taste sour"),
    "online": _w("ช้อปปี้ ลาซาด้า shopee lazada ~qr"),
    # which standard is asked about: the facet named for it ("กระดาษสาต้องมี มอก ไหม" → tis)
    "tis": frozenset(["~tis"]),
    "mpc": frozenset(["~mpc"]),
}
CONCEPT_WORDS = frozenset().union(*_WORDS.values())  # words that ask a kind of fact, not a topic
# Thai concept words long enough to be found inside a longer token the tokeniser kept whole.
_THAI_WORDS = tuple(
    (w, name) for name, words in _WORDS.items() for w in words if len(w) >= 4 and re.match(r"[\u0E00-\u0E7F]", w)
)
# Two-token ways of asking (ที่ + ไหน, กี่ + วัน, เลข + อะไร).
_PAIRS: dict[str, frozenset[tuple[str, str]]] = {
    "validity": frozenset({("กี่", "ปี"), ("ใช้ได้", "นาน")}),
    "time": frozenset({("กี่", "วัน"), ("กี่", "เดือน"), ("กี่", "สัปดาห์"), ("กี่", "อาทิตย์"), ("how", "long"), ("รอ", "นาน")}),
    "number": frozenset(
        {
            ("เลข", "อะไร"),
            ("เลข", "ไหน"),
            ("เลขที่", "เท่าไร"),
            ("เลข", "ที่"),
            ("หมายเลข", "อะไร"),
            ("which", "number"),
            ("standard", "number"),
            ("number", "of"),
        }
    ),
    "where": frozenset({("ที่", "ไหน"), ("where", "to"), ("สำนักงาน", "ไหน"), ("ไป", "ไหน"), ("ยื่น", "ไหน")}),
    "who": frozenset({("หน่วยงาน", "ไหน"), ("หน่วยงาน", "อะไร")}),
    "documents": frozenset({("ใช้", "เอกสาร")}),
    "what": frozenset({("what", "is"), ("what", "does")}),
    "steps": frozenset({("how", "get"), ("how", "apply"), ("how", "do"), ("how", "can")}),
    "need": frozenset({("ได้", "ไหม"), ("do", "need"), ("need", "to")}),
    "online": frozenset({("ขาย", "ออนไลน์"), ("sell", "online")}),
    "window": frozenset({("ช่วง", "ไหน"), ("เดือน", "ไหน"), ("ถึง", "เดือน"), ("ถึง", "วันที่")}),
}
# A label's expiry date (วันหมดอายุ on a food label) is not a certificate's validity.
_NOT_VALIDITY = frozenset(["~expiry"])
# Words in a facet's answer that show it gives a standard or a test (for questions asking which one).
_GIVES = {"standard": _w("มผช มผช. มอก มอก. มาตรฐาน"), "test": _w("ทดสอบ ตรวจ แล็บ ห้องปฏิบัติการ")}
_STANDARD_NUMBER = re.compile(r"\d+\s*[/-]\s*\d{4}")  # มผช. 321/2556, มอก. 880-2560
STRICT_WEIGHT = 3.0  # a facet giving the asked kind of fact beats any wording match
SOFT_WEIGHT = 0.5
ID_WEIGHT = 0.5  # the facet named for the concept ("cost") before one that also answers it ("free")
PRODUCT_WEIGHT = 1.5  # the product the question names
OWNER_WEIGHT = 0.3  # the owner's registered product or category, when the question names another
OTHER_PRODUCT_PENALTY = 0.6  # a facet written for a product neither the question nor the owner names
MIN_SUBSTRING_CHARS = 4
TIE = 0.01  # facets scoring within this of the best fit alike


def concepts(terms: Sequence[str]) -> list[str]:
    """The concepts a question asks, most specific first (strict ones before soft ones)."""
    present = set(terms)
    pairs = set(itertools.pairwise(terms))
    inside = {name for word, name in _THAI_WORDS for t in present if word in t}  # "ใช้เวลานาน" holds ใช้เวลา
    found = [
        name
        for name in (*STRICT, *SOFT)
        if name in inside or present & _WORDS[name] or pairs & _PAIRS.get(name, frozenset())
    ]
    if "validity" in found and present & _NOT_VALIDITY:
        found.remove("validity")
    if "validity" in found and "time" in found:
        found.remove("time")  # "ใช้ได้นานแค่ไหน" asks how long a certificate lasts
    return found


def asks_a_kind(term: str) -> bool:
    """True for a word that asks a kind of fact (ใช้เวลา, ค่าธรรมเนียม…) rather than naming a topic,
    also when the tokeniser kept it inside a longer token (ใช้เวลานาน)."""
    return term in CONCEPT_WORDS or any(word in term for word, _ in _THAI_WORDS)


def gives(facet: Facet, concept: str, facet_concepts: frozenset[str]) -> bool:
    """True when the facet answers that kind of question: by its id, its own questions, or (for a
    standard's number) a number written in its answer."""
    if facet.id == concept or concept in facet_concepts:
        return True
    if concept == "number":
        return bool(_STANDARD_NUMBER.search(facet.answer_th))
    return bool(_GIVES.get(concept, frozenset()) & _answer_words(facet.answer_th))


@lru_cache(maxsize=4096)
def _answer_words(answer: str) -> frozenset[str]:
    """A facet answer's words, tokenised once (answers change only when the index is rebuilt)."""
    return frozenset(base_tokens(answer))


class ProductMatcher:
    """Finds each facet's `products` words in a text, by tokens (or inside long Thai compounds)."""

    def __init__(self, facets: Sequence[Facet]) -> None:
        self._phrases = [tuple(self._compile(p) for p in f.products) for f in facets]

    @staticmethod
    def _compile(phrase: str) -> tuple[tuple[str, ...], str]:
        return tuple(base_tokens(phrase)), normalize(phrase).replace(" ", "")

    def hits(self, text: str) -> list[bool]:
        """For each facet, whether the text names one of its products."""
        if not text:
            return [False] * len(self._phrases)
        tokens = base_tokens(text)
        squeezed = normalize(text).replace(" ", "")
        return [any(self._present(p, tokens, squeezed) for p in phrases) for phrases in self._phrases]

    @staticmethod
    def _present(phrase: tuple[tuple[str, ...], str], tokens: list[str], squeezed: str) -> bool:
        seq, joined = phrase
        if len(joined) >= MIN_SUBSTRING_CHARS and re.search(r"[\u0E00-\u0E7F]", joined) and joined in squeezed:
            return True
        n = len(seq)
        return n > 0 and any(tuple(tokens[i : i + n]) == seq for i in range(len(tokens) - n + 1))


@dataclass(frozen=True, slots=True)
class FacetChoice:
    """The facet to show (None: the entry's summary) and whether it gives the asked kind of fact."""

    facet: Facet | None
    concept: str | None  # the key concept read from the question
    covered: bool  # False: a strict concept was asked and no facet gives it


def choose(
    facets: Sequence[Facet],
    facet_concepts: Sequence[frozenset[str]],
    wording: Sequence[float],
    asked: Sequence[str],
    named: Sequence[bool],
    owner: Sequence[bool],
) -> FacetChoice:
    """Pick the facet: the strict concept first, then the product named, the wording, soft concepts.

    `wording` is each facet's best BM25 score among its questions, `named` whether the question
    names the facet's product, `owner` whether it matches the owner's registered product/category.
    """
    key = asked[0] if asked else None
    if not facets:
        return FacetChoice(None, key, key not in STRICT)
    top = max(wording) or 1.0
    strict = key if key in STRICT else None
    best_score, best = -1.0, 0
    scores: list[float] = []
    # the owner's own product decides when the question names none ("สินค้าของเราใช้ มผช เลขอะไร")
    owner_weight = OWNER_WEIGHT if any(named) else PRODUCT_WEIGHT
    # a product decides between facets written for different products; when only one facet lists
    # products, naming one (หมอนยาง in a latex-pillow entry) says little about which facet is asked
    product_weight = PRODUCT_WEIGHT if sum(1 for f in facets if f.products) > 1 else OWNER_WEIGHT
    for i, facet in enumerate(facets):
        score = wording[i] / top + product_weight * named[i] + owner_weight * owner[i]
        if facet.products and not named[i] and not owner[i]:  # "ขอ มผช ยังไง" is not about ceramics
            score -= OTHER_PRODUCT_PENALTY
        if strict and gives(facet, strict, facet_concepts[i]):
            score += STRICT_WEIGHT + ID_WEIGHT * (facet.id == strict)
        score += SOFT_WEIGHT * sum(gives(facet, c, facet_concepts[i]) for c in asked if c in SOFT)
        scores.append(score)
        if score > best_score:
            best_score, best = score, i
    chosen = facets[best]
    covered = strict is None or gives(chosen, strict, facet_concepts[best])
    if best_score <= 0 or (strict is None and sum(s >= best_score - TIE for s in scores) > 2):
        # nothing fits, or many facets fit alike ("ไม่รู้ว่าเรื่องไหนต้องไปหน่วยงานไหน"): the summary
        return FacetChoice(None, key, covered)
    return FacetChoice(chosen, key, covered)
