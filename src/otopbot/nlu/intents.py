"""Intent classifier: TF-IDF words + char n-grams, logistic regression, scored with numpy.

Training uses sklearn (TfidfVectorizer with our analysers, LogisticRegression); prediction does
the same arithmetic by hand from ``vocabulary_``, ``idf_``, ``coef_`` and ``intercept_``: sklearn's
per-call validation costs about 1 ms per message, the maths itself a few microseconds. The
confidence threshold below which a message becomes out_of_scope is chosen by cross-validation on
the training phrases (never on an evaluation set).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from otopbot.nlu.features import char_features, word_features
from otopbot.nlu.normalize import normalize
from otopbot.nlu.types import Intent

C = 20.0  # inverse regularisation; chosen by cross-validation (see benchmarks/nlu_bench.py)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(13))
OUT_OF_SCOPE = Intent.OUT_OF_SCOPE.value


@dataclass(frozen=True, slots=True)
class Block:
    """One TF-IDF view: feature → column, idf per column, and the column offset in coef."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int


@dataclass(frozen=True, slots=True)
class IntentModel:
    classes: tuple[str, ...]
    words: Block
    chars: Block
    coef: np.ndarray  # (n_features, n_classes), C-contiguous for row gathers
    intercept: np.ndarray
    threshold: float

    def probabilities(self, norm: str) -> np.ndarray:
        """Softmax probabilities per class, identical to the sklearn pipeline's predict_proba."""
        rows: list[int] = []
        values: list[float] = []
        for block, feats in ((self.words, word_features(norm)), (self.chars, char_features(norm))):
            _add_block(block, feats, rows, values)
        scores = self.intercept.copy()
        if rows:
            scores += np.asarray(values) @ self.coef[rows]
        scores -= scores.max()
        exp = np.exp(scores)
        probabilities: np.ndarray = exp / exp.sum()
        return probabilities

    def predict(self, norm: str) -> tuple[str, float]:
        probs = self.probabilities(norm)
        best = int(probs.argmax())
        confidence = float(probs[best])
        if confidence < self.threshold:
            return OUT_OF_SCOPE, confidence
        return self.classes[best], confidence


def _add_block(block: Block, feats: list[str], rows: list[int], values: list[float]) -> None:
    """Sublinear TF × IDF, L2-normalised within the block (as TfidfVectorizer does)."""
    counts: dict[int, int] = {}
    vocab = block.vocabulary
    for f in feats:
        col = vocab.get(f)
        if col is not None:
            counts[col] = counts.get(col, 0) + 1
    if not counts:
        return
    cols = list(counts)
    weights = [(1.0 + math.log(counts[c])) * float(block.idf[c]) for c in cols]
    norm = math.sqrt(sum(w * w for w in weights))
    rows.extend(block.offset + c for c in cols)
    values.extend(w / norm for w in weights)


def load_phrases(intents_dir: Path) -> tuple[list[str], list[str]]:
    """All training phrases (normalised) and their intents, from bot/intents/*.yml."""
    texts: list[str] = []
    labels: list[str] = []
    for path in sorted(intents_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        intent = Intent(data["intent"]).value
        for phrase in data.get("phrases") or ():
            norm = normalize(str(phrase))
            if norm:
                texts.append(norm)
                labels.append(intent)
    missing = {i.value for i in Intent} - set(labels)
    if missing:
        raise ValueError(f"no training phrases for intents: {sorted(missing)}")
    return texts, labels
