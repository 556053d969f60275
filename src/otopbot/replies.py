"""Neutral message types the dialogue returns; `otopbot.line.render` turns them into LINE JSON.

They serialise to plain dicts (`to_dict` / `reply_from_dict`) so that the outbox can store them
and render them at send time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Choice:
    """A button: sends `postback` data when set, otherwise says `text` as the user."""

    label: str
    postback: str | None = None
    text: str | None = None
    display_text: str | None = None  # what the chat shows for a postback choice
    uri: str | None = None
    destructive: bool = False  # cancels or deletes something: shown apart from the main action


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    quick_replies: tuple[Choice, ...] = ()
    # the text asks to pick one of its quick replies ("which of these topics?"): meaningless without them
    needs_choices: bool = False
    kind: str = field(default="text", init=False)


@dataclass(frozen=True, slots=True)
class Card:
    """A bubble: title, body lines, optional image, and up to four buttons."""

    title: str
    lines: tuple[str, ...] = ()
    actions: tuple[Choice, ...] = ()
    image_url: str | None = None
    alt_text: str = ""
    quick_replies: tuple[Choice, ...] = ()
    kind: str = field(default="card", init=False)


@dataclass(frozen=True, slots=True)
class Carousel:
    cards: tuple[Card, ...]
    alt_text: str
    quick_replies: tuple[Choice, ...] = ()
    kind: str = field(default="carousel", init=False)


@dataclass(frozen=True, slots=True)
class Confirm:
    """A yes/no question with exactly two choices."""

    text: str
    yes: Choice
    no: Choice
    quick_replies: tuple[Choice, ...] = ()
    kind: str = field(default="confirm", init=False)


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    preview_url: str
    quick_replies: tuple[Choice, ...] = ()
    kind: str = field(default="image", init=False)


Reply = Text | Card | Carousel | Confirm | Image


def to_dict(reply: Reply) -> dict[str, Any]:
    """As `dataclasses.asdict`, without its deep copies (they were a tenth of an answer's CPU)."""
    plain: dict[str, Any] = _plain(reply)
    return plain


def _plain(value: Any) -> Any:
    names = _FIELDS.get(type(value))
    if names is None and hasattr(type(value), "__dataclass_fields__"):
        names = _FIELDS[type(value)] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return type(value)(_plain(item) for item in value)
    return value


_FIELDS: dict[type, tuple[str, ...]] = {}


def _choices(items: Any) -> tuple[Choice, ...]:
    return tuple(Choice(**item) for item in items or ())


def _card(data: dict[str, Any]) -> Card:
    return Card(
        title=data["title"],
        lines=tuple(data.get("lines", ())),
        actions=_choices(data.get("actions")),
        image_url=data.get("image_url"),
        alt_text=data.get("alt_text", ""),
        quick_replies=_choices(data.get("quick_replies")),
    )


def reply_from_dict(data: dict[str, Any]) -> Reply:
    """Rebuild a reply stored in the outbox."""
    kind = data["kind"]
    quick = _choices(data.get("quick_replies"))
    if kind == "text":
        return Text(data["text"], quick, bool(data.get("needs_choices")))
    if kind == "card":
        return _card(data)
    if kind == "carousel":
        return Carousel(tuple(_card(c) for c in data["cards"]), data["alt_text"], quick)
    if kind == "confirm":
        return Confirm(data["text"], Choice(**data["yes"]), Choice(**data["no"]), quick)
    if kind == "image":
        return Image(data["url"], data["preview_url"], quick)
    raise ValueError(f"unknown reply kind {kind!r}")
