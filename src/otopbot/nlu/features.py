"""The two feature views of a message, shared by training (sklearn) and scoring (numpy).

Words (newmm with the domain dictionary; unigrams and bigrams) carry meaning; character
n-grams inside word boundaries (char_wb 2–4, as sklearn defines it) absorb typos, missing spaces
and odd segmentation (ยกเลิค, เวิคช็อป). Both analysers are plain functions so the trained model
can be scored without importing sklearn.
"""

from __future__ import annotations

import itertools
import unicodedata

from otopbot.nlu.tokens import tokenize

CHAR_MIN, CHAR_MAX = 2, 4


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LNM" for ch in token)


def word_features(norm: str) -> list[str]:
    """Tokens (punctuation dropped) and adjacent-token bigrams of normalised text."""
    tokens = [t for t in tokenize(norm) if _is_word(t)]
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def char_features(norm: str) -> list[str]:
    """sklearn's char_wb n-grams: each space-separated word padded with spaces, 2–4 chars."""
    grams: list[str] = []
    for word in norm.split():
        padded = f" {word} "
        size = len(padded)
        for n in range(CHAR_MIN, CHAR_MAX + 1):
            if size < n:
                break
            grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams
