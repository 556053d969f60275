"""Every string the code shows a user has a Thai translation in locales/, and catalogs stay valid."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from otopbot.i18n import Translator

ROOT = Path(__file__).resolve().parents[3]
KEYWORDS = {"t": None, "_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "plural": (1, 2)}


def _msgids_in_code() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "src" / "otopbot"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
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


def _strings_in_content() -> set[str]:
    """Every string in bot/ YAML (form prompts, menu labels… are msgids translated where shown)."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.add(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(key)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((ROOT / "bot").rglob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _literals_in_code() -> set[str]:
    """String literals of the package: helpers such as `choice(turn, "Done", …)` translate their argument."""
    return {
        node.value
        for path in sorted((ROOT / "src" / "otopbot").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_no_catalog_entry_is_left_unused() -> None:
    """A msgid nothing shows any more is dead weight translators keep paying for: remove it."""
    templates = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "src").rglob("*.html")))
    used = _msgids_in_code() | _literals_in_code() | _strings_in_content()
    unused = sorted(
        m for m in _thai_catalog() if m not in used and m not in templates and m.replace('"', "&quot;") not in templates
    )
    assert unused == [], f"{len(unused)} unused msgids: {unused[:10]}"
