"""Check the bot's content under bot/ before anyone meets it: forms, sample workshops, knowledge, rich menu.

The web app, the worker and `otopbot seed` call `check_content` when they start, so a broken file
stops them with one `ContentError` line naming the file and the problem — instead of the first
owner's message failing five times and getting an apology. Each part keeps its own loader; this
module only runs them eagerly and turns whatever they raise into that one line. A check that
passed is remembered for the same files (path, size, modification time), so building many apps
in one process (tests) reads the files once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from otopbot.db import utcnow
from otopbot.errors import ContentError

LOADER_ERRORS = (OSError, UnicodeError, yaml.YAMLError, KeyError, IndexError, TypeError, AttributeError, ValueError)
_checked: set[tuple[object, ...]] = set()


def check_content(content_dir: Path) -> None:
    """Load every content file the bot needs; raise ContentError (one line) on the first problem."""
    key = _fingerprint(content_dir)
    if key in _checked:
        return
    check_forms(content_dir)
    check_sample_workshops(content_dir)
    check_knowledge(content_dir)
    check_rich_menu(content_dir)
    _checked.add(key)


def one_line(error: BaseException) -> str:
    """The problem, on one line: YAML errors as 'line N: problem', others as their message."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return f"line {error.problem_mark.line + 1}: {error.problem or 'not valid YAML'}"
    if isinstance(error, KeyError):
        return f"missing key {error}"
    if isinstance(error, FileNotFoundError):
        return "file not found"
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def check_forms(content_dir: Path) -> None:
    """Every form file loads, and every form the dialogue completes is there."""
    from otopbot.dialogue import forms
    from otopbot.dialogue.router import COMPLETIONS

    folder = content_dir / "forms"
    names: set[str] = set()
    for path in sorted(folder.glob("*.yml")):
        try:
            names.add(forms.load_form(path).name)
        except ContentError as error:
            raise ContentError(" ".join(str(error).split())) from None
        except LOADER_ERRORS as error:
            raise ContentError(f"{path}: {one_line(error)}") from None
    missing = sorted(set(COMPLETIONS) - names)
    if missing:
        raise ContentError(f"{folder}: form(s) {', '.join(missing)} not found")


def check_sample_workshops(content_dir: Path) -> None:
    """bot/seed/workshops.yml: a list of workshops, each one that `otopbot seed` could store."""
    from otopbot.knowledge.content import CATEGORIES
    from otopbot.services.workshops import sample_workshop

    path = content_dir / "seed" / "workshops.yml"
    items = _read(path).get("workshops")
    if not isinstance(items, list) or not items:
        raise ContentError(f"{path}: 'workshops' must be a non-empty list")
    now = utcnow()
    for index, item in enumerate(items):
        try:
            if item["category"] not in CATEGORIES:
                raise ValueError(f"category must be one of {', '.join(CATEGORIES)}")
            sample_workshop(item, now)
        except LOADER_ERRORS as error:
            raise ContentError(f"{path}: workshops[{index}]: {one_line(error)}") from None


def check_knowledge(content_dir: Path) -> None:
    from otopbot.knowledge.content import load_synonyms, load_topics

    try:
        load_topics(content_dir)
        load_synonyms(content_dir)
    except ContentError as error:
        message = " ".join(str(error).split())
        folder = content_dir / "knowledge"
        raise ContentError(message if message.startswith(str(folder)) else f"{folder}/{message}") from None


def check_rich_menu(content_dir: Path) -> None:
    from otopbot.line.richmenu.spec import load_spec

    try:
        load_spec(content_dir)
    except ContentError as error:
        raise ContentError(" ".join(str(error).split())) from None


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except LOADER_ERRORS as error:
        raise ContentError(f"{path}: {one_line(error)}") from None
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    return data


def _fingerprint(content_dir: Path) -> tuple[object, ...]:
    files = sorted(p for p in content_dir.rglob("*") if p.is_file()) if content_dir.is_dir() else []
    return (str(content_dir), *((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files))
