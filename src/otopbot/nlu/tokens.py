"""Word segmentation for Thai chat: newmm over PyThaiNLP's dictionary plus our domain words.

Thai has no spaces between words, so a dictionary decides the cuts. The stock dictionary lacks
domain terms (``มผช``, ``วิสาหกิจชุมชน``, ``แปรรูปอาหาร``) and then cuts ``ขอมผช`` into ``ขอม|ผช``
("Khmer"). ``custom_dict`` *replaces* the dictionary, so we merge ``thai_words()`` with
bot/entities/words.txt and build the trie once per process (about 1 s; it dominates start-up).

This is the one tokeniser of the bot: the NLU, the reading of a message (dialogue/reading.py) and
the knowledge search (knowledge/analysis.py) all cut text here, with the same dictionary and
options, so a text cut once is not cut again (newmm is about a tenth of an answer's CPU).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pythainlp.corpus import thai_words
from pythainlp.tokenize import Tokenizer
from pythainlp.util import dict_trie

from otopbot.nlu.content import content_dir, read_word_file


@lru_cache(maxsize=4)
def _domain_words(root: Path) -> frozenset[str]:
    return read_word_file(root / "entities" / "words.txt")


def domain_words() -> frozenset[str]:
    """The domain vocabulary from bot/entities/words.txt (normalised, lower-case)."""
    return _domain_words(content_dir())


@lru_cache(maxsize=2)
def _tokenizer(root: Path) -> Tokenizer:
    words = {w.lower() for w in thai_words()} | _domain_words(root)
    return Tokenizer(custom_dict=dict_trie(words), engine="newmm", keep_whitespace=False)


@lru_cache(maxsize=4096)
def _cut(root: Path, text: str) -> tuple[str, ...]:
    return tuple(t for t in _tokenizer(root).word_tokenize(text) if not t.isspace())


def tokenize(text: str) -> list[str]:
    """Split already-normalised text into words; never returns whitespace tokens.

    Cuts are kept per dictionary and text: one message is cut by the NLU, the reading of the
    message and the knowledge search, often as the same text. Each caller gets its own list.
    """
    if not text:
        return []
    return list(_cut(content_dir(), text))
