"""Load and validate bot/knowledge/*.yml into frozen `Topic` values.

Every file is one standards topic written by staff or engineers; a mistake in one must fail loudly
with the file and key named (`ContentError`), never silently drop a topic. Files whose name starts
with ``_`` (``_synonyms.yml``) are not topics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from otopbot.errors import ContentError

CATEGORIES = ("food", "ceramics", "glass", "rubber", "paper")
MAX_ANSWER_CHARS = 1000  # a LINE bubble stays readable; aim for ~900
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEYS = {"id", "title", "questions", "answer", "categories", "related", "source", "checked"}


@dataclass(frozen=True, slots=True)
class Topic:
    """One knowledge entry as written in bot/knowledge/<id>.yml."""

    id: str
    title_th: str
    title_en: str
    questions: tuple[str, ...]
    answer_th: str
    answer_en: str
    categories: tuple[str, ...]
    related: tuple[str, ...]
    source: str
    checked_on: date


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    """Spellings that mean one thing (มผช / มาตรฐานผลิตภัณฑ์ชุมชน); `name` becomes a shared token."""

    name: str
    phrases: tuple[str, ...]


def knowledge_dir(content_dir: Path) -> Path:
    return content_dir / "knowledge"


def load_topics(content_dir: Path) -> list[Topic]:
    """Read every topic file under content_dir/knowledge; check ids, keys and cross-references."""
    folder = knowledge_dir(content_dir)
    if not folder.is_dir():
        raise ContentError(f"{folder}: knowledge folder not found")
    topics = [load_topic(path) for path in sorted(folder.glob("*.yml")) if not path.name.startswith("_")]
    _check_related(topics, folder)
    return topics


def load_topic(path: Path) -> Topic:
    """Parse one topic file; raise ContentError naming the file and the bad key."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(f"{path.name}: expected a mapping at the top level")
    unknown = set(data) - _KEYS
    if unknown:
        raise ContentError(f"{path.name}: unknown key(s) {sorted(unknown)}")
    topic_id = _text(data, "id", path)
    if not _ID.match(topic_id):
        raise ContentError(f"{path.name}: key 'id' must be lower-case words joined by '-', got {topic_id!r}")
    if path.stem != topic_id:
        raise ContentError(f"{path.name}: key 'id' is {topic_id!r} but the file must be named {topic_id}.yml")
    title = _pair(data, "title", path)
    answer = _pair(data, "answer", path)
    for lang, text in (("th", answer[0]), ("en", answer[1])):
        if len(text) > MAX_ANSWER_CHARS:
            raise ContentError(f"{path.name}: key 'answer.{lang}' is {len(text)} characters (max {MAX_ANSWER_CHARS})")
    categories = _strings(data, "categories", path, allow_empty=True)
    bad = [c for c in categories if c not in CATEGORIES]
    if bad:
        raise ContentError(f"{path.name}: key 'categories' has unknown {bad}; use {list(CATEGORIES)}")
    checked = data.get("checked")
    if not isinstance(checked, date):
        raise ContentError(f"{path.name}: key 'checked' must be a date like 2026-11-25")
    return Topic(
        id=topic_id, title_th=title[0], title_en=title[1],
        questions=_strings(data, "questions", path, allow_empty=False),
        answer_th=answer[0], answer_en=answer[1], categories=categories,
        related=_strings(data, "related", path, allow_empty=True),
        source=_text(data, "source", path), checked_on=checked,
    )


def load_synonyms(content_dir: Path) -> list[SynonymGroup]:
    """Read knowledge/_synonyms.yml: a mapping of group name to a list of phrases (may be absent)."""
    path = knowledge_dir(content_dir) / "_synonyms.yml"
    if not path.is_file():
        return []
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(f"{path.name}: expected a mapping of group name to phrases")
    groups = []
    for name, phrases in data.items():
        if not isinstance(phrases, list) or len(phrases) < 2 or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise ContentError(f"{path.name}: key {name!r} must list at least two phrases")
        groups.append(SynonymGroup(str(name), tuple(p.strip() for p in phrases)))
    return groups


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML ({exc})") from None


def _text(data: dict[str, Any], key: str, path: Path, prefix: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{path.name}: key {prefix + key!r} must be a non-empty string")
    return value.strip()


def _pair(data: dict[str, Any], key: str, path: Path) -> tuple[str, str]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ContentError(f"{path.name}: key {key!r} must have 'th' and 'en'")
    return _text(value, "th", path, f"{key}."), _text(value, "en", path, f"{key}.")


def _strings(data: dict[str, Any], key: str, path: Path, *, allow_empty: bool) -> tuple[str, ...]:
    value = data.get(key, [] if allow_empty else None)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(f"{path.name}: key {key!r} must be a list of non-empty strings")
    if not value and not allow_empty:
        raise ContentError(f"{path.name}: key {key!r} must not be empty")
    return tuple(v.strip() for v in value)


def _check_related(topics: list[Topic], folder: Path) -> None:
    ids = [t.id for t in topics]
    if len(ids) != len(set(ids)):
        raise ContentError(f"{folder}: duplicate topic ids")
    known = set(ids)
    for topic in topics:
        missing = [r for r in topic.related if r not in known or r == topic.id]
        if missing:
            raise ContentError(f"{topic.id}.yml: key 'related' names unknown or self ids {missing}")
