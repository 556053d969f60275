"""Load and validate bot/knowledge/*.yml into frozen `Topic` values.

Every file is one standards topic written by staff or engineers; a mistake in one must fail loudly
with the file and key named (`ContentError`), never silently drop a topic. Files whose name starts
with ``_`` (``_synonyms.yml``) are not topics.

A topic holds a summary (`answer`, shown by "อ่านเพิ่ม") and *facets*: short answers to one kind of
question each (need, time, cost, where…), so the bot answers what was asked instead of the whole
topic. `sources` are what owners see (official sites only); `provenance` is free text for staff.
The old single `source:` string is still read, as provenance, for entries not yet converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from otopbot.errors import ContentError

CATEGORIES = ("food", "ceramics", "glass", "rubber", "paper")
MAX_ANSWER_CHARS = 1000  # a LINE bubble stays readable; aim for ~900
MAX_FACET_CHARS = 500  # one facet answers one question: it must fit a phone screen
MAX_LABEL_CHARS = 20  # LINE's quick-reply label limit
# The kinds of question a facet answers; an entry may add its own ids (`site`, `digits`…).
FACET_KINDS = (
    "what",
    "who",
    "where",
    "steps",
    "documents",
    "time",
    "cost",
    "products",
    "need",
    "validity",
    "contact",
    "fix",
)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader when built with it
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEYS = {
    "id",
    "title",
    "label",
    "questions",
    "answer",
    "categories",
    "related",
    "source",
    "sources",
    "provenance",
    "checked",
    "facets",
}
_FACET_KEYS = {"id", "label", "questions", "answer", "products"}


@dataclass(frozen=True, slots=True)
class Source:
    """An official page an owner can open; `name_*` may end in the office's abbreviation "(อย.)"."""

    name_th: str
    name_en: str
    url: str

    def host(self) -> str:
        """The site as shown to owners: ``food.fda.moph.go.th`` (no scheme, no ``www.``)."""
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")


@dataclass(frozen=True, slots=True)
class Facet:
    """One short answer within a topic, to one kind of question (its `id`)."""

    id: str
    questions: tuple[str, ...]
    answer_th: str
    answer_en: str
    label_th: str = ""
    label_en: str = ""
    products: tuple[str, ...] = ()

    def answer(self, lang: str) -> str:
        return self.answer_en if lang == "en" else self.answer_th

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_th


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
    source: str  # provenance for staff (the old `source:` string, or `provenance:`)
    checked_on: date
    facets: tuple[Facet, ...] = ()
    sources: tuple[Source, ...] = ()
    label_th: str = ""
    label_en: str = ""


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
    answer = _pair(data, "answer", path, MAX_ANSWER_CHARS)
    label = _label(data, path)
    categories = _strings(data, "categories", path, allow_empty=True)
    bad = [c for c in categories if c not in CATEGORIES]
    if bad:
        raise ContentError(f"{path.name}: key 'categories' has unknown {bad}; use {list(CATEGORIES)}")
    checked = data.get("checked")
    if not isinstance(checked, date):
        raise ContentError(f"{path.name}: key 'checked' must be a date like 2026-11-25")
    facets = _facets(data, path)
    questions = _strings(data, "questions", path, allow_empty=bool(facets))
    return Topic(
        id=topic_id,
        title_th=title[0],
        title_en=title[1],
        questions=questions,
        answer_th=answer[0],
        answer_en=answer[1],
        categories=categories,
        related=_strings(data, "related", path, allow_empty=True),
        source=_provenance(data, path),
        checked_on=checked,
        facets=facets,
        sources=_sources(data, path),
        label_th=label[0],
        label_en=label[1],
    )


def _provenance(data: dict[str, Any], path: Path) -> str:
    """`provenance:` (new schema) or the old `source:` string; one of them must be there."""
    if "provenance" in data:
        return _text(data, "provenance", path)
    return _text(data, "source", path)


def _label(data: dict[str, Any], path: Path, prefix: str = "") -> tuple[str, str]:
    """An optional short quick-reply label {th, en}, each at most MAX_LABEL_CHARS."""
    if "label" not in data:
        return "", ""
    return _pair(data, "label", path, MAX_LABEL_CHARS, prefix)


def _sources(data: dict[str, Any], path: Path) -> tuple[Source, ...]:
    value = data.get("sources", [])
    if not isinstance(value, list):
        raise ContentError(f"{path.name}: key 'sources' must be a list of {{name: {{th, en}}, url}}")
    sources = []
    for i, item in enumerate(value):
        key = f"sources[{i}]"
        if not isinstance(item, dict) or set(item) - {"name", "url"}:
            raise ContentError(f"{path.name}: key {key!r} must have only 'name' and 'url'")
        name = _pair(item, "name", path, prefix=f"{key}.")
        url = _text(item, "url", path, f"{key}.")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ContentError(f"{path.name}: key '{key}.url' must be a web address, got {url!r}")
        sources.append(Source(name[0], name[1], url))
    return tuple(sources)


def _facets(data: dict[str, Any], path: Path) -> tuple[Facet, ...]:
    value = data.get("facets", [])
    if not isinstance(value, list):
        raise ContentError(f"{path.name}: key 'facets' must be a list")
    facets = tuple(_facet(item, path, f"facets[{i}].") for i, item in enumerate(value))
    ids = [f.id for f in facets]
    if len(ids) != len(set(ids)):
        raise ContentError(f"{path.name}: key 'facets' repeats an id ({sorted(ids)})")
    return facets


def _facet(item: Any, path: Path, prefix: str) -> Facet:
    if not isinstance(item, dict):
        raise ContentError(f"{path.name}: key {prefix[:-1]!r} must be a mapping")
    unknown = set(item) - _FACET_KEYS
    if unknown:
        raise ContentError(f"{path.name}: key {prefix[:-1]!r} has unknown key(s) {sorted(unknown)}")
    facet_id = _text(item, "id", path, prefix)
    if not _ID.match(facet_id):
        raise ContentError(f"{path.name}: key '{prefix}id' must be lower-case words joined by '-'")
    answer = _pair(item, "answer", path, MAX_FACET_CHARS, prefix)
    label = _label(item, path, prefix)
    return Facet(
        id=facet_id,
        questions=_strings(item, "questions", path, allow_empty=False, prefix=prefix),
        answer_th=answer[0],
        answer_en=answer[1],
        label_th=label[0],
        label_en=label[1],
        products=_strings(item, "products", path, allow_empty=True, prefix=prefix),
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
        if (
            not isinstance(phrases, list)
            or len(phrases) < 2
            or not all(isinstance(p, str) and p.strip() for p in phrases)
        ):
            raise ContentError(f"{path.name}: key {name!r} must list at least two phrases")
        groups.append(SynonymGroup(str(name), tuple(p.strip() for p in phrases)))
    return groups


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML ({exc})") from None


def _text(data: dict[str, Any], key: str, path: Path, prefix: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{path.name}: key {prefix + key!r} must be a non-empty string")
    return value.strip()


def _pair(data: dict[str, Any], key: str, path: Path, limit: int = 0, prefix: str = "") -> tuple[str, str]:
    """A {th, en} mapping of non-empty texts, each at most `limit` characters when given."""
    value = data.get(key)
    if not isinstance(value, dict):
        raise ContentError(f"{path.name}: key {prefix + key!r} must have 'th' and 'en'")
    extra = sorted(str(k) for k in set(value) - {"th", "en"})
    if extra:
        raise ContentError(
            f"{path.name}: key {prefix + key!r} has more than 'th' and 'en' ({extra}); "
            "quote a text that holds ', ' or '?' in a {…} mapping"
        )
    pair = _text(value, "th", path, f"{prefix}{key}."), _text(value, "en", path, f"{prefix}{key}.")
    for lang, text in zip(("th", "en"), pair, strict=False):
        if limit and len(text) > limit:
            raise ContentError(f"{path.name}: key '{prefix}{key}.{lang}' is {len(text)} characters (max {limit})")
    return pair


def _strings(data: dict[str, Any], key: str, path: Path, *, allow_empty: bool, prefix: str = "") -> tuple[str, ...]:
    value = data.get(key, [] if allow_empty else None)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(f"{path.name}: key {prefix + key!r} must be a list of non-empty strings")
    if not value and not allow_empty:
        raise ContentError(f"{path.name}: key {prefix + key!r} must not be empty")
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
