"""The NLU's one entry point: `understand(text, today)` → intent, confidence, entities.

`get_engine(content_dir)` builds one engine per process and content folder: it loads the trained
model from the cache (keyed by the hash of bot/intents + bot/entities) or trains it, and warms the
tokeniser so the first user does not wait for the dictionary trie.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from datetime import date, datetime
from pathlib import Path

from otopbot.clock import BANGKOK
from otopbot.nlu import cache, cues
from otopbot.nlu.content import content_hash, use_content_dir
from otopbot.nlu.entities import extract
from otopbot.nlu.features import word_features
from otopbot.nlu.intents import IntentModel
from otopbot.nlu.normalize import normalize
from otopbot.nlu.tokens import tokenize
from otopbot.nlu.types import Entities, Intent, Understanding

log = logging.getLogger(__name__)

# A standard's code plus a question word is a standards question, whatever generic words
# (ขอ, ต้องทำยังไง, how to) pulled the classifier towards help or registration.
_STANDARD_CODES = frozenset(
    {
        "มผช",
        "มผช.",
        "มอก",
        "มอก.",
        "อย",
        "อย.",
        "gmp",
        "haccp",
        "ฮาลาล",
        "halal",
        "tisi",
        "มาตรฐาน",
        "standard",
        "standards",
        "certificate",
        "ใบรับรอง",
    }
)
# Question words, and the ways owners ask without one (อยากรู้เรื่อง…, สอบถาม…, …หรอ).
_QUESTION = re.compile(
    r"ไหม|มั้ย|ไม๊|อะไร|ยังไง|อย่างไร|ไง|เท่าไ|กี่|ที่ไหน|ได้ไหม|หรือเปล่า|รึเปล่า|ป่าว"
    r"|หรอ|เหรอ|คือ|อยากรู้|สอบถาม|ขอข้อมูล|รายละเอียด|\?"
    r"|(?<![a-z])(?:how|what|which|is|do|does|need|where|when)(?![a-z])"
)
_STANDARD_OVERRIDES = frozenset({Intent.HELP, Intent.OUT_OF_SCOPE, Intent.REGISTER_INTEREST, Intent.GREET})
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Requests a named government scheme (คนละครึ่ง, ธ.ก.ส. loans…) turns into "out of our scope".
_SCHEME_OVERRIDES = frozenset(
    {
        Intent.REGISTER_INTEREST,
        Intent.LIST_WORKSHOPS,
        Intent.BOOK_WORKSHOP,
        Intent.HELP,
        Intent.GREET,
        Intent.MY_BOOKINGS,
        Intent.CANCEL_BOOKING,
    }
)
# A follow-up that names a search filter ("แล้วที่ขอนแก่นล่ะ") is a workshop search, whatever
# these weakly-related intents the few words pulled the classifier towards.
_FOLLOW_UP_OVERRIDES = frozenset(
    {
        Intent.MY_BOOKINGS,
        Intent.OUT_OF_SCOPE,
        Intent.GREET,
        Intent.HELP,
        Intent.REGISTER_INTEREST,
        Intent.MY_DATA,
        Intent.THANKS,
    }
)


def bangkok_today() -> date:
    return datetime.now(BANGKOK).date()


class NluEngine:
    """Thai/English understanding for one content folder. Thread-safe after construction."""

    def __init__(self, content_dir: Path, cache_dir: Path | None = None) -> None:
        started = time.perf_counter()
        self.content_dir = Path(content_dir).resolve()
        use_content_dir(self.content_dir)
        self.model = self._load_or_train(cache_dir or cache.default_cache_dir())
        word_features("สวัสดี")  # builds the tokeniser trie now, not on the first message
        log.info("NLU ready in %.2f s", time.perf_counter() - started)

    def _load_or_train(self, cache_dir: Path) -> IntentModel:
        path = cache.cache_file(cache_dir, content_hash(self.content_dir))
        model = cache.load(path)
        if model is None:
            from otopbot.nlu.training import train

            model = train(self.content_dir)
            cache.save(model, path)
        return model

    def understand(self, text: str, today: date | None = None) -> Understanding:
        norm = normalize(text)
        tokens = tokenize(norm)
        entities = extract(norm, today or bangkok_today(), tokens)
        intent, confidence = self.classify(norm)
        intent = _with_cues(intent, tokens, entities)
        return Understanding(text=text, intent=intent, confidence=confidence, entities=entities)

    def classify(self, norm: str) -> tuple[str, float]:
        """Intent of normalised text, with the few rules that generalise beyond the phrases."""
        if not _HAS_LETTER.search(norm):  # 555, ???, stickers' alt text of emoji only
            return Intent.OUT_OF_SCOPE.value, 1.0
        intent, confidence = self.model.predict(norm)
        if (
            intent in _STANDARD_OVERRIDES
            and _QUESTION.search(norm)
            and _STANDARD_CODES.intersection(word_features(norm))
        ):
            return Intent.ASK_STANDARD.value, confidence
        return intent, confidence


def _with_cues(intent: str, tokens: list[str], entities: Entities) -> str:
    """Rules that hold whatever the training phrases: schemes, see vs erase, search follow-ups."""
    if entities.scheme and (
        intent in _SCHEME_OVERRIDES or (intent == Intent.ASK_STANDARD and not _STANDARD_CODES.intersection(tokens))
    ):
        return Intent.OUT_OF_SCOPE.value
    if intent == Intent.DELETE_MY_DATA and cues.asks_to_see(tokens):
        return Intent.MY_DATA.value  # "ขอดูข้อมูลที่เก็บไว้": looking, no erase word
    if intent == Intent.MY_DATA and cues.erases(tokens):
        return Intent.DELETE_MY_DATA.value
    searches = entities.province or entities.region or entities.date or entities.category
    widening = entities.widen is not None and intent != Intent.OUT_OF_SCOPE  # not "ส่งทั่วประเทศ" in a sales pitch
    if (widening or (entities.follow_up and searches)) and intent in _FOLLOW_UP_OVERRIDES:
        return Intent.LIST_WORKSHOPS.value
    if entities.region and intent == Intent.HELP:  # "ภาคเหนือมีอะไรบ้าง": regions only matter for workshops
        return Intent.LIST_WORKSHOPS.value
    return intent


_engines: dict[Path, NluEngine] = {}
_lock = threading.Lock()


def get_engine(content_dir: Path) -> NluEngine:
    """The process-wide engine for a content folder (built on first use)."""
    key = Path(content_dir).resolve()
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = NluEngine(key)
        return engine
