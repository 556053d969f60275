"""Score the NLU on a labelled YAML file (the format of shared/eval/nlu-dev.yml).

Each case: ``{text, intent}`` plus any entities it names (category, province, date, phone,
count, date_end, region). Entities a case does not name are not scored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from otopbot import yamlfile
from otopbot.errors import ContentError
from otopbot.nlu.engine import NluEngine
from otopbot.nlu.types import Intent

ENTITY_KEYS = ("category", "province", "date", "phone", "count", "date_end", "region")
OOS = Intent.OUT_OF_SCOPE.value


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    entity_total: Counter[str] = field(default_factory=Counter)
    entity_correct: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str, str, float]] = field(default_factory=list)
    entity_errors: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def precision_recall(self, intent: str) -> tuple[float, float, int]:
        tp = self.confusion[(intent, intent)]
        predicted = sum(n for (_, p), n in self.confusion.items() if p == intent)
        gold = sum(n for (g, _), n in self.confusion.items() if g == intent)
        return (tp / predicted if predicted else 0.0, tp / gold if gold else 0.0, gold)

    @property
    def entity_accuracy(self) -> float:
        total = sum(self.entity_total.values())
        return sum(self.entity_correct.values()) / total if total else 1.0


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The labelled cases; ContentError naming the problem when the file is not a list of {text, intent}."""
    cases = yamlfile.list_of_mappings(path, yamlfile.read(path), ("text", "intent"), "cases {text, intent}")
    for number, case in enumerate(cases, start=1):
        if not isinstance(case["text"], str) or not isinstance(case["intent"], str):
            raise ContentError(f"{path}: case {number}: text and intent must be strings")
    return cases


def _same(expected: Any, got: Any) -> bool:
    if isinstance(got, date):
        got = got.isoformat()
    if isinstance(expected, date):
        expected = expected.isoformat()
    return expected is not None and str(expected) == str(got) if got is not None else expected is None


def evaluate(engine: NluEngine, cases: list[dict[str, Any]], today: date) -> Report:
    report = Report()
    for case in cases:
        text, gold = str(case["text"]), str(case["intent"])
        result = engine.understand(text, today)
        report.total += 1
        report.confusion[(gold, result.intent)] += 1
        if result.intent == gold:
            report.correct += 1
        else:
            report.errors.append((text, gold, result.intent, result.confidence))
        for key in ENTITY_KEYS:
            if key in case:
                got = getattr(result.entities, key)
                report.entity_total[key] += 1
                if _same(case[key], got):
                    report.entity_correct[key] += 1
                else:
                    report.entity_errors.append((text, key, case[key], got))
    return report


def format_report(report: Report) -> str:
    """Plain-text report: accuracy, per-intent P/R, confusion table, entities, OOS, errors."""
    intents = [i.value for i in Intent]
    lines = [
        f"messages: {report.total}   intent accuracy: {report.accuracy:.3f}",
        "",
        f"{'intent':<18} {'precision':>9} {'recall':>7} {'n':>4}",
    ]
    for intent in intents:
        p, r, n = report.precision_recall(intent)
        lines.append(f"{intent:<18} {p:>9.3f} {r:>7.3f} {n:>4}")
    short = [i[:5] for i in intents]
    lines += ["", "confusion (rows = expected, columns = predicted)", f"{'':<18}" + "".join(f"{s:>6}" for s in short)]
    for gold in intents:
        lines.append(f"{gold:<18}" + "".join(f"{report.confusion[(gold, p)]:>6}" for p in intents))
    lines += ["", f"entity accuracy: {report.entity_accuracy:.3f}"]
    for key in ENTITY_KEYS:
        if report.entity_total[key]:
            lines.append(f"  {key:<9} {report.entity_correct[key]}/{report.entity_total[key]}")
    p, r, n = report.precision_recall(OOS)
    lines += ["", f"out-of-scope precision: {p:.3f}   recall: {r:.3f}   (n={n})"]
    if report.errors:
        lines += ["", "intent errors (text | expected → predicted, confidence):"]
        lines += [f"  {t} | {g} → {p} ({c:.2f})" for t, g, p, c in report.errors]
    if report.entity_errors:
        lines += ["", "entity errors (text | key: expected → got):"]
        lines += [f"  {t} | {k}: {e} → {g}" for t, k, e, g in report.entity_errors]
    return "\n".join(lines)
