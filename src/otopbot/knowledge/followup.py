"""Whether a message only continues the last standards topic, read from its tokens.

After an answer an owner often types a fragment that means nothing alone: "อ่านเพิ่ม",
"ขอรายละเอียดเพิ่มหน่อย" (show the rest of the topic), "แล้วต้องใช้เอกสารอะไรบ้าง", "ค่าใช้จ่ายเท่าไหร่"
(ask another kind of fact about it), "แล้วถ้าเป็นเซรามิกล่ะ" (the same question for another product).
Such a message has no topic word of its own: only question words, generic verbs, words that ask a
kind of fact, words asking for more, follow-up markers, and product names. Anything else (ขอบคุณ,
อบรม, ลงทะเบียน…) makes it a new message, read as usual — except a fee asked about joining
("ค่าสมัครกี่บาท", "อบรมฟรีไหม"): whether it is a standard's fee or a workshop's depends on what was
shown last, which the dialogue knows (`FollowUp.concept` is "cost" then).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from otopbot.knowledge.analysis import FUNCTION_WORDS, GENERIC_WORDS, PARTICLES, Analyzer
from otopbot.knowledge.facets import STRICT, asks_a_kind, concepts
from otopbot.nlu.entities import category as entity_category


def _w(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Asking for the rest of the topic.
MORE_WORDS = _w("อ่าน อ่านเพิ่ม เพิ่ม เพิ่มเติม รายละเอียด ละเอียด ขยายความ ขยาย อธิบาย ต่อ ทั้งหมด more detail details read explain")
# Words that only tie a message to what was said before.
MARKERS = _w("ล่ะ ละ หละ แล้ว ถ้า เป็น กรณี ส่วน แบบ สำหรับ ด้วย and also what about if for")
# Verbs around any request that add no topic ("ต้องเตรียมเอกสารอะไร").
FILLERS = _w("เตรียม เตรียมตัว ครบ ประมาณ คร่าวๆ โดยประมาณ ทั้งหมด บาท prepare bring baht")
# Words about joining something (a workshop, a programme, a standard's application): with a fee asked
# they make no topic of their own ("ค่าสมัครกี่บาท" after a workshop list is that workshop's fee).
JOINING = _w(
    "สมัคร ค่าสมัคร ลงทะเบียน ค่าลงทะเบียน เข้าร่วม ร่วม อบรม ค่าอบรม เรียน ค่าเรียน คอร์ส เวิร์กช็อป"
    " workshop course training join register registration"
)


# Concepts that only ask a kind of fact (a cost, a place…); others (มผช, ตรวจ, กลิ่น) name a topic.
KIND_CONCEPTS = frozenset(
    {*STRICT, "contact", "where", "who", "steps", "what", "need", "fix", "post", "free", "window", "penalty"}
)


def _asks_a_kind(analyzer: Analyzer, word: str) -> bool:
    """A word that by itself asks a kind of fact (ค่าใช้จ่าย, กี่วัน, เอกสาร), in any of its spellings."""
    return asks_a_kind(word) or bool(KIND_CONCEPTS.intersection(concepts(analyzer.terms(word))))


class FollowUpKind(StrEnum):
    MORE = "more"  # show the rest of the last topic
    ASK = "ask"  # ask the knowledge base again, in the last topic's context


@dataclass(frozen=True, slots=True)
class FollowUp:
    kind: FollowUpKind
    category: str | None = None  # the OTOP category of a product the message names, if any
    concept: str | None = None  # the kind of fact asked first (cost, time, where…), if any


def read_follow_up(analyzer: Analyzer, text: str) -> FollowUp | None:
    """What an elliptical message asks of the last topic; None when it says something of its own."""
    terms = analyzer.terms(text)
    words = [t for t in terms if not t.startswith("~")]
    if not words:
        return None
    own = [
        t
        for t in words
        if t not in FUNCTION_WORDS
        and t not in GENERIC_WORDS
        and t not in PARTICLES
        and t not in MORE_WORDS
        and t not in MARKERS
        and t not in FILLERS
        and not _asks_a_kind(analyzer, t)
    ]
    asked = concepts(terms)
    concept = asked[0] if asked else None
    if own and concept == "cost" and all(t in JOINING for t in own):  # "ค่าสมัครกี่บาท", "อบรมฟรีไหม"
        return FollowUp(FollowUpKind.ASK, None, concept)
    products = [t for t in own if entity_category(t) is not None]
    if len(products) < len(own):  # a topic word of its own: a new message
        return None
    named = entity_category(" ".join(products)) if products else None
    if products or asked:
        return FollowUp(FollowUpKind.ASK, named, concept)
    if any(t in MORE_WORDS for t in words):
        return FollowUp(FollowUpKind.MORE)
    if not own and any(t in MARKERS for t in words) and any(t in GENERIC_WORDS for t in words):
        return FollowUp(FollowUpKind.ASK)  # "ถ้าขายแค่ในหมู่บ้านล่ะ": the same topic, another case
    return None
