"""Judge one answer against a step's expectations; say why it does not hold, in one short line."""

from __future__ import annotations

import re
from typing import Any

from otopbot.scenarios.reading import answer_text, buttons, message_chars
from otopbot.scenarios.script import Expect


def why_not(expect: Expect, messages: list[dict[str, Any]]) -> str | None:
    """None when the answer holds, else the first reason it does not."""
    text = answer_text(messages)
    labels = [button.label for button in buttons(messages)]
    if expect.silent:
        return None if not messages else f"expected silence, got {_short(text)}"
    if not messages:
        return "no answer"
    if expect.any and not any(word in text for word in expect.any):
        return f"none of {list(expect.any)} in {_short(text)}"
    missing = [word for word in expect.all if word not in text]
    if missing:
        return f"{missing} missing from {_short(text)}"
    present = [word for word in expect.none if word in text]
    if present:
        return f"{present} should not be in {_short(text)}"
    if expect.re is not None and not re.search(expect.re, text):
        return f"/{expect.re}/ not found in {_short(text)}"
    if expect.choice_any and not any(w in label for w in expect.choice_any for label in labels):
        return f"no button like {list(expect.choice_any)} among {labels}"
    offered = [label for label in labels if any(w in label for w in expect.choice_none)]
    if offered:
        return f"buttons {offered} should not be offered"
    if expect.max_chars is not None:
        longest = max(message_chars(message) for message in messages)
        if longest > expect.max_chars:
            return f"a message of {longest} characters (at most {expect.max_chars})"
    return None


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")
