"""Benchmark the standards Q&A: index build time, time per question, and accuracy on ask-dev,
beside a plain keyword search over the same entries (the LINE-OA "contains a keyword" baseline).

Run: .venv/bin/python benchmarks/ask_bench.py [path/to/ask-dev.yml]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from otopbot.knowledge.analysis import FUNCTION_WORDS, base_tokens
from otopbot.knowledge.commands import evaluate
from otopbot.knowledge.content import load_topics
from otopbot.knowledge.search import index_from_content

ROOT = Path(__file__).resolve().parents[1]
ASK_DEV = ROOT / ".." / "shared" / "eval" / "ask-dev.yml"
HELDOUT = ROOT / "tests" / "unit" / "knowledge" / "heldout.yml"


def keyword_baseline(content_dir: Path) -> Callable[[str], Any]:
    """Pick the entry whose questions and titles share the most content words; none when zero."""
    vocab = {}
    for topic in load_topics(content_dir):
        words: set[str] = set()
        for phrase in (topic.title_th, topic.title_en, *topic.questions):
            words.update(base_tokens(phrase))
        vocab[topic.id] = (words - FUNCTION_WORDS, topic)

    def ask(text: str) -> Any:
        query = set(base_tokens(text)) - FUNCTION_WORDS
        ranked = sorted(((len(query & words), tid) for tid, (words, _) in vocab.items()), reverse=True)
        best = ranked[0][1] if ranked and ranked[0][0] > 0 else None
        nearest = [(tid, "", "") for hits, tid in ranked[:3] if hits > 0]
        return SimpleNamespace(answer_id=best, confident=best is not None, nearest=nearest)

    return ask


def timed(ask: Callable[[str], Any], texts: list[str], repeats: int = 5) -> tuple[float, float]:
    samples = []
    for _ in range(repeats):
        for text in texts:
            start = time.perf_counter()
            ask(text)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def main() -> None:
    dev_path = Path(sys.argv[1]) if len(sys.argv) > 1 else ASK_DEV
    content = ROOT / "bot"
    start = time.perf_counter()
    index_from_content(content)  # first build also loads the tokeniser dictionary
    first = time.perf_counter() - start
    start = time.perf_counter()
    index = index_from_content(content)
    build = time.perf_counter() - start
    baseline = keyword_baseline(content)
    print(
        f"entries: {len(index.entries)}; index build: first {first * 1000:.0f} ms (with tokeniser), "
        f"again {build * 1000:.0f} ms"
    )
    for name, path in (("ask-dev", dev_path), ("held-out", HELDOUT)):
        if not path.is_file():
            print(f"{name}: {path} not found")
            continue
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts = [i["text"] for i in items]
        for label, ask in (("bm25", index.search), ("keyword", baseline)):
            report = evaluate(ask, items)
            med, p99 = timed(ask, texts)
            print(
                f"{name:8} {label:8} top1={report['top1']:.3f} top3={report['top3']:.3f} "
                f"false_refusals={report['false_refusal_rate']:.3f} refusals={report['refusal_rate']} "
                f"median={med:.2f} ms p99={p99:.2f} ms"
            )


if __name__ == "__main__":
    main()
