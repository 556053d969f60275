"""Store and load a trained IntentModel, keyed by the hash of bot/intents + bot/entities.

Training takes a few seconds (cross-validation for the threshold, plus sklearn's import), so
workers reuse a model trained from the same content. The file holds only numpy arrays
(``allow_pickle=False``): loading it cannot run code. A cache that cannot be written (read-only
home, container) is skipped, never fatal.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import numpy as np

from otopbot.nlu.intents import Block, C, IntentModel

log = logging.getLogger(__name__)
MODEL_VERSION = f"v1-words12-charwb24-newtoncg-C{C}"


def default_cache_dir() -> Path:
    return Path.home() / ".cache" / "otopbot" / "nlu"


def cache_file(cache_dir: Path, content_hash: str) -> Path:
    return cache_dir / f"intents-{MODEL_VERSION}-{content_hash[:24]}.npz"


def _terms(block: Block) -> np.ndarray:
    terms = [""] * len(block.vocabulary)
    for term, col in block.vocabulary.items():
        terms[col] = term
    return np.asarray(terms, dtype=str)


def save(model: IntentModel, path: Path) -> None:
    """Write atomically (temp file + rename) so a concurrent reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            np.savez(
                fh,
                classes=np.asarray(model.classes, dtype=str),
                word_terms=_terms(model.words),
                word_idf=model.words.idf,
                char_terms=_terms(model.chars),
                char_idf=model.chars.idf,
                coef=model.coef,
                intercept=model.intercept,
                threshold=np.asarray([model.threshold]),
            )
        os.replace(tmp, path)
    except OSError as exc:
        log.info("NLU model cache not written (%s): training again next start", exc.strerror)


def load(path: Path) -> IntentModel | None:
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            word_terms = [str(t) for t in data["word_terms"]]
            char_terms = [str(t) for t in data["char_terms"]]
            return IntentModel(
                classes=tuple(str(c) for c in data["classes"]),
                words=Block({t: i for i, t in enumerate(word_terms)}, data["word_idf"], 0),
                chars=Block({t: i for i, t in enumerate(char_terms)}, data["char_idf"], len(word_terms)),
                coef=np.ascontiguousarray(data["coef"]),
                intercept=data["intercept"],
                threshold=float(data["threshold"][0]),
            )
    except (OSError, ValueError, KeyError) as exc:
        log.warning("NLU model cache unreadable (%s): retraining", exc)
        return None
