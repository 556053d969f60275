"""A broken form stops the start (the app's context, `otopbot seed`), not the first owner's message."""

from __future__ import annotations

from pathlib import Path

import pytest

from otopbot.db import Database
from otopbot.dialogue.forms import check_forms
from otopbot.errors import ContentError
from otopbot.seeding import seed_all
from otopbot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _content_with(tmp_path: Path, form: str) -> Path:
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "broken.yml").write_text(form, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("form", [
    "name: broken\nslots:\n  - {name: a, prompt: 'x', parser: no_such_parser}\n",
    "name: broken\nslots:\n  - {name: a, prompt: 'x', when: no_such_condition}\n",
    "name: broken\nslots:\n  - {name: a, parser: text}\n",  # asked, but nothing to ask
    "name: broken\n",
])
def test_a_broken_form_is_refused_when_forms_are_checked(tmp_path: Path, form: str) -> None:
    with pytest.raises(ContentError):
        check_forms(_content_with(tmp_path, form))


def test_seeding_refuses_broken_forms_before_writing_anything(tmp_path: Path, database: Database,
                                                              settings: Settings) -> None:
    content = _content_with(tmp_path, "name: broken\nslots:\n  - {name: a, prompt: 'x', parser: nope}\n")
    with pytest.raises(ContentError, match="nope"):
        seed_all(database, settings.with_overrides(content_dir=content))


def test_the_shipped_forms_pass_the_check() -> None:
    assert set(check_forms(ROOT / "bot")) == {"contact", "registration", "seats"}
