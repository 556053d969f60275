"""Every string the code shows a user has a Thai translation in locales/, and catalogs stay valid."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from otopbot.i18n import Translator

ROOT = Path(__file__).resolve().parents[3]
KEYWORDS = {"t": None, "_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "plural": (1, 2)}


def _msgids_in_code() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "src" / "otopbot"), method_map=[("**.py", "python")], keywords=KEYWORDS):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def _thai_catalog() -> dict[str, str]:
    messages: dict[str, str] = {}
    for po in sorted((ROOT / "locales" / "th" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if message.id and isinstance(message.id, str):
                    messages[message.id] = message.string if isinstance(message.string, str) else message.string[0]
    return messages


def test_every_user_visible_string_in_the_code_has_a_thai_translation() -> None:
    thai = _thai_catalog()
    missing = sorted(m for m in _msgids_in_code() if not thai.get(m))
    assert missing == [], f"{len(missing)} strings without Thai: {missing[:10]}"


def test_thai_is_the_default_and_english_falls_back_to_the_msgid() -> None:
    message = "Sorry, something went wrong on our side. Please try again in a moment."
    assert Translator(ROOT / "locales", "th-TH")(message) != message
    assert Translator(ROOT / "locales", "en")(message) == message
    assert Translator(ROOT / "locales", "ja")(message) == Translator(ROOT / "locales", "th")(message)


def test_a_msgid_has_one_thai_translation_across_all_catalogs() -> None:
    """The catalogs are merged at run time, so two parts must not translate the same words differently."""
    translations: dict[str, set[str]] = {}
    for po in sorted((ROOT / "locales" / "th" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if message.id and isinstance(message.id, str) and message.string:
                    translations.setdefault(message.id, set()).add(str(message.string))
    conflicts = {k: v for k, v in translations.items() if len(v) > 1}
    assert conflicts == {}
