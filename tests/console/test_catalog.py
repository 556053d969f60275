"""Every console string staff can read has a Thai translation, and templates escape everything."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from otopbot.console import labels

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src/otopbot/console/templates"
PO = ROOT / "locales/th/LC_MESSAGES/console.po"
CALL = re.compile(r"""\bt\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def _thai() -> dict[str, str]:
    with PO.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def test_every_template_string_and_label_has_a_thai_translation() -> None:
    thai = _thai()
    used = {a or b for path in TEMPLATES.rglob("*.html") for a, b in CALL.findall(path.read_text())}
    used |= {msgid for table in labels.TABLES.values() for msgid in table.values()}
    missing = sorted(m for m in used if not thai.get(m))
    assert not missing, missing


def test_templates_never_switch_autoescaping_off() -> None:
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert "|safe" not in text and "autoescape false" not in text and "Markup(" not in text, path.name
