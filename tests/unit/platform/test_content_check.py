"""Broken content under bot/ stops the bot at start with one line, before any owner meets it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from otopbot.app import create_app
from otopbot.errors import ContentError
from otopbot.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
BROKEN_FORM = "name: contact\nslots:\n  - name: message\n    prompt: [never closed\n"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "bot"
    shutil.copytree(ROOT / "bot", copy)
    return copy


def _run(content: Path, tmp_path: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "OTOPBOT_", "DATABASE_URL"))}
    env.update(OTOPBOT_CONTENT_DIR=str(content), DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}", **extra_env)
    return subprocess.run(
        [sys.executable, "-m", "otopbot", *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("command", [["seed"], ["serve", "--port", "8104"]])
def test_a_malformed_form_stops_seed_and_serve_with_one_line(content: Path, tmp_path: Path, command: list[str]) -> None:
    (content / "forms" / "contact.yml").write_text(BROKEN_FORM, encoding="utf-8")
    result = _run(content, tmp_path, *command)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "contact.yml" in lines[0] and "line 5" in lines[0]
    assert not (tmp_path / "bot.sqlite3").exists() or command == ["seed"]


def test_a_malformed_form_stops_the_worker_with_one_line(content: Path, tmp_path: Path) -> None:
    (content / "forms" / "contact.yml").write_text(BROKEN_FORM, encoding="utf-8")
    result = _run(
        content,
        tmp_path,
        "worker",
        LINE_CHANNEL_SECRET="s" * 32,
        LINE_CHANNEL_ACCESS_TOKEN="token",
        SECRET_KEY="k" * 32,
    )
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "contact.yml" in result.stderr


@pytest.mark.parametrize(
    ("path", "text", "named"),
    [
        (
            "forms/seats.yml",
            "name: seats\nslots:\n  - name: seats\n    prompt: x\n    parser: telepathy\n",
            "unknown parser 'telepathy'",
        ),
        ("seed/workshops.yml", "workshops:\n  - code: X1\n    category: jewellery\n", "category must be one of"),
        ("knowledge/halal.yml", "id: halal\n", "halal.yml"),
        (
            "richmenu/richmenu.yml",
            (ROOT / "bot/richmenu/richmenu.yml").read_text(encoding="utf-8").replace("menu:contact", "menu:teleport"),
            "menu:teleport",
        ),
    ],
)
def test_the_app_refuses_to_start_on_broken_content(
    content: Path, settings: Settings, path: str, text: str, named: str
) -> None:
    (content / path).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=named) as raised:
        create_app(settings.with_overrides(content_dir=content))
    assert "\n" not in str(raised.value)


def test_a_missing_form_is_named(content: Path, tmp_path: Path) -> None:
    (content / "forms" / "contact.yml").unlink()
    result = _run(content, tmp_path, "seed")
    assert result.returncode != 0 and "form(s) contact not found" in result.stderr
