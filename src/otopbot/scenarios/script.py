"""Read a scenario file into typed steps, naming the first problem in a broken one.

Steps are checked when the file is read, not while it is played, so a typo in the file is reported
as a broken file (exit 2) instead of looking like a conversation the bot failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from otopbot.errors import OtopbotError

EXPECT_KEYS = {"any", "all", "none", "re", "choice_any", "choice_none", "max_chars", "silent"}
LIST_KEYS = ("any", "all", "none", "choice_any", "choice_none")


class ScriptError(OtopbotError):
    """A scenario file that cannot be played as written."""


@dataclass(frozen=True, slots=True)
class Expect:
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    re: str | None = None
    choice_any: tuple[str, ...] = ()
    choice_none: tuple[str, ...] = ()
    max_chars: int | None = None
    silent: bool = False


@dataclass(frozen=True, slots=True)
class Say:
    text: str
    expect: Expect = field(default_factory=Expect)


@dataclass(frozen=True, slots=True)
class Tap:
    label: str
    expect: Expect = field(default_factory=Expect)


@dataclass(frozen=True, slots=True)
class Fill:
    """Answer a form in whatever order it asks: each pair is (a word of the question, the answers)."""

    pairs: tuple[tuple[str, tuple[str, ...]], ...]
    until: tuple[str, ...]
    expect: Expect = field(default_factory=Expect)


Step = Say | Tap | Fill


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]


def load_scenarios(path: Path) -> list[Scenario]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ScriptError(f"{path}: cannot read ({error.strerror})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ScriptError(f"{path}: not valid YAML{where}") from None
    if not isinstance(data, list) or not data:
        raise ScriptError(f"{path}: expected a non-empty list of scenarios")
    return [_scenario(item, f"{path}: scenario {number}") for number, item in enumerate(data, 1)]


def _scenario(item: Any, where: str) -> Scenario:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
        raise ScriptError(f"{where}: needs a `name`")
    where = f"{where} ({item['name']})"
    steps = item.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ScriptError(f"{where}: needs a non-empty list of `steps`")
    return Scenario(item["name"], tuple(_step(step, f"{where}, step {n}") for n, step in enumerate(steps, 1)))


def _step(item: Any, where: str) -> Step:
    if not isinstance(item, dict):
        raise ScriptError(f"{where}: a step is a mapping")
    kinds = [key for key in ("say", "tap", "fill") if key in item]
    if len(kinds) != 1:
        raise ScriptError(f"{where}: needs exactly one of say, tap, fill")
    unknown = set(item) - {"say", "tap", "fill", "until", "expect"}
    if unknown:
        raise ScriptError(f"{where}: unknown key {min(unknown)!r}")
    expect = _expect(item.get("expect"), where)
    if "say" in item:
        return Say(_text(item["say"], where), expect)
    if "tap" in item:
        return Tap(_text(item["tap"], where), expect)
    return Fill(_pairs(item["fill"], where), _words(item.get("until"), where, "until"), expect)


def _text(value: Any, where: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise ScriptError(f"{where}: expected a non-empty text")
    return value


def _pairs(value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, list) or not value:
        raise ScriptError(f"{where}: `fill` is a list of [word, answer] pairs")
    pairs = []
    for pair in value:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ScriptError(f"{where}: `fill` is a list of [word, answer] pairs")
        answers = pair[1] if isinstance(pair[1], list) else [pair[1]]
        pairs.append((_text(pair[0], where), tuple(_text(a, where) for a in answers)))
    return tuple(pairs)


def _words(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ScriptError(f"{where}: `{key}` is a non-empty list of texts")
    return tuple(_text(word, where) for word in value)


def _expect(value: Any, where: str) -> Expect:
    if value is None:
        return Expect()
    if not isinstance(value, dict):
        raise ScriptError(f"{where}: `expect` is a mapping")
    unknown = set(value) - EXPECT_KEYS
    if unknown:
        raise ScriptError(f"{where}: unknown expectation {min(unknown)!r}")
    lists = {key: _words(value[key], where, key) for key in LIST_KEYS if key in value}
    pattern = value.get("re")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError):
            raise ScriptError(f"{where}: `re` is not a valid regular expression") from None
    limit = value.get("max_chars")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0):
        raise ScriptError(f"{where}: `max_chars` is a positive number")
    return Expect(re=pattern, max_chars=limit, silent=bool(value.get("silent", False)), **lists)
