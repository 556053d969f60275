"""Reading a YAML file a person wrote (content, seed data, evaluation sets) with errors they can act on.

Every problem becomes a `ContentError` of one line naming the file, the line when YAML knows it, and
what is wrong, so the CLI can print it instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from otopbot.errors import ContentError


def read(path: Path) -> Any:
    """The parsed document; ContentError when the file is missing, unreadable or not YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(f"{path}: cannot be read ({type(error).__name__})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ContentError(f"{path}{_where(error)}: not valid YAML ({_problem(error)})") from None


def _where(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    return f":{mark.line + 1}" if mark is not None else ""


def _problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or str(error)
    return " ".join(str(problem).split())


def list_of_mappings(path: Path, data: Any, required: tuple[str, ...], what: str) -> list[dict[str, Any]]:
    """Check `data` is a non-empty list of mappings that each have the `required` keys."""
    if not isinstance(data, list) or not data:
        raise ContentError(f"{path}: expected a non-empty list of {what}, got {_kind(data)}")
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ContentError(f"{path}: item {number} is {_kind(item)}, expected a mapping with {', '.join(required)}")
        missing = [key for key in required if key not in item]
        if missing:
            raise ContentError(f"{path}: item {number} has no {', '.join(missing)}")
    return data


def _kind(value: Any) -> str:
    return "nothing" if value is None else "an empty list" if value == [] else f"a {type(value).__name__}"
