"""Thai provinces: official names, English names, regions and the spoken forms owners type.

Official names (all 77) come from PyThaiNLP's bundled table; bot/entities/provinces.yml adds the
six-region grouping and aliases (โคราช, กทม., อยุธยา…). Licence-plate codes from the same table
are deliberately not used: ``นม`` (นครราชสีมา) is also "milk". Matching runs on normalised text
leftmost-longest, so ``พระนครศรีอยุธยา`` wins over ``นครศรี`` and ``อุบลราชธานี`` over ``อุบล``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

import yaml
from pythainlp.corpus import provinces as _pythainlp_provinces

from otopbot.nlu.content import content_dir
from otopbot.nlu.normalize import normalize

REGIONS = ("north", "northeast", "central", "east", "west", "south")
# "ทุกจังหวัดเลย" (every province, really) and "หลายจังหวัดเลย" name no province เลย
_PLACE_WORDS = r"(?:(?<!ทุก)(?<!ทุก )(?<!หลาย)(?<!หลาย )จังหวัด|จ\.|จ\s)"
_PARTICLES = r"(?:$|\s|ครับ|คับ|ค่ะ|คะ|ค่า|จ้า|นะ|ไหม|มั้ย|มี|บ้าง|เท่านั้น)"


@dataclass(frozen=True, slots=True)
class Province:
    name_th: str
    name_en: str
    region: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    provinces: tuple[Province, ...]
    by_form: dict[str, str]  # normalised form without spaces → official Thai name
    free: FormIndex  # forms that may appear anywhere
    strict: re.Pattern[str]  # ordinary-word names, only after จังหวัด/ที่
    strict_names: frozenset[str]


SEARCHES_CACHED = 4096


def _latin_safe(form: str) -> str:
    """Regex for one form; Latin forms must stand as whole words (``nan`` not in ``nancy``)."""
    pattern = re.escape(form).replace("\\ ", r"\s?")
    if form[:1].isascii() and form[:1].isalpha():
        pattern = rf"(?<![a-z]){pattern}(?![a-z])"
    return pattern


def _alternation(forms: list[str]) -> str:
    return "|".join(_latin_safe(f) for f in sorted(forms, key=len, reverse=True))


class FormIndex:
    """Leftmost-longest search for many fixed strings (a big regex alternation took ~100 µs).

    Forms are bucketed by first character; Latin forms must stand as whole words, and are
    indexed with and without their spaces (``chiang mai`` / ``chiangmai``).
    """

    def __init__(self, forms: list[str]) -> None:
        self._by_first: dict[str, list[str]] = {}
        variants = set(forms) | {f.replace(" ", "") for f in forms}
        for form in sorted(variants, key=len, reverse=True):
            self._by_first.setdefault(form[0], []).append(form)

        self._found: dict[str, tuple[str, tuple[int, int]] | None] = {}

    def search(self, text: str) -> tuple[str, tuple[int, int]] | None:
        """Cached per text: one message's words are looked up by several readers in a turn."""
        if text in self._found:
            return self._found[text]
        if len(self._found) >= SEARCHES_CACHED:
            self._found.clear()
        found = self._found[text] = self._search(text)
        return found

    def _search(self, text: str) -> tuple[str, tuple[int, int]] | None:
        by_first = self._by_first
        for i, ch in enumerate(text):
            for form in by_first.get(ch, ()):
                if text.startswith(form, i) and _whole_word(text, i, i + len(form)):
                    return form, (i, i + len(form))
        return None


def _whole_word(text: str, start: int, end: int) -> bool:
    if not text[start].isascii():
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalpha()) and not (after.isascii() and after.isalpha())


def _load(root: Path) -> _Gazetteer:
    data = yaml.safe_load((root / "entities" / "provinces.yml").read_text(encoding="utf-8"))
    region_of = {name: region for region, names in data["regions"].items() for name in names}
    aliases: dict[str, list[str]] = data.get("aliases") or {}
    strict_rules: dict[str, str] = data.get("strict") or {}
    found: list[Province] = []
    by_form: dict[str, str] = {}
    surface: set[str] = set()
    # details=True always returns the list of rows; the library annotates both forms as one union
    rows = cast("list[dict[str, str]]", _pythainlp_provinces(details=True))
    for row in rows:
        th, en = row["name_th"], row["name_en"]
        extra = tuple(aliases.get(th, ()))
        found.append(Province(th, en, region_of.get(th, ""), extra))
        for form in (normalize(str(f)) for f in (th, en, *extra)):
            by_form[form.replace(" ", "")] = th
            surface.add(form)
    missing = sorted(set(region_of) ^ {p.name_th for p in found})
    if missing:
        raise ValueError(f"provinces.yml regions do not match the 77 provinces: {missing}")
    strict = frozenset(normalize(s) for s in strict_rules)
    free = [f for f in surface if f not in strict]
    place_only = [s for s, rule in strict_rules.items() if rule == "place"]
    strict_rx = rf"{_PLACE_WORDS}\s*({_alternation(list(strict))})"
    if place_only:
        strict_rx += rf"|(?:ที่|แถว|ใน)\s*({_alternation(place_only)})(?={_PARTICLES})"
    return _Gazetteer(tuple(found), by_form, FormIndex(free), re.compile(strict_rx), strict)


@lru_cache(maxsize=4)
def _gazetteer(root: Path) -> _Gazetteer:
    return _load(root)


_BEFORE_BARE = "|".join(f"(?<={w})" for w in ("ภาค", "แถว", "ทาง", "โซน", "ฝั่ง", "ที่", "ใน", "แล้ว", "ๆ", "^"))
_AFTER_BARE = r"(?=$|\s|มี|ล่ะ|หล่ะ|ละ|บ้าง|ไหม|มั้ย|ค่ะ|คะ|ครับ|คับ|นะ|จ้า|เท่านั้น)"


@lru_cache(maxsize=4)
def _regions(root: Path) -> tuple[FormIndex, re.Pattern[str] | None, dict[str, str]]:
    """Region words of provinces.yml: free forms anywhere, bare ones only in a place phrase."""
    data = yaml.safe_load((root / "entities" / "provinces.yml").read_text(encoding="utf-8"))
    lookup: dict[str, str] = {}
    bare: list[str] = []
    for region, forms in (data.get("region_names") or {}).items():
        if region not in REGIONS:
            raise ValueError(f"provinces.yml region_names: unknown region {region!r}")
        for form in (normalize(str(f)) for f in forms.get("free") or ()):
            lookup[form] = lookup[form.replace(" ", "")] = region
        for form in (normalize(str(f)) for f in forms.get("bare") or ()):
            lookup[form] = region
            bare.append(form)
    pattern = re.compile(rf"(?:{_BEFORE_BARE})\s*({_alternation(bare)}){_AFTER_BARE}") if bare else None
    return FormIndex(list(lookup.keys() - set(bare))), pattern, lookup


def find_region(norm: str) -> str | None:
    """The region a message names: ภาคใต้, อีสาน, "แถวเหนือ", "แล้วใต้ล่ะ", northeast …"""
    free, bare, lookup = _regions(content_dir())
    hits: list[tuple[int, str]] = []
    if found := free.search(norm):
        hits.append((found[1][0], found[0]))
    if bare is not None and (m := bare.search(norm)):
        hits.append((m.start(1), m.group(1)))
    return lookup[min(hits)[1]] if hits else None


def provinces() -> list[Province]:
    """All 77 provinces with English name, region and aliases, in Thai alphabetical order."""
    return list(_gazetteer(content_dir()).provinces)


def region_of(province_th: str) -> str | None:
    """The region (north, northeast, central, east, west, south) of an official Thai name."""
    for p in _gazetteer(content_dir()).provinces:
        if p.name_th == province_th:
            return p.region
    return None


def province_names_en() -> dict[str, str]:
    """Official Thai name → English name, for the console and English replies."""
    return {p.name_th: p.name_en for p in _gazetteer(content_dir()).provinces}


def find_province(norm: str) -> tuple[str, tuple[int, int]] | None:
    """The first province named in normalised text, with its span (for masking)."""
    g = _gazetteer(content_dir())
    whole = norm.replace(" ", "")
    if whole in g.by_form:
        return g.by_form[whole], (0, len(norm))
    hits: list[tuple[int, str, tuple[int, int]]] = []
    if found := g.free.search(norm):
        hits.append((found[1][0], found[0], found[1]))
    if s := g.strict.search(norm):
        hits.append((s.start(), next(x for x in s.groups() if x), s.span()))
    if not hits:
        return None
    _, form, span = min(hits)
    return g.by_form[form.replace(" ", "")], span
