"""NLU speed and footprint, side by side with the textbook sklearn pipeline.

Run: .venv/bin/python benchmarks/nlu_bench.py
Prints: per-message latency (median, p99 µs) on short chat messages for our engine (understand =
intent + entities; classify = intent only) and for the textbook pipeline (newmm words → TF-IDF →
LogisticRegression.predict_proba) and our own features through sklearn; engine start-up (cached
model and fresh training) with peak RSS, each in a fresh process; dev-set and cross-validation
accuracy of both models.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BOT = REPO / "bot"
DEV = REPO / ".." / "shared" / "eval" / "nlu-dev.yml"
MESSAGES = [
    "สวัสดีค่ะ",
    "จองอบรมเซรามิก 2 ที่ค่ะ",
    "ยกเลิคการจองค่ะ",
    "มีอบรมที่โคราชไหม",
    "ขอ มผช น้ำพริกต้องทำไง",
    "ขอบคุณมากครับ",
    "ลบข้อมูลของฉัน",
    "ราคายางวันนี้",
    "ขอคุยกับเจ้าหน้าที่",
    "จองไว้วันไหนนะ",
    "เมนู",
    "สนใจเข้าร่วมโครงการค่ะ",
    "อบรมเดือนหน้ามีอะไรบ้าง",
    "cancel my booking",
    "ขอเบอร์ 081-234-5678 โทรกลับ",
    "hello",
    "ศุกร์หน้ามีอบรมกระดาษสาไหม",
    "หวัดดีจ้าาา",
    "๓ ที่ค่ะ",
    "thank you",
]

STARTUP = """
import resource, sys, time
from pathlib import Path
t = time.perf_counter()
from otopbot.nlu.engine import NluEngine
engine = NluEngine(Path(sys.argv[1]), cache_dir=Path(sys.argv[2]))
engine.understand("สวัสดีค่ะ")
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def timings(fn, messages: list[str], rounds: int = 50) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    for m in messages:
        fn(m)
    samples = []
    for _ in range(rounds):
        for m in messages:
            t = time.perf_counter_ns()
            fn(m)
            samples.append((time.perf_counter_ns() - t) / 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def startup(cache_dir: Path) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", STARTUP, str(BOT), str(cache_dir)], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fresh_s, fresh_mb = startup(Path(tmp))  # trains (cross-validation + fit) and caches
        cached_s, cached_mb = startup(Path(tmp))  # loads the cache: no sklearn import
    print(f"start-up, fresh training : {fresh_s:6.2f} s   peak RSS {fresh_mb:6.0f} MB")
    print(f"start-up, cached model   : {cached_s:6.2f} s   peak RSS {cached_mb:6.0f} MB")

    from pythainlp.tokenize import word_tokenize
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from otopbot.nlu.engine import NluEngine
    from otopbot.nlu.intents import load_phrases
    from otopbot.nlu.normalize import normalize
    from otopbot.nlu.training import build_pipeline, choose_threshold, decide, out_of_fold

    with tempfile.TemporaryDirectory() as tmp:
        engine = NluEngine(BOT, cache_dir=Path(tmp))
    texts, labels = load_phrases(BOT / "intents")
    textbook = Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    tokenizer=lambda s: word_tokenize(s, engine="newmm"), token_pattern=None, lowercase=False
                ),
            ),
            ("lr", LogisticRegression(C=10, solver="newton-cg", max_iter=1000)),
        ]
    ).fit(texts, labels)
    ours_sklearn = build_pipeline().fit(texts, labels)
    today = date(2025, 6, 11)

    rows = [
        ("engine.understand (intent+entities)", lambda m: engine.understand(m, today)),
        ("engine.classify (normalise+intent)", lambda m: engine.classify(normalize(m))),
        ("textbook newmm+TF-IDF+LR predict_proba", lambda m: textbook.predict_proba([m])),
        ("our features via sklearn predict_proba", lambda m: ours_sklearn.predict_proba([normalize(m)])),
    ]
    print(f"\n{'per message, ' + str(len(MESSAGES)) + ' short chat messages':<42} {'median µs':>10} {'p99 µs':>9}")
    for name, fn in rows:
        med, p99 = timings(fn, MESSAGES)
        print(f"{name:<42} {med:>10.0f} {p99:>9.0f}")

    if DEV.is_file():
        import yaml

        cases = yaml.safe_load(DEV.read_text(encoding="utf-8"))
        ours = sum(engine.understand(c["text"], today).intent == c["intent"] for c in cases)
        book = sum(textbook.predict([c["text"]])[0] == c["intent"] for c in cases)
        print(
            f"\ndev accuracy ({len(cases)} messages): engine {ours / len(cases):.3f}   textbook {book / len(cases):.3f}"
        )
    probs, classes = out_of_fold(texts, labels)
    threshold = choose_threshold(probs, classes, labels)
    cv = sum(p == g for p, g in zip(decide(probs, classes, threshold), labels, strict=False)) / len(labels)
    print(f"5-fold CV on {len(texts)} training phrases: engine {cv:.3f} (threshold {threshold})")
    print(json.dumps({"threshold": engine.model.threshold, "phrases": len(texts)}))


if __name__ == "__main__":
    main()
