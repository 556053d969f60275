"""What a person sees in LINE messages: their texts, and the buttons and quick replies they can tap.

Works on the Messaging API's JSON (as the simulator records it), so a scenario is judged on what
LINE would show, whatever produced it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

TEXT_KEYS = ("text", "altText", "label", "title")
ACTION_TYPES = {"postback", "message", "uri", "datetimepicker", "camera", "cameraRoll", "location"}


@dataclass(frozen=True, slots=True)
class Button:
    """A tappable button or quick-reply item, with the LINE action it carries."""

    label: str
    action: dict[str, Any]


def answer_text(messages: Iterable[dict[str, Any]]) -> str:
    """Every text, altText, label and title, Flex contents and quick replies included."""
    return "\n".join(_texts(list(messages), skip_quick_replies=False))


def message_chars(message: dict[str, Any]) -> int:
    """How long a message reads (quick replies not counted; a Flex alt text stands in for nothing)."""
    if message.get("type") == "text":
        return len(str(message.get("text", "")))
    body = {k: v for k, v in message.items() if k not in ("quickReply", "altText")}
    return len("\n".join(_texts(body, skip_quick_replies=True)))


def buttons(messages: Iterable[dict[str, Any]]) -> list[Button]:
    """Buttons first, then quick replies, message by message, in the order LINE shows them."""
    found: list[Button] = []
    for message in messages:
        found += list(_actions({k: v for k, v in message.items() if k != "quickReply"}))
        for item in (message.get("quickReply") or {}).get("items", []):
            found += list(_actions(item))
    return found


def _actions(node: Any) -> Iterator[Button]:
    if isinstance(node, dict):
        if node.get("type") in ACTION_TYPES and isinstance(node.get("label"), str):
            yield Button(node["label"], node)
            return
        for value in node.values():
            yield from _actions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _actions(item)


def _texts(node: Any, skip_quick_replies: bool) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "quickReply" and skip_quick_replies:
                continue
            if key in TEXT_KEYS and isinstance(value, str):
                yield value
            elif isinstance(value, (dict, list)):
                yield from _texts(value, skip_quick_replies)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item, skip_quick_replies)
