"""Every sentence the conversations show has a Thai translation, and every button label fits LINE."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
OUR_SERVICES = ("bookings", "handoff", "my_data", "notices", "registrations", "reminders", "workshops")
SOURCES = [
    *sorted((ROOT / "src/otopbot/dialogue").glob("*.py")),
    *sorted(p for p in (ROOT / "src/otopbot/dialogue/flows").glob("*.py") if p.name != "questions.py"),
    *(ROOT / "src/otopbot/services" / f"{name}.py" for name in OUR_SERVICES),
]
TRANSLATING_CALLS = {"t", "N_", "choice", "_choice", "with_menu_text"}
LABEL_CALLS = {"choice", "_choice"}
FORM_TEXT_KEYS = ("prompt", "reprompt", "question", "label", "summary_title", "declined")


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def code_msgids() -> tuple[set[str], set[str]]:
    """(all msgids, those used as button labels) found in t(...), N_(...), choice(turn, ...) calls."""
    msgids, labels = set(), set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            args = node.args[1:] if name in LABEL_CALLS else node.args
            if name in TRANSLATING_CALLS and args and (text := _literal(args[0])) is not None:
                msgids.add(text)
                if name in LABEL_CALLS:
                    labels.add(text)
    return msgids, labels


def form_msgids() -> tuple[set[str], set[str]]:
    msgids, labels = set(), set()
    for path in sorted((ROOT / "bot/forms").glob("*.yml")):
        form = yaml.safe_load(path.read_text(encoding="utf-8"))
        msgids.update(form[k] for k in FORM_TEXT_KEYS if form.get(k))
        msgids.update(question["answer"] for question in form.get("questions", ()))
        for slot in form["slots"]:
            msgids.update(slot[k] for k in FORM_TEXT_KEYS if slot.get(k))
            labels.update(slot["label"] for slot in [slot] if slot.get("label"))
            for option in slot.get("choices", ()):
                msgids.add(option["label"])
                labels.add(option["label"])
    return msgids, labels


def catalog(lang: str) -> dict[str, str]:
    with (ROOT / f"locales/{lang}/LC_MESSAGES/dialogue.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def all_msgids() -> tuple[set[str], set[str]]:
    code, code_labels = code_msgids()
    forms, form_labels = form_msgids()
    return code | forms, code_labels | form_labels


def test_every_dialogue_msgid_has_a_thai_translation() -> None:
    msgids, _ = all_msgids()
    thai = catalog("th")
    missing = sorted(m for m in msgids if not thai.get(m))
    assert not missing, f"missing Thai translations in dialogue.po: {missing}"


def test_english_catalog_lists_the_same_msgids() -> None:
    msgids, _ = all_msgids()
    assert msgids <= set(catalog("en"))


@pytest.mark.parametrize("lang", ["th", "en"])
def test_button_labels_fit_in_twenty_characters(lang: str) -> None:
    _, labels = all_msgids()
    texts = catalog(lang)
    too_long = sorted(f"{m} → {texts.get(m) or m}" for m in labels if len(texts.get(m) or m) > 20)
    assert not too_long


def test_translations_keep_the_placeholders() -> None:
    import string

    for msgid, text in catalog("th").items():
        wanted = {f for _, f, _, _ in string.Formatter().parse(msgid) if f}
        found = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        assert wanted == found, msgid


def test_form_questions_ask_the_owner_rather_than_define_a_term() -> None:
    """ "เลขทะเบียน…คืออะไรคะ" reads as "what *is* a registration number?"; ask whether they have one.

    Optional questions also say how to skip them, in the owner's words.
    """
    thai = catalog("th")
    for path in sorted((ROOT / "bot/forms").glob("*.yml")):
        for slot in yaml.safe_load(path.read_text(encoding="utf-8"))["slots"]:
            if slot.get("asked", True) is False:  # never asked (a district kept when mentioned)
                continue
            text = thai.get(slot["prompt"], "")
            if slot.get("optional"):
                assert "“ข้าม”" in text, text
            if slot["name"] == "ce_number":
                assert text.startswith("มีเลขทะเบียนวิสาหกิจชุมชนไหมคะ") and "คืออะไร" not in text, text
