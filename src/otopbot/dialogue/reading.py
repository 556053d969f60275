"""What a message does, read from whole words (PyThaiNLP tokens), never from substrings of the raw text.

Inside a form and at a yes/no prompt the bot must tell an answer from a yes, a no, a question, a wish
to stop or a correction. Substring tests get this wrong in Thai ("ได้" is inside the question
"ได้ไหม", "อย" inside "อยาก"), so everything here works on tokens. Chat text often ends in a polite
particle glued to the word before it; the stock dictionary holds fragments such as ``นคะ`` that
swallow it (แค่ไหนคะ → แค่|ไห|นคะ), so a particle is peeled off a chunk's end first when what is
left of the last token is not a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pythainlp.corpus import thai_words

from otopbot.nlu.normalize import normalize
from otopbot.nlu.tokens import tokenize

# polite particles and sentence-final softeners: never part of an answer
PARTICLES = frozenset(
    {
        "ค่ะ",
        "คะ",
        "ครับ",
        "คับ",
        "ครัช",
        "นะคะ",
        "นะครับ",
        "นะ",
        "จ้า",
        "จ้ะ",
        "จ๊ะ",
        "เจ้า",
        "ค่า",
        "ฮะ",
        "ฮ่ะ",
        "คร้า",
        "ค้า",
        "จ่ะ",
        "น้า",
        "นะจ๊ะ",
        "ครับผม",
        "คร้าบ",
        "ๆ",
    }
)
_PEELABLE = tuple(sorted(PARTICLES - {"ๆ", "นะ", "น้า"}, key=len, reverse=True))
# hesitation and apology words that come before an answer or a correction
FILLERS = frozenset(
    {"เอ๊ย", "เอ้ย", "อ๊ะ", "อ่ะ", "อ่า", "เอ่อ", "อืม", "อื้ม", "ขอโทษ", "โทษที", "sorry", "อ้อ", "อ๋อ", "แบบ", "ก็"}
)
QUESTION_WORDS = frozenset(
    {
        "ไหม",
        "มั้ย",
        "ไม๊",
        "มั๊ย",
        "หรือเปล่า",
        "รึเปล่า",
        "หรือป่าว",
        "ป่าว",
        "เปล่า",
        "อะไร",
        "ใคร",
        "ยังไง",
        "อย่างไร",
        "ไง",
        "เท่าไร",
        "เท่าไหร่",
        "ไหน",
        "ที่ไหน",
        "แค่ไหน",
        "เมื่อไร",
        "เมื่อไหร่",
        "ทำไม",
        "กี่",
        "หรือไม่",
        "หรอ",
        "เหรอ",
        "ไหร่",
        "how",
        "what",
        "who",
        "why",
        "where",
        "when",
        "which",
        "can",
        "could",
    }
)
NEGATIONS = frozenset({"ไม่", "ไม่ได้", "ปฏิเสธ", "no", "not", "don't", "nope", "decline", "disagree", "มิ", "อย่า"})
# words that say yes on their own, whatever else the sentence says (when it is not a question)
STRONG_YES = frozenset({"ใช่", "ตกลง", "ยินยอม", "ยอมรับ", "ยืนยัน", "ถูกต้อง", "agree", "accept", "confirm"})
# words that say yes only when nothing but particles and softeners surrounds them
WEAK_YES = frozenset({"ได้", "โอเค", "ok", "okay", "yes", "sure", "y", "เอา", "yep", "yeah", "เค", "โอเช", "okie"})
SOFTENERS = (
    frozenset(
        {
            "เลย",
            "แล้ว",
            "ครับผม",
            "ค่ะผม",
            "please",
            "fine",
            "that",
            "'s",
            "that's",
            "it",
            "is",
            "good",
            "thanks",
            "thank",
            "you",
        }
    )
    | PARTICLES
)
# a stop phrase anywhere in the message leaves the form (matched as whole-token sequences)
STOP_PHRASES = (
    "ไม่เอาแล้ว",
    "ยกเลิก",
    "พอก่อน",
    "ไว้ทีหลัง",
    "ไว้ก่อน",
    "ไว้วันหลัง",
    "เลิก",
    "ไม่ทำแล้ว",
    "ไม่ทำต่อ",
    "หยุด",
    "พอแค่นี้ก่อน",
    "ออกจากฟอร์ม",
    "cancel",
    "stop",
    "quit",
    "เอาไว้ก่อน",
    "ทีหลัง",
    "วันหลัง",
    "คราวหน้า",
    "โอกาสหน้า",
    "ไม่สมัครแล้ว",
    "ไม่ลงทะเบียนแล้ว",
    "ไม่จองแล้ว",
    "later",
    "ไม่กรอกต่อ",
    "ไม่กรอกแล้ว",
    "ค่อยมาทำ",
    "ค่อยทำ",
    "มาทำใหม่",
    "ไม่ต่อแล้ว",
    "ขอคิดดู",
    "คิดดูก่อน",
    "ขอคิดก่อน",
    "ขอเวลาคิด",
    "มาทำต่อ",
    "เดี๋ยวมา",
    "ค่อยมา",
    "ขอตัวก่อน",
    "ไว้มาทำ",
    "ไว้มากรอก",
    # asking others first ("เดี๋ยวก่อนค่ะ ขอถามทีมก่อน"): a pause, the answers kept
    "ปรึกษาก่อน",
    "ถามทีมก่อน",
    "ปรึกษาทีมก่อน",
    "ถามกลุ่มก่อน",
    "ปรึกษากลุ่มก่อน",
    "ถามสมาชิกก่อน",
    "ปรึกษาสมาชิกก่อน",
    "ถามประธานก่อน",
    "ถามหัวหน้าก่อน",
    "ถามแฟนก่อน",
    "ถามที่บ้านก่อน",
)
# stop phrases that give the form up for good; any other stop is a pause, and the answers are kept
QUIT_PHRASES = (
    "ไม่เอาแล้ว",
    "เลิก",
    "ไม่ทำแล้ว",
    "ไม่ทำต่อ",
    "ไม่สมัครแล้ว",
    "ไม่ลงทะเบียนแล้ว",
    "ไม่จองแล้ว",
    "ไม่กรอกต่อ",
    "ไม่กรอกแล้ว",
    "ไม่ต่อแล้ว",
    "quit",
)
_SPLIT = re.compile(r"\s+")
_QUESTION_MARK = re.compile(r"[?？](?=\s|$|[ก-๙])")  # a question mark ends a sentence, not a URL's query


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    return frozenset(thai_words())


# unambiguous words that maximal matching can cut wrongly (ยินยอมให้ → ยิน|ยอมให้); never inside another word
WHOLE_WORDS = ("ยินยอม", "ยกเลิก", "ตกลง", "เปลี่ยน")


def _chunk_tokens(chunk: str) -> list[str]:
    """Tokens of one space-free chunk, with a trailing particle freed from a dictionary fragment."""
    tokens = tokenize(chunk)
    for word in WHOLE_WORDS:
        at = chunk.find(word)
        if at >= 0 and word not in tokens:
            before, after = chunk[:at], chunk[at + len(word) :]
            return [*(_chunk_tokens(before) if before else []), word, *(_chunk_tokens(after) if after else [])]
    if not tokens or tokens[-1] in PARTICLES:
        return tokens
    last = tokens[-1]
    for particle in _PEELABLE:
        stem = last[: -len(particle)]
        if last.endswith(particle) and stem and stem not in _dictionary() and chunk != particle:
            return [*tokenize(chunk[: -len(particle)]), particle]
    return tokens


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The normalised tokens of a message, chunk by chunk (spaces are boundaries too).

    Cached: one message is read by many checks in a turn, and form prompts' phrases on every turn.
    """
    found: list[str] = []
    for chunk in _SPLIT.split(normalize(text)):
        if chunk:
            found += _chunk_tokens(chunk)
    return tuple(found)


_THAI_WORD = re.compile(r"[ก-๙]{4,}")
MAX_PART = 20


@lru_cache(maxsize=8192)
def parts(token: str) -> tuple[str, ...]:
    """A dictionary compound as the fewest smaller dictionary words ("เสียค่าใช้จ่าย" → เสีย|ค่าใช้จ่าย,
    "ลดเหลือ" → ลด|เหลือ); any other token as itself.

    The tokenizer keeps compounds whole, which hides a key word inside them; splitting only into
    whole dictionary words still reads words, never raw substrings ("แก้ว" stays glass, not แก้).
    """
    if not _THAI_WORD.fullmatch(token):
        return (token,)
    known, size = _dictionary(), len(token)
    best: list[tuple[str, ...] | None] = [()] + [None] * size
    for end in range(1, size + 1):
        for start in range(max(0, end - MAX_PART), end):
            head = best[start]
            if head is None or (start, end) == (0, size) or token[start:end] not in known:
                continue
            if best[end] is None or len(head) + 1 < len(best[end] or ()):
                best[end] = (*head, token[start:end])
    return best[size] or (token,)


@lru_cache(maxsize=1024)
def fine(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens with every compound split into its smaller words."""
    return tuple(part for token in tokens for part in parts(token))


def phrase_at(tokens: tuple[str, ...], phrase: str) -> list[int]:
    """Where the phrase's tokens appear in a row in `tokens` (start indexes)."""
    wanted = words(phrase)
    size = len(wanted)
    return [i for i in range(len(tokens) - size + 1) if size and tokens[i : i + size] == wanted]


def has_phrase(tokens: tuple[str, ...], phrase: str) -> bool:
    """True when the phrase's tokens appear in a row in `tokens`."""
    return bool(phrase_at(tokens, phrase))


_NEGATORS = frozenset({"ไม่", "ไม่ได้", "มิ", "ไม่ใช่", "not", "no", "อย่า", "don't", "ไม่ต้อง"})


def has_affirmed(tokens: tuple[str, ...], phrase: str) -> bool:
    """The phrase appears, and not right after a negation ("ไม่ได้เป็นกลุ่ม" does not affirm กลุ่ม)."""
    for start in phrase_at(tokens, phrase):
        before = tokens[max(0, start - 3) : start]
        if not _NEGATORS.intersection(before):
            return True
    return False


def has_denied(tokens: tuple[str, ...], phrase: str) -> bool:
    """The phrase appears right after a negation ("ยังไม่ได้จดทะเบียน", "ไม่มีเลขทะเบียน")."""
    return any(_NEGATORS.intersection(tokens[max(0, start - 3) : start]) for start in phrase_at(tokens, phrase))


_OR = frozenset({"หรือ", "หรือว่า", "รึ", "รึว่า"})
# particles that close a question in speech ("เบอร์ร้านหรือเบอร์มือถือคะ"); ค่ะ/ค่า close a statement;
# "…ดี" before them asks which is better ("เป็นร้านหรือกลุ่มดีคะ")
_ASKING_ENDS = frozenset({"คะ", "ครับ", "คับ", "ฮะ", "จ๊ะ"})


def _asks_which(content: tuple[str, ...], tokens: tuple[str, ...]) -> bool:
    """ "A หรือ B คะ" asks which of two; "ร้านหรือกลุ่มก็ได้ค่ะ" and a bare "น้ำพริกหรือแจ่ว" answer.

    At the business-type question "เบอร์ร้านหรือเบอร์มือถือคะ" had been read as the answer "ร้าน" (SME).
    """
    at = next((i for i, t in enumerate(content) if t in _OR), None)
    if at is None or at == 0 or at == len(content) - 1:
        return False
    if content[at] in ("หรือว่า", "รึว่า"):
        return True
    last = next((t for t in reversed(tokens) if _is_word(t)), "")
    return last in _ASKING_ENDS or content[-1] == "ดี"


@dataclass(frozen=True, slots=True)
class Reading:
    """A message as whole words, and what those words say about its purpose."""

    text: str
    tokens: tuple[str, ...]

    @property
    def content(self) -> tuple[str, ...]:
        """Tokens without particles, fillers and punctuation."""
        return tuple(t for t in self.tokens if t not in PARTICLES and t not in FILLERS and _is_word(t))

    @property
    def question(self) -> bool:
        return (
            bool(_QUESTION_MARK.search(self.text))
            or any(t in QUESTION_WORDS for t in self.tokens)
            or any(t.startswith(("ไหม", "มั้ย", "หรือเปล่า")) for t in self.tokens)
        )

    @property
    def asks_which(self) -> bool:
        """ "A หรือ B คะ": a question where a choice is expected, but maybe a list of products elsewhere."""
        return _asks_which(self.content, self.tokens)

    @property
    def negated(self) -> bool:
        return any(t in NEGATIONS for t in self.tokens) or has_phrase(self.tokens, "ไม่ต้อง")

    @property
    def stop(self) -> bool:
        return any(has_phrase(self.tokens, phrase) for phrase in STOP_PHRASES)

    @property
    def quits(self) -> bool:
        """A stop that gives the form up ("ไม่สมัครแล้ว"), not one that puts it off ("พอก่อน ไว้วันหลัง")."""
        return any(has_phrase(self.tokens, phrase) for phrase in QUIT_PHRASES)

    def has(self, *phrases: str) -> bool:
        """Any of the phrases, as whole words, also inside a compound ("เสียค่าใช้จ่าย" has ค่าใช้จ่าย)."""
        split = fine(self.tokens)
        return any(has_phrase(self.tokens, phrase) or has_phrase(split, phrase) for phrase in phrases)

    def affirms(self, phrase: str) -> bool:
        return has_affirmed(self.tokens, phrase)

    def denies(self, *phrases: str) -> bool:
        return any(has_denied(self.tokens, phrase) for phrase in phrases)


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def read(text: str) -> Reading:
    return Reading(text, words(text))


def is_yes(reading: Reading, verbs: tuple[str, ...] = ()) -> bool:
    """An agreement: a strong yes word, a bare "ได้ค่ะ"/"โอเค"/"ค่ะ", or the action's own verb ("ลบเลย").

    A question is never a yes. A negation elsewhere does not undo the action's own verb
    ("ลบได้เลย ไม่ต้องเก็บไว้"), but one right before it does ("ไม่ลบ", "อย่าลบ").
    """
    if reading.question:
        return False
    if any(reading.affirms(verb) for verb in verbs) and not reading.has("เปลี่ยนใจ"):
        return True
    if reading.negated or reading.stop:
        return False
    content = reading.content
    if not content:  # "ค่ะ", "ครับผม": a polite particle alone agrees
        return any(t in {"ค่ะ", "ครับ", "คับ", "จ้า", "ค่า", "จ้ะ", "เจ้า", "ฮะ", "ครับผม"} for t in reading.tokens)
    if any(t in STRONG_YES for t in content):
        return True
    return all(t in WEAK_YES or t in SOFTENERS for t in content) and any(t in WEAK_YES for t in content)


def is_consent(reading: Reading) -> bool:
    """Consent needs an unambiguous yes: ยินยอม, ตกลง, ใช่, ยอมรับ, or "ได้ค่ะ"/"โอเค" on its own."""
    if reading.question or reading.negated or reading.stop:
        return False
    content = reading.content
    if any(t in {"ยินยอม", "ยอมรับ", "ตกลง", "ใช่", "ยืนยัน", "agree", "accept"} for t in content):
        return True
    return bool(content) and all(t in WEAK_YES | SOFTENERS for t in content) and any(t in WEAK_YES for t in content)


def is_no(reading: Reading) -> bool:
    """A refusal ("ไม่ค่ะ", "ไม่ยินยอม", "ไม่ลบ"); a question is never a no ("ถ้าไม่ให้เบอร์ได้ไหม")."""
    if reading.question:
        return False
    if reading.has("ไม่มีปัญหา", "ไม่เป็นไรเลย"):
        return False
    return reading.negated or reading.has("ไม่เอา", "ไม่ดีกว่า", "no thanks", "เปลี่ยนใจ")


def strip_particles(text: str, leads: frozenset[str] = frozenset()) -> str:
    """Free text without leading fillers (and `leads`) and trailing particles: "สมพงษ์ครับ" → "สมพงษ์".

    Works chunk by chunk (spaces are kept), dropping only whole particle tokens, so names that merely
    contain the same letters ("คะนึงนิจ", "กลุ่มเพิ่มมูลค่า") stay whole.
    """
    chunks = [raw_tokens(c) for c in _SPLIT.split(text.strip()) if c]
    dropping = FILLERS | PARTICLES | leads
    while chunks and sum(len(c) for c in chunks) > 1:
        if chunks[0] and normalize(chunks[0][0]) in dropping:
            chunks[0].pop(0)
        elif not chunks[0]:
            chunks.pop(0)
        else:
            break
    cleaned: list[str] = []
    for tokens in chunks:
        while tokens and normalize(tokens[-1]) in PARTICLES:
            tokens.pop()
        if tokens:
            cleaned.append("".join(tokens))
    return " ".join(cleaned)


def without_phrases(text: str, phrases: list[str]) -> str:
    """The text with every whole-token occurrence of the phrases taken out (original spelling kept).

    "อาหารแปรรูป น้ำพริกค่ะ" without the category's names is "น้ำพริกค่ะ"; letters inside another
    word are never cut ("แก้วมังกร" keeps its แก้ว).
    """
    wanted = sorted({words(p) for p in phrases if p and words(p)}, key=len, reverse=True)
    kept: list[str] = []
    for chunk in _SPLIT.split(text.strip()):
        raw = raw_tokens(chunk) if chunk else []
        norm = tuple(normalize(t) for t in raw)
        out, i = [], 0
        while i < len(raw):
            hit = next((len(w) for w in wanted if norm[i : i + len(w)] == w), 0)
            if hit:
                i += hit
            else:
                out.append(raw[i])
                i += 1
        if out:
            kept.append("".join(out))
    return " ".join(kept)


def is_decline(reading: Reading) -> bool:
    """An unambiguous no to a consent question: "ไม่ยินยอม", "ไม่ค่ะ", "ไม่เอา"; "ยังไม่แน่ใจ" is not one."""
    if reading.question:
        return False
    if reading.tokens[:1] in (("ไม่",), ("no",)) and (len(reading.tokens) == 1 or reading.tokens[1] in PARTICLES):
        return True  # "ไม่ค่ะ …", "no, …": a no first, whatever the reason after it
    content = set(reading.content)
    plain = {
        "ไม่",
        "no",
        "nope",
        "ปฏิเสธ",
        "decline",
        "ยินยอม",
        "ยอม",
        "เอา",
        "ตกลง",
        "ให้",
        "thanks",
        "thank",
        "you",
        "ดีกว่า",
        "ก่อน",
        "เก็บ",
        "ข้อมูล",
        "ค่อย",
        "ไม่ได้",
        "สะดวก",
        "อยาก",
        "ต้องการ",
        "สนใจ",
        "แล้ว",
        "ขอ",
    }
    return bool(content) and reading.negated and content <= plain or reading.has("ปฏิเสธ", "ไม่ยินยอม")


def raw_tokens(chunk: str) -> list[str]:
    """Tokens of a chunk in its original spelling (digits and case kept), particles freed."""
    norm = normalize(chunk)
    tokens = _chunk_tokens(norm)
    if len(norm) != len(chunk):  # stretched letters were squeezed: keep the chunk, free a final particle
        for cut in range(len(chunk) - 1, 0, -1):
            if tokens and tokens[-1] in PARTICLES and normalize(chunk[cut:]) == tokens[-1]:
                return [chunk[:cut], chunk[cut:]]
        return [chunk]
    out, pos = [], 0
    for token in tokens:
        out.append(chunk[pos : pos + len(token)])
        pos += len(token)
    return out
