"""The classifier: accuracy on the dev set and on our own phrases, fast scorer = sklearn, cache."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from nlu_paths import BOT, SHARED_EVAL

from otopbot.nlu import cache
from otopbot.nlu.content import content_hash
from otopbot.nlu.engine import NluEngine
from otopbot.nlu.evaluate import evaluate, load_cases
from otopbot.nlu.intents import load_phrases
from otopbot.nlu.normalize import normalize
from otopbot.nlu.training import analyse, choose_threshold, decide, out_of_fold

DEV = SHARED_EVAL / "nlu-dev.yml"


@pytest.mark.skipif(not DEV.is_file(), reason="shared/eval is not beside the checkout")
def test_dev_set_accuracy(engine: NluEngine) -> None:
    report = evaluate(engine, load_cases(DEV), date(2025, 6, 11))
    assert report.accuracy >= 0.95
    assert report.entity_accuracy >= 0.95
    oos_precision, oos_recall, _ = report.precision_recall("out_of_scope")
    assert oos_precision >= 0.8 and oos_recall >= 0.8


def test_cross_validation_on_our_phrases() -> None:
    texts, labels = load_phrases(BOT / "intents")
    assert len(texts) >= 12 * 40
    probs, classes = out_of_fold(texts, labels, folds=4)
    threshold = choose_threshold(probs, classes, labels)
    predicted = decide(probs, classes, threshold)
    accuracy = np.mean([p == g for p, g in zip(predicted, labels, strict=False)])
    assert accuracy >= 0.78


def test_numpy_scorer_matches_sklearn(engine: NluEngine) -> None:
    from otopbot.nlu.training import _fit, to_model

    texts, labels = load_phrases(BOT / "intents")
    pipeline = _fit(analyse(texts), labels, 20.0)
    model = to_model(pipeline, 0.0)
    for message in ["จองอบรมเซรามิค 2 ที่", "hello", "ราคายางวันนี้", "ขอ มผช ค่ะ"]:
        norm = normalize(message)
        expected = pipeline.predict_proba(analyse([norm]))[0]
        assert np.allclose(model.probabilities(norm), expected, atol=1e-9)


def test_cached_model_scores_like_the_trained_one(engine: NluEngine, tmp_path: Path) -> None:
    path = cache.cache_file(tmp_path, content_hash(BOT))
    cache.save(engine.model, path)
    loaded = cache.load(path)
    assert loaded is not None
    norm = normalize("ขอจองเวิร์คช็อป ๒ ที่ค่ะ")
    assert np.allclose(loaded.probabilities(norm), engine.model.probabilities(norm))
    assert loaded.threshold == engine.model.threshold


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a numpy file")
    assert cache.load(path) is None
