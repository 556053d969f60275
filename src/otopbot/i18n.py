"""Translations from the gettext catalogs in locales/, compiled by Babel in memory at start.

Catalogs are split by domain (one .po per part of the bot: platform, dialogue, console, …) so that
each part's strings live beside each other; `translator(lang)` merges them. English msgids; Thai is
the default language.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DEFAULT_LANGUAGE = "th"
LANGUAGES = ("th", "en")


def language_for(tag: str | None) -> str:
    """Map a BCP-47 tag from the LINE profile to a language we have; Thai when unknown."""
    base = (tag or "").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def compile_po(path: Path) -> gettext.GNUTranslations:
    """Compile one .po file into a translations object without writing a binary to disk."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=path.parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@lru_cache(maxsize=16)
def _translator(locales_dir: str, lang: str) -> gettext.NullTranslations:
    folder = Path(locales_dir) / lang / "LC_MESSAGES"
    merged: gettext.NullTranslations = gettext.NullTranslations()
    for po in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        catalog = compile_po(po)
        catalog.add_fallback(merged)
        merged = catalog
    return merged


class Translator:
    """gettext for one language; `t("Hello {name}", name=…)` formats after translating."""

    def __init__(self, locales_dir: Path, lang: str) -> None:
        self.lang = language_for(lang)
        self._catalog = _translator(str(locales_dir), self.lang)

    def __call__(self, message: str, **values: object) -> str:
        text = self._catalog.gettext(message)
        return text.format(**values) if values else text

    def plural(self, singular: str, plural: str, n: int, **values: object) -> str:
        text = self._catalog.ngettext(singular, plural, n)
        return text.format(n=n, **values)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where the language is known."""
    return message
