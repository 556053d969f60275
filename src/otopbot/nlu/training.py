"""Fit the intent classifier from bot/intents and choose its out-of-scope threshold.

sklearn is imported here only, so a process that finds a cached model never pays its import
(about 0.8 s and 90 MB). The threshold is picked on out-of-fold predictions of the training
phrases: the smallest threshold that maximises accuracy when low-confidence answers become
out_of_scope.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from otopbot.nlu.features import char_features, word_features
from otopbot.nlu.intents import OUT_OF_SCOPE, THRESHOLDS, Block, C, IntentModel, load_phrases

FOLDS = 5
SEED = 7


def build_pipeline(c: float = C) -> Any:
    """The textbook sklearn pipeline our numpy scorer reproduces."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    union = FeatureUnion(
        [
            ("words", TfidfVectorizer(analyzer=word_features, sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer=char_features, sublinear_tf=True)),
        ]
    )
    lr = LogisticRegression(C=c, solver="newton-cg", max_iter=1000)
    return Pipeline([("features", union), ("lr", lr)])


def _identity(features: list[str]) -> list[str]:
    return features


def _fit(docs: list[tuple[list[str], list[str]]], labels: list[str], c: float) -> Any:
    """Fit vectorisers and LR on pre-analysed documents (each phrase is segmented only once)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    union = FeatureUnion(
        [
            ("words", _Column(TfidfVectorizer(analyzer=_identity, sublinear_tf=True), 0)),
            ("chars", _Column(TfidfVectorizer(analyzer=_identity, sublinear_tf=True), 1)),
        ]
    )
    lr = LogisticRegression(C=c, solver="newton-cg", max_iter=1000)
    return Pipeline([("features", union), ("lr", lr)]).fit(docs, labels)


class _Column:
    """Feed one element of each (words, chars) pair to a vectoriser."""

    def __init__(self, vectorizer: Any, index: int) -> None:
        self.vectorizer = vectorizer
        self.index = index

    def fit(self, docs: list[Any], y: Any = None) -> _Column:
        self.vectorizer.fit([d[self.index] for d in docs])
        return self

    def transform(self, docs: list[Any]) -> Any:
        return self.vectorizer.transform([d[self.index] for d in docs])

    def fit_transform(self, docs: list[Any], y: Any = None) -> Any:
        return self.fit(docs).transform(docs)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"vectorizer": self.vectorizer, "index": self.index}


def analyse(texts: list[str]) -> list[tuple[list[str], list[str]]]:
    return [(word_features(t), char_features(t)) for t in texts]


def to_model(pipeline: Any, threshold: float) -> IntentModel:
    """Copy the fitted weights into the sklearn-free IntentModel."""
    union = pipeline.named_steps["features"]
    words, chars = (_vectorizer(union.transformer_list[i][1]) for i in (0, 1))
    lr = pipeline.named_steps["lr"]
    n_words = len(words.vocabulary_)
    return IntentModel(
        classes=tuple(str(c) for c in lr.classes_),
        words=Block(dict(words.vocabulary_), np.asarray(words.idf_, dtype=np.float64), 0),
        chars=Block(dict(chars.vocabulary_), np.asarray(chars.idf_, dtype=np.float64), n_words),
        coef=np.ascontiguousarray(lr.coef_.T, dtype=np.float64),
        intercept=np.asarray(lr.intercept_, dtype=np.float64),
        threshold=threshold,
    )


def _vectorizer(step: Any) -> Any:
    return step.vectorizer if isinstance(step, _Column) else step


def out_of_fold(
    texts: list[str], labels: list[str], c: float = C, folds: int = FOLDS, seed: int = SEED
) -> tuple[np.ndarray, list[str]]:
    """Probabilities for every phrase from a model that never saw it (stratified k-fold)."""
    from sklearn.model_selection import StratifiedKFold

    docs = analyse(texts)
    classes = sorted(set(labels))
    probs = np.zeros((len(texts), len(classes)))
    y = np.asarray(labels)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(texts, y):
        pipe = _fit([docs[i] for i in train_idx], list(y[train_idx]), c)
        order = [list(pipe.classes_).index(k) for k in classes]
        probs[test_idx] = pipe.predict_proba([docs[i] for i in test_idx])[:, order]
    return probs, classes


def decide(probs: np.ndarray, classes: list[str], threshold: float) -> list[str]:
    best = probs.argmax(axis=1)
    return [OUT_OF_SCOPE if probs[i, b] < threshold else classes[b] for i, b in enumerate(best)]


def choose_threshold(probs: np.ndarray, classes: list[str], labels: list[str]) -> float:
    """Smallest threshold with the best out-of-fold accuracy."""

    def accuracy(t: float) -> float:
        return float(np.mean([p == g for p, g in zip(decide(probs, classes, t), labels, strict=False)]))

    return max(THRESHOLDS, key=lambda t: (round(accuracy(t), 6), -t))


def train(content_dir: Path) -> IntentModel:
    """Cross-validate the threshold, then fit on all phrases."""
    texts, labels = load_phrases(content_dir / "intents")
    probs, classes = out_of_fold(texts, labels)
    threshold = choose_threshold(probs, classes, labels)
    return to_model(_fit(analyse(texts), labels, C), threshold)
